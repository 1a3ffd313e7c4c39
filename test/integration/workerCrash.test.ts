import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { ModelRegistry } from '../../storage/modelRegistry';
import { startPipelineRun } from '../../client/startRun';
import { parsePipelineParams, type PipelineResult } from '../../contract';
import { startDevServer } from '../../launch/devServer';
import { createSandbox, type Sandbox } from '../helpers/fixtures';
import { bundleWorkflows, waitForStatus } from '../helpers/temporal';
import { spawnWorker, type WorkerProcess } from '../helpers/workerProcess';
import { twoClassCsv } from '../helpers/syntheticCsv';

let env: TestWorkflowEnvironment;
let sandbox: Sandbox;
let workerEnv: NodeJS.ProcessEnv;
const running: WorkerProcess[] = [];

const syntheticCsv = (rows: number, features: number): string => twoClassCsv(rows, features, 11, (x) => x[0] + 0.5 * x[1] - x[2]);

before(async () => {
  let bundle;
  [env, sandbox, bundle] = await Promise.all([startDevServer(), createSandbox(), bundleWorkflows()]);
  const bundlePath = join(sandbox.dir, 'workflow-bundle.js');
  await Promise.all([writeFile(bundlePath, bundle.code), writeFile(join(sandbox.dataRoot, 'synthetic.csv'), syntheticCsv(30_000, 10))]);
  workerEnv = {
    TEMPORAL_ADDRESS: env.address,
    ARTIFACT_ROOT: sandbox.artifactRoot,
    DATA_ROOT: sandbox.dataRoot,
    WORKFLOW_BUNDLE_PATH: bundlePath,
    PROGRESS_INTERVAL_MS: '100',
    LOG_LEVEL: 'WARN',
  };
});
after(async () => {
  for (const w of running) if (w.child.exitCode === null) w.child.kill('SIGKILL');
  await env?.teardown();
  await sandbox?.remove();
});

const start = async (): Promise<WorkerProcess> => {
  const w = await spawnWorker(workerEnv);
  running.push(w);
  return w;
};

describe('worker process', () => {
  test('a worker killed with SIGKILL mid-training: the run resumes on a new worker and registers exactly one model version', async () => {
    const { handle } = await startPipelineRun(
      env.client,
      parsePipelineParams({
        pipeline: 'crash-test',
        dataset: { source: 'synthetic.csv', target: 'label' },
        model: { type: 'random_forest_classifier', hyperparameters: { nTrees: 300 } },
        deploy: { metric: 'accuracy', threshold: 0.8 },
      }),
    );
    const first = await start();
    const training = await waitForStatus(
      handle,
      (s) => s.currentStep === 'train' && (s.steps.find((x) => x.name === 'train')?.progress?.fraction ?? 0) > 0.05,
      120_000,
    ).catch((e: unknown) => assert.fail(`${String(e)}\n${first.output()}`));
    assert.ok(training.steps.find((s) => s.name === 'train')!.progress!.fraction! < 1, 'killed before training finished');
    first.child.kill('SIGKILL');
    assert.equal(await first.exited(), null);

    const second = await start();
    const result = (await handle.result().catch((e: unknown) => assert.fail(`${String(e)}\n${second.output()}`))) as PipelineResult;
    assert.equal(result.outcome, 'deployed');
    assert.equal(result.steps.find((s) => s.name === 'train')?.attempt, 2);
    const versions = await new ModelRegistry(sandbox.store).versions('crash-test');
    assert.deepEqual(
      versions.map((v) => v.version),
      ['1'],
    );
    second.child.kill('SIGTERM');
    assert.equal(await second.exited(), 0, second.output());
  });
});
