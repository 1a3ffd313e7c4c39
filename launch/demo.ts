import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { WorkflowFailedError } from '@temporalio/client';
import { formatResult, stepPrinter } from '../client/printStatus';
import { paramsKind } from '../client/paramsKind';
import { startInferenceRun } from '../client/startInference';
import { startPipelineRun } from '../client/startRun';
import { parseInferenceParams, parsePipelineParams } from '../contract';
import { watchRun } from '../client/watchRun';
import { loadWorkerConfig } from '../worker/config';
import { installJsonLogging } from '../worker/logging';
import { loadDevServerConfig } from './config';
import { attachOrStartStack } from './stack';

/**
 * `npm run demo [params.json]`: one example run to completion, on the running stack or an embedded
 * one; a training run (mlPipeline) or, for inference params, a batch inference run (mlInference).
 */
async function main(): Promise<void> {
  const file = process.argv[2] ?? 'examples/iris.json';
  const params: unknown = JSON.parse(await readFile(file, 'utf8'));
  const dev = loadDevServerConfig();
  // With no address configured, the demo looks for `npm start`'s dev server (same TEMPORAL_DEV_PORT).
  const config = loadWorkerConfig(process.env, { address: dev.address });
  // The demo's own output is the run's progress; worker logs only when something goes wrong.
  installJsonLogging('WARN');
  const stack = await attachOrStartStack(config, dev);
  try {
    console.log(`running ${file} on the ${stack.description}`);
    if (stack.webUi) console.log(`Temporal Web UI: ${stack.webUi}`);
    const input = { ...(params as object), allowConcurrentRuns: true };
    const run =
      paramsKind(params) === 'inference' ? await startInferenceRun(stack.client, parseInferenceParams(input)) : await startPipelineRun(stack.client, parsePipelineParams(input));
    console.log(`workflow ${run.workflowId} (run ${run.runId})`);
    const result = await watchRun(run.handle, stepPrinter());
    const report = result.reportUri.startsWith('file:') ? fileURLToPath(result.reportUri) : result.reportUri;
    console.log(formatResult(result, report));
  } catch (error) {
    if (error instanceof WorkflowFailedError) {
      process.exitCode = 1;
      console.error(`run failed: ${error.cause?.message ?? error.message}`);
    } else throw error;
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
