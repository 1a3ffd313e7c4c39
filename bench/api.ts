import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createApiApp } from '../api/app';
import { JsonLogger } from '../api/common/jsonLogger';
import { loadApiConfig } from '../api/config';
import { LocalArtifactStore } from '../storage/localArtifactStore';
import { startPipelineRun } from '../client/startRun';
import { parsePipelineParams, statusQuery } from '../contract';
import { type WorkflowHandle } from '@temporalio/client';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadWorkerConfig } from '../worker/config';
import { startDevServer } from '../launch/devServer';
import { runWorkersInProcess } from '../launch/stack';
import { descendantsCpuMs } from './processCpu';
import { loadWithVegeta } from './vegeta';

const KEY = 'bench-api-key-0123456789';
const RATE = 200;
const SECONDS = 10;

const PARAMS = {
  pipeline: 'bench-api',
  dataset: { source: 'iris.csv', target: 'species' },
  model: { type: 'logistic_regression', name: 'bench-api' },
  deploy: { metric: 'accuracy', threshold: 0.5 },
  allowConcurrentRuns: true,
};

const PREDICT = JSON.stringify({
  rows: [
    { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 },
    { sepal_length: 6.7, sepal_width: 3.1, petal_length: 4.4, petal_width: 1.4 },
  ],
});

/** This process's peak RSS (VmHWM) so far. */
const peakRssMiB = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

/** vegeta in its own process: in the API's process it would compete with it for the one event loop. */
async function load(url: string, method: 'GET' | 'POST', body?: string, oneAtATime = false) {
  const target = { url, method, body, headers: { 'content-type': 'application/json', 'x-api-key': KEY } };
  const server = descendantsCpuMs('temporal');
  const result = await loadWithVegeta(target, oneAtATime ? 'one-at-a-time' : { rate: RATE }, SECONDS);
  const serverMs = server === undefined ? undefined : (descendantsCpuMs('temporal') ?? NaN) - server;
  return {
    // This process serves the API alone (the workers are stopped, the server and the load are other processes).
    apiCpuMsPerRequest: Math.round(result.cpuMicros / 10 / result.requests) / 100,
    // The dev server's CPU over the same time (the attack and the wait for its last answers), per request.
    temporalServerCpuMsPerRequest: serverMs === undefined ? null : Math.round((serverMs * 100) / result.requests) / 100,
    targetRps: oneAtATime ? null : RATE,
    sentRps: result.sentRps,
    answeredRps: result.answeredRps,
    requests: result.requests,
    non2xx: result.non2xx,
    errors: result.errors,
    latencyMs: result.latencyMs,
    loadGeneratorPeakRssMiB: result.peakRssMiB,
  };
}

/** Waits until the run waits for a person's approval: running, with no step in flight. */
async function awaitingApproval(handle: WorkflowHandle): Promise<void> {
  for (let waited = 0; waited < 60_000; waited += 50) {
    if ((await handle.query(statusQuery)).stage === 'awaiting_approval') return;
    await sleep(50);
  }
  throw new Error(`run ${handle.workflowId} did not reach awaiting_approval in 60 s`);
}

/**
 * POST /runs, GET /runs/:id (by workflow id, and by run id) and POST /models/:name/predict (the model
 * the first run deployed) under a fixed 200 req/s load (vegeta, open loop) against a local dev server and the API, with
 * GET /healthz as the floor (HTTP, middleware and the load generator alone) and the API's CPU per request.
 * Workers run one pipeline to completion first and are stopped before the load, so the numbers are the
 * API's and Temporal's, not 200 trainings a second competing for the same two cores.
 */
export async function benchApi(): Promise<Record<string, unknown>> {
  const artifacts = await mkdtemp(join(tmpdir(), 'mlp-bench-api-'));
  const env = await startDevServer();
  const workers = await runWorkersInProcess(loadWorkerConfig({ ARTIFACT_ROOT: artifacts, DATA_ROOT: resolve(__dirname, '../examples/data') }), env);
  const config = loadApiConfig({ API_KEY: KEY, ARTIFACT_ROOT: artifacts, API_RUNS_PER_MINUTE: '1000000', API_PREDICTIONS_PER_MINUTE: '1000000' });
  const app = await createApiApp(config, { client: env.client, store: new LocalArtifactStore(artifacts), logger: new JsonLogger(() => undefined) });
  await app.listen(0, '127.0.0.1');
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  // The same API with no max age: every request builds the view, which is what a view's fetch costs.
  const noMaxAge = { ...config, runViewMaxAgeMs: { running: 0, closed: 0 } };
  const fresh = await createApiApp(noMaxAge, { client: env.client, store: new LocalArtifactStore(artifacts), logger: new JsonLogger(() => undefined) });
  await fresh.listen(0, '127.0.0.1');
  const freshBase = (await fresh.getUrl()).replace('[::1]', '127.0.0.1');
  try {
    const done = await startPipelineRun(env.client, parsePipelineParams(PARAMS), { workflowId: `bench-${randomUUID()}` });
    await done.handle.result();
    // A running run's view needs a worker to answer its status query: these workers, idle otherwise.
    const waiting = await startPipelineRun(env.client, parsePipelineParams({ ...PARAMS, deploy: { ...PARAMS.deploy, requireApproval: true } }), { workflowId: `bench-${randomUUID()}` });
    await awaitingApproval(waiting.handle);
    const getRunning = await load(`${base}/runs/${waiting.workflowId}`, 'GET');
    const getRunningOneAtATime = await load(`${base}/runs/${waiting.workflowId}`, 'GET', undefined, true);
    const getRunningBuiltEachTime = await load(`${freshBase}/runs/${waiting.workflowId}`, 'GET', undefined, true);
    await waiting.handle.terminate('bench over');
    await workers.stop();
    const post = await load(`${base}/runs`, 'POST', JSON.stringify(PARAMS));
    const getCompleted = await load(`${base}/runs/${done.workflowId}`, 'GET');
    // Named by run id, a closed run is served from the API's cache with no call to Temporal.
    const getById = await load(`${base}/runs/${done.workflowId}?runId=${done.runId}`, 'GET');
    const floor = await load(`${base}/healthz`, 'GET');
    const predict = await load(`${base}/models/${PARAMS.model.name}/predict`, 'POST', PREDICT);
    return {
      postRuns: { ...post, targetP99Ms: 25 },
      getCompletedRun: { ...getCompleted, targetP99Ms: 15 },
      getCompletedRunByRunId: { ...getById, targetP99Ms: 15 },
      // The CPU per request includes the in-process worker answering the status query.
      getRunningRun: { ...getRunning, targetP99Ms: 15 },
      getRunningRunOneAtATime: getRunningOneAtATime,
      // API_RUNNING_VIEW_MAX_AGE_MS=0: a describe and a status query for every request.
      getRunningRunBuiltEachTimeOneAtATime: getRunningBuiltEachTime,
      predictTwoRows: predict,
      floorHealthz: floor,
      // The API's process also ran the workers of the first pipeline (stopped before the load).
      apiProcessPeakRssMiB: peakRssMiB(),
    };
  } finally {
    await fresh.close();
    await app.close();
    await env.teardown();
    await rm(artifacts, { recursive: true, force: true });
  }
}
