import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { type INestApplication } from '@nestjs/common';
import { WorkflowFailedError } from '@temporalio/client';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { createApiApp } from '../../api/app';
import { JsonLogger } from '../../api/common/jsonLogger';
import { loadApiConfig } from '../../api/config';
import { type RunDetail } from '../../api/runs/runView';
import { startPipelineRun } from '../../client/startRun';
import { parsePipelineParams, runKey, statusQuery, type PipelineParamsInput, type PipelineResult, type PipelineStatus } from '../../contract';
import { startDevServer } from '../../launch/devServer';
import { decodeModelArtifact } from '../../storage/modelArtifact';
import { API_KEY, request } from '../helpers/apiStack';
import { createSandbox, type Sandbox } from '../helpers/fixtures';
import { freePort } from '../helpers/ports';
import { scrape, valueOf } from '../helpers/prometheus';
import { bundleWorkflows, waitForStatus } from '../helpers/temporal';
import { spawnWorker, type WorkerProcess } from '../helpers/workerProcess';
import { twoClassCsv } from '../helpers/syntheticCsv';

let env: TestWorkflowEnvironment;
let sandbox: Sandbox;
let api: INestApplication;
let apiUrl: string;
let worker: WorkerProcess;
let metricsUrl: string;

const syntheticCsv = (rows: number, features: number): string => twoClassCsv(rows, features, 11, (x) => x[0] + 0.5 * x[1] - x[2]);

const forest = (pipeline: string, nTrees: number, train: { startToCloseSeconds?: number; heartbeatSeconds?: number }): PipelineParamsInput => ({
  pipeline,
  dataset: { source: 'synthetic.csv', target: 'label' },
  model: { type: 'random_forest_classifier', hyperparameters: { nTrees } },
  deploy: { metric: 'accuracy', threshold: 0.8 },
  timeouts: { train },
});

const trainOf = (s: PipelineStatus) => s.steps.find((x) => x.name === 'train')!;
const training = (s: PipelineStatus) => s.currentStep === 'train' && (trainOf(s).progress?.fraction ?? 0) > 0;
const getRun = (id: string) => request<RunDetail>(apiUrl, 'GET', `/runs/${encodeURIComponent(id)}`, undefined, { 'x-api-key': API_KEY });
const computeThreads = async () => valueOf(await scrape(metricsUrl), 'mlp_compute_threads_active');

/** Milliseconds from now until the worker runs no compute thread (bounded by `limitMs`, then fails). */
async function msUntilNoComputeThread(limitMs: number): Promise<number> {
  const started = performance.now();
  while ((await computeThreads()) !== 0) {
    if (performance.now() - started > limitMs) assert.fail(`a compute thread still runs ${limitMs} ms later\n${worker.output()}`);
    await sleep(50);
  }
  return performance.now() - started;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

before(async () => {
  let bundle;
  [env, sandbox, bundle] = await Promise.all([startDevServer(), createSandbox(), bundleWorkflows()]);
  const bundlePath = join(sandbox.dir, 'workflow-bundle.js');
  await Promise.all([writeFile(bundlePath, bundle.code), writeFile(join(sandbox.dataRoot, 'synthetic.csv'), syntheticCsv(30_000, 10))]);
  const [metricsPort, sdkPort] = [await freePort(), await freePort()];
  metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  worker = await spawnWorker({
    TEMPORAL_ADDRESS: env.address,
    ARTIFACT_ROOT: sandbox.artifactRoot,
    DATA_ROOT: sandbox.dataRoot,
    WORKFLOW_BUNDLE_PATH: bundlePath,
    PROGRESS_INTERVAL_MS: '200',
    WORKER_METRICS_PORT: String(metricsPort),
    SDK_METRICS_PORT: String(sdkPort),
    METRICS_HOST: '127.0.0.1',
    LOG_LEVEL: 'WARN',
  });
  api = await createApiApp(loadApiConfig({ API_KEY, ARTIFACT_ROOT: sandbox.artifactRoot }), {
    client: env.client,
    store: sandbox.store,
    logger: new JsonLogger(() => undefined),
  });
  await api.listen(0, '127.0.0.1');
  apiUrl = (await api.getUrl()).replace('[::1]', '127.0.0.1');
});
after(async () => {
  if (worker?.child.exitCode === null) worker.child.kill('SIGKILL');
  await api?.close();
  await env?.teardown();
  await sandbox?.remove();
});

describe('compute threads on a worker process', () => {
  test('a training lasting several times its heartbeat timeout completes; status and GET /runs/:id answer fast throughout', async (t) => {
    // Sized to outlast 3 heartbeat timeouts on an idle machine too (~12 s there; longer under load).
    const heartbeatSeconds = 2;
    const { handle } = await startPipelineRun(env.client, parsePipelineParams(forest('long-training', 2000, { heartbeatSeconds })));
    await waitForStatus(handle, training, 120_000).catch((e: unknown) => assert.fail(`${String(e)}\n${worker.output()}`));
    const queryMs: number[] = [];
    const apiMs: number[] = [];
    let status = await handle.query(statusQuery);
    while (status.currentStep === 'train') {
      const q = await timed(() => handle.query(statusQuery));
      queryMs.push(q.ms);
      status = q.value;
      const g = await timed(() => getRun(handle.workflowId));
      apiMs.push(g.ms);
      assert.equal(g.value.status, 200, g.value.text);
      assert.equal(g.value.body.partial, false, 'the worker answers the status query during training');
      await sleep(200);
    }
    const result = (await handle.result()) as PipelineResult;
    assert.equal(result.outcome, 'deployed');
    const train = trainOf(result);
    assert.equal(train.attempt, 1, 'no attempt timed out');
    const fitSeconds = Number(/fitted in ([\d.]+) s/.exec(train.summary ?? '')?.[1]);
    assert.ok(fitSeconds > 3 * heartbeatSeconds, `training took ${fitSeconds} s, not several heartbeat timeouts`);
    t.diagnostic(`fit ${fitSeconds} s; max status query ${Math.max(...queryMs).toFixed(0)} ms, max GET /runs/:id ${Math.max(...apiMs).toFixed(0)} ms over ${queryMs.length} samples`);
    assert.ok(queryMs.length >= 10, `${queryMs.length} samples`);
    assert.ok(Math.max(...queryMs) < 1_000, `status query latencies during training (ms): ${queryMs.map((m) => m.toFixed(0)).join(' ')}`);
    assert.ok(Math.max(...apiMs) < 1_000, `GET /runs/:id latencies during training (ms): ${apiMs.map((m) => m.toFixed(0)).join(' ')}`);
  });

  test('a cancelled run stops its compute thread within 5 s', async (t) => {
    const { handle } = await startPipelineRun(env.client, parsePipelineParams(forest('cancelled-training', 2000, {})));
    await waitForStatus(handle, training, 120_000);
    assert.equal(await computeThreads(), 1, 'the training runs in a compute thread');
    await handle.cancel();
    const ms = await msUntilNoComputeThread(5_000);
    t.diagnostic(`compute thread gone ${ms.toFixed(0)} ms after the cancel request`);
    await assert.rejects(handle.result(), /cancel/i);
    assert.equal(trainOf(await handle.query(statusQuery)).state, 'cancelled');
    assert.ok(ms < 5_000, `stopped after ${ms.toFixed(0)} ms`);
  });

  test('a training that times out on every attempt fails after 3: attempt 3 in the status, the API and the report; no compute left behind', async (t) => {
    const { handle } = await startPipelineRun(env.client, parsePipelineParams(forest('timed-out-training', 2000, { startToCloseSeconds: 3, heartbeatSeconds: 2 })));
    await assert.rejects(handle.result(), WorkflowFailedError);
    const failedAt = performance.now();
    t.diagnostic(`compute thread gone ${(await msUntilNoComputeThread(5_000)).toFixed(0)} ms after the run failed`);
    assert.ok(performance.now() - failedAt < 5_000);

    const status = await handle.query(statusQuery);
    assert.deepEqual({ state: trainOf(status).state, attempt: trainOf(status).attempt }, { state: 'failed', attempt: 3 });
    const viaApi = await getRun(handle.workflowId);
    assert.equal(viaApi.status, 200, viaApi.text);
    assert.equal(trainOf(viaApi.body.run!).attempt, 3);
    const { runId } = await handle.describe();
    const report = (await sandbox.store.get(runKey({ pipeline: 'timed-out-training', workflowId: handle.workflowId, runId }, 'report', 'report.md'))).toString('utf8');
    assert.match(report, /\|\s*train\s*\|\s*failed\s*\|\s*3\s*\|/, report);
  });

  test('a forest trained in 3 shards on the compute pool is the forest one activity trains', async () => {
    const shardedParams = { ...forest('sharded', 30, {}), keepIntermediates: true };
    const run = async (pipeline: string, shards: number) => {
      const started = await startPipelineRun(env.client, parsePipelineParams({ ...shardedParams, pipeline, model: { type: 'random_forest_classifier', hyperparameters: { nTrees: 30, shards } } }));
      const result = (await started.handle.result()) as PipelineResult;
      assert.equal(result.outcome, 'deployed');
      const history = await started.handle.fetchHistory();
      const types = (history.events ?? []).flatMap((e) => (e.activityTaskScheduledEventAttributes?.activityType?.name ? [e.activityTaskScheduledEventAttributes.activityType.name] : []));
      const model = decodeModelArtifact(await sandbox.store.get(runKey({ pipeline, workflowId: started.workflowId, runId: started.runId }, 'model', 'model.json')));
      return { types, model, metrics: result.metrics };
    };
    const [sharded, single] = [await run('sharded', 3), await run('single', 1)];
    assert.equal(sharded.types.filter((t) => t === 'trainShard').length, 3);
    assert.ok(sharded.types.includes('mergeForest') && !sharded.types.includes('train'));
    assert.ok(single.types.includes('train') && !single.types.includes('trainShard'));
    assert.deepEqual(sharded.model.model, single.model.model);
    assert.deepEqual(sharded.metrics, single.metrics);
  });

  test('with no worker to answer, GET /runs/:id answers in ~2 s from what the server knows, marked partial', async (t) => {
    const { handle } = await startPipelineRun(env.client, parsePipelineParams(forest('worker-gone', 2000, {})));
    await waitForStatus(handle, training, 120_000);
    // Past the heartbeat throttle (2 s), so the server holds per-tree progress.
    await sleep(3_000);
    worker.child.kill('SIGKILL');
    await worker.exited();
    const { value: res, ms } = await timed(() => getRun(handle.workflowId));
    assert.equal(res.status, 200, res.text);
    t.diagnostic(`partial view after ${ms.toFixed(0)} ms`);
    assert.ok(ms < 4_000, `answered after ${ms.toFixed(0)} ms`);
    const view = res.body;
    assert.equal(view.partial, true);
    assert.equal(view.run, null);
    assert.equal(view.stage, 'training', 'from the MlStage search attribute');
    assert.equal(view.pipeline, 'worker-gone');
    const pending = view.pending.find((p) => p.step === 'train');
    assert.ok(pending, JSON.stringify(view.pending));
    assert.equal(pending.attempt, 1);
    assert.equal(pending.maximumAttempts, 3);
    assert.ok(pending.lastHeartbeatAt, 'the last heartbeat time');
    assert.match(String((pending.heartbeat as { message?: string } | undefined)?.message), /^\d+\/2000$/, JSON.stringify(pending.heartbeat));
    await handle.terminate('test over');
  });
});
