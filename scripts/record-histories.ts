/**
 * Records the workflow histories that test/replay replays. Run after a deliberate, compatible
 * change to the workflow (`npx tsx scripts/record-histories.ts`), never to silence a failing replay:
 * a replay failure means running workflows would break.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { approveDeploySignal, parsePipelineParams } from '../contract';
import { startPipelineRun } from '../client/startRun';
import { startTimeSkippingServer } from '../launch/devServer';
import { createSandbox, readExample, testConfig, testDeps } from '../test/helpers/fixtures';
import { bundleWorkflows, waitForStatus, withWorkers } from '../test/helpers/temporal';

const OUT = join(__dirname, '../test/replay/histories');

async function main(): Promise<void> {
  const [env, bundle, sandbox] = await Promise.all([startTimeSkippingServer(), bundleWorkflows(), createSandbox()]);
  try {
    const record = async (name: string, params: Record<string, unknown>, during?: (h: Awaited<ReturnType<typeof startPipelineRun>>['handle']) => Promise<void>) => {
      const { handle } = await startPipelineRun(env.client, parsePipelineParams(params), { workflowId: `replay-${name}` });
      await withWorkers(env, testConfig(sandbox), testDeps(sandbox), bundle, async () => {
        await during?.(handle);
        await handle.result();
      });
      await writeFile(join(OUT, `${name}.json`), historyToJSON(await handle.fetchHistory()));
      console.log(`recorded ${name}`);
    };
    await record('iris-deploy', await readExample('iris.json'));
    await record('iris-alert', await readExample('iris-alert.json'));
    await record('iris-approved', await readExample('iris-approval.json'), async (handle) => {
      await waitForStatus(handle, (s) => s.stage === 'awaiting_approval');
      await handle.signal(approveDeploySignal, { by: 'recorder' });
    });
  } finally {
    await env.teardown();
    await sandbox.remove();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
