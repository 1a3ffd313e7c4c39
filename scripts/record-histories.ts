/**
 * Records the workflow histories that test/replay replays, those not yet committed
 * (`npx tsx scripts/record-histories.ts`; name one to record it again). Never re-record to silence
 * a failing replay: a replay failure means running workflows would break.
 */
import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { approveDeploySignal, parseInferenceParams, parsePipelineParams } from '../contract';
import { startInferenceRun } from '../client/startInference';
import { startPipelineRun } from '../client/startRun';
import { startTimeSkippingServer } from '../launch/devServer';
import { createSandbox, readExample, testConfig, testDeps } from '../test/helpers/fixtures';
import { bundleWorkflows, waitForStatus, withWorkers } from '../test/helpers/temporal';

const OUT = join(__dirname, '../test/replay/histories');

async function main(): Promise<void> {
  const [env, bundle, sandbox] = await Promise.all([startTimeSkippingServer(), bundleWorkflows(), createSandbox()]);
  try {
    const named = process.argv.slice(2);
    const wanted = async (name: string) => (named.length > 0 ? named.includes(name) : !(await exists(join(OUT, `${name}.json`))));
    const work = <T>(body: () => Promise<T>) => withWorkers(env, testConfig(sandbox), testDeps(sandbox), bundle, body);
    const record = async (name: string, params: Record<string, unknown>, during?: (h: Awaited<ReturnType<typeof startPipelineRun>>['handle']) => Promise<void>) => {
      if (!(await wanted(name))) return;
      const { handle } = await startPipelineRun(env.client, parsePipelineParams(params), { workflowId: `replay-${name}` });
      await work(async () => {
        await during?.(handle);
        await handle.result();
      });
      await writeFile(join(OUT, `${name}.json`), historyToJSON(await handle.fetchHistory()));
      console.log(`recorded ${name}`);
    };
    /** Scores a shifted Iris batch with the deployed model: drift, the retrain alert and the retraining child start. */
    const recordInference = async (name: string) => {
      if (!(await wanted(name))) return;
      const deployed = await startPipelineRun(env.client, parsePipelineParams(await readExample('iris.json')), { workflowId: `replay-${name}-model` });
      await work(() => deployed.handle.result());
      const [header, ...rows] = (await readFile(join(sandbox.dataRoot, 'iris-batch.csv'), 'utf8')).trim().split('\n');
      const at = header.split(',').indexOf('petal_length');
      const shifted = rows.map((row) => row.split(',').map((v, i) => (i === at ? String(Number(v) + 3) : v)).join(','));
      await writeFile(join(sandbox.dataRoot, 'iris-shifted.csv'), `${[header, ...shifted].join('\n')}\n`);
      const params = { pipeline: 'iris-monitor', model: { name: 'iris' }, dataset: { source: 'iris-shifted.csv', label: 'species' }, passThrough: ['id'], drift: { retrain: { enabled: true } } };
      const { handle } = await startInferenceRun(env.client, parseInferenceParams(params), { workflowId: `replay-${name}` });
      await work(async () => {
        await handle.result();
        await env.client.workflow.getHandle('retrain-iris').result();
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
    await recordInference('iris-inference-drift');
    // Recorded after their params were checked by a local activity, not in the workflow.
    await record('iris-deploy-params-checked', await readExample('iris.json'));
    await recordInference('iris-inference-drift-params-checked');
    // A small run's tracking record written by a local activity, beside its other steps after ingest.
    await record('iris-deploy-local-tracking', await readExample('iris.json'));
    // One lean-history marker for the older patches, and search attributes upserted only when they can be seen.
    await record('iris-deploy-lean', await readExample('iris.json'));
    await record('iris-alert-lean', await readExample('iris-alert.json'));
    await record('iris-approved-lean', await readExample('iris-approval.json'), async (handle) => {
      await waitForStatus(handle, (s) => s.stage === 'awaiting_approval');
      await handle.signal(approveDeploySignal, { by: 'recorder' });
    });
    await recordInference('iris-inference-drift-lean');
  } finally {
    await env.teardown();
    await sandbox.remove();
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
