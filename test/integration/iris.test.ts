import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { startPipelineRun } from '../../client/startRun';
import { parsePipelineParams, type PipelineResult, type PipelineStatus } from '../../contract';
import { startDevServer } from '../../launch/devServer';
import { findBinary } from '../../tools/temporal';
import { createSandbox, EXAMPLES, readExample, testConfig, testDeps, type Sandbox } from '../helpers/fixtures';
import { bundleWorkflows, withWorkers } from '../helpers/temporal';

const exec = promisify(execFile);

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
let sandbox: Sandbox;

before(async () => {
  [env, bundle, sandbox] = await Promise.all([startDevServer(), bundleWorkflows(), createSandbox()]);
});
after(async () => {
  await env?.teardown();
  await sandbox?.remove();
});

const work = <T>(body: () => Promise<T>) => withWorkers(env, testConfig(sandbox), testDeps(sandbox), bundle, body);

async function visibleCount(query: string): Promise<number> {
  for (let i = 0; i < 50; i++) {
    let n = 0;
    for await (const _ of env.client.workflow.list({ query })) n++;
    if (n > 0) return n;
    await sleep(100);
  }
  return 0;
}

describe('the pipeline on a real Temporal dev server', () => {
  test('iris random forest: accuracy >= 0.9 on the held-out split, deployed, findable by search attributes', async () => {
    const { handle, workflowId } = await startPipelineRun(env.client, parsePipelineParams({ ...(await readExample('iris.json')), allowConcurrentRuns: true }));
    const result = await work(() => handle.result() as Promise<PipelineResult>);
    assert.equal(result.outcome, 'deployed');
    assert.ok(result.metrics!.accuracy >= 0.9, `accuracy ${result.metrics!.accuracy}`);
    assert.ok(result.steps.every((s) => s.state !== 'failed'));
    assert.equal(await visibleCount(`WorkflowId = "${workflowId}" AND MlPipeline = "iris" AND MlStage = "deployed" AND MlPrimaryMetric >= 0.9`), 1);
    const description = await handle.describe();
    assert.deepEqual(description.memo, { pipeline: 'iris', model: 'random_forest_classifier', dataset: 'iris.csv', target: 'species' });
  });

  test('one active run per pipeline: a second start of the same pipeline is refused while the first runs', async () => {
    const params = parsePipelineParams({ ...(await readExample('iris-approval.json')), pipeline: `single-${randomUUID().slice(0, 8)}` });
    const first = await startPipelineRun(env.client, params);
    await assert.rejects(startPipelineRun(env.client, params), { name: 'WorkflowExecutionAlreadyStartedError' });
    await first.handle.terminate('test done');
  });

  test('Temporal CLI parity: start with an examples file, query status, signal approval', async () => {
    const cli = await findBinary('cli');
    assert.ok(cli, 'temporal CLI on PATH');
    const address = ['--address', env.address];
    const workflowId = `cli-${randomUUID()}`;
    await exec(cli, ['workflow', 'start', ...address, '--type', 'mlPipeline', '--task-queue', 'ml-pipeline', '--workflow-id', workflowId, '--input-file', `${EXAMPLES}/iris-approval.json`]);
    const status = await work(async () => {
      for (let i = 0; i < 300; i++) {
        const { stdout } = await exec(cli, ['workflow', 'query', ...address, '--workflow-id', workflowId, '--name', 'status', '--output', 'json']);
        const parsed = JSON.parse(stdout) as { queryResult: PipelineStatus[] };
        if (parsed.queryResult[0].stage === 'awaiting_approval') break;
        await sleep(100);
      }
      await exec(cli, ['workflow', 'signal', ...address, '--workflow-id', workflowId, '--name', 'approveDeploy', '--input', '{"by":"cli"}']);
      return env.client.workflow.getHandle(workflowId).result() as Promise<PipelineResult>;
    });
    assert.equal(status.outcome, 'deployed');
    assert.equal(status.decision?.approval, 'approved');
  });
});
