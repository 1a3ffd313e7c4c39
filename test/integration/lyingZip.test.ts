import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { crc32, deflateRawSync } from 'node:zlib';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { startPipelineRun } from '../../client/startRun';
import { parsePipelineParams, type PipelineResult } from '../../contract';
import { startDevServer } from '../../launch/devServer';
import { createSandbox, readExample, type Sandbox } from '../helpers/fixtures';
import { freePort } from '../helpers/ports';
import { bundleWorkflows, causes } from '../helpers/temporal';
import { spawnWorker, type WorkerProcess } from '../helpers/workerProcess';
import { makeZip } from '../helpers/zipWriter';

let env: TestWorkflowEnvironment;
let sandbox: Sandbox;
let worker: WorkerProcess;

/** 64 MiB of CSV deflated to well under 1 MiB, its headers saying it inflates to 100 bytes. */
function lyingZip(): Buffer {
  const csv = Buffer.from('a,b\n'.concat('1,2\n'.repeat(16 << 20)));
  return makeZip([{ name: 'data.csv', compressed: deflateRawSync(csv, { level: 9 }), crc: crc32(csv), declaredSize: 100 }]);
}

before(async () => {
  let bundle;
  [env, sandbox, bundle] = await Promise.all([startDevServer(), createSandbox(), bundleWorkflows()]);
  const bundlePath = join(sandbox.dir, 'workflow-bundle.js');
  await Promise.all([writeFile(bundlePath, bundle.code), writeFile(join(sandbox.dataRoot, 'liar.zip'), lyingZip())]);
  worker = await spawnWorker({
    TEMPORAL_ADDRESS: env.address,
    ARTIFACT_ROOT: sandbox.artifactRoot,
    DATA_ROOT: sandbox.dataRoot,
    WORKFLOW_BUNDLE_PATH: bundlePath,
    WORKER_METRICS_PORT: String(await freePort()),
    SDK_METRICS_PORT: String(await freePort()),
    LOG_LEVEL: 'WARN',
  });
});
after(async () => {
  if (worker?.child.exitCode === null) worker.child.kill('SIGKILL');
  await env?.teardown();
  await sandbox?.remove();
});

describe('a zip entry whose declared size is false, on a worker process', () => {
  test('8 concurrent runs each fail at ingest without retry; the worker lives on and then deploys iris', async () => {
    const iris = await readExample('iris.json');
    const starts = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        startPipelineRun(env.client, parsePipelineParams({ ...iris, pipeline: `liar-${i}`, dataset: { source: 'liar.zip', target: 'b' }, validation: {} })),
      ),
    );
    const outcomes = await Promise.all(starts.map(({ handle }) => handle.result().then(() => 'completed', (e: unknown) => causes(e))));
    for (const outcome of outcomes) {
      assert.match(outcome, /cannot extract "data\.csv": too many bytes in the stream/, `${outcome}\n${worker.output().slice(-2000)}`);
    }
    for (const { handle } of starts) {
      const history = await handle.fetchHistory();
      const ingestStarts = history.events!.filter((e) => e.activityTaskStartedEventAttributes && e.activityTaskStartedEventAttributes.attempt! > 1);
      assert.equal(ingestStarts.length, 0, `${handle.workflowId}: bad input is not retried`);
    }
    assert.equal(worker.child.exitCode, null, `the worker process is alive\n${worker.output().slice(-2000)}`);
    const { handle } = await startPipelineRun(env.client, parsePipelineParams({ ...iris, pipeline: 'after-liars' }));
    assert.equal(((await handle.result()) as PipelineResult).outcome, 'deployed');
  });
});
