import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createApiApp } from '../api/app';
import { JsonLogger } from '../api/common/jsonLogger';
import { loadApiConfig } from '../api/config';
import { LocalArtifactStore } from '../storage/localArtifactStore';
import { startPipelineRun } from '../client/startRun';
import { parsePipelineParams } from '../contract';
import { loadWorkerConfig } from '../worker/config';
import { startDevServer } from '../launch/devServer';
import { runWorkersInProcess } from '../launch/stack';

const KEY = 'bench-api-key-0123456789';
const RATE = 200;
const SECONDS = 10;

const PARAMS = {
  pipeline: 'bench-api',
  dataset: { source: 'iris.csv', target: 'species' },
  model: { type: 'logistic_regression' },
  deploy: { metric: 'accuracy', threshold: 0.5 },
  allowConcurrentRuns: true,
};

const run = promisify(execFile);

interface LoadResult {
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
  latency: { p50: number; p90: number; p99: number; max: number };
}

/** autocannon in its own process: in the API's process it would compete with it for the one event loop. */
async function load(url: string, method: 'GET' | 'POST', body?: string) {
  const args = [require.resolve('autocannon/autocannon.js'), '-j', '-c', '20', '-R', String(RATE), '-d', String(SECONDS), '-m', method];
  args.push('-H', 'content-type=application/json', '-H', `x-api-key=${KEY}`);
  if (body) args.push('-b', body);
  const { stdout } = await run(process.execPath, [...args, url], { maxBuffer: 16 << 20 });
  const result = JSON.parse(stdout) as LoadResult;
  return {
    targetRps: RATE,
    achievedRps: Math.round(result.requests.average),
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
  };
}

/**
 * POST /runs and GET /runs/:id under a fixed 200 req/s load against a local dev server and the API.
 * Workers run one pipeline to completion first and are stopped before the load, so the numbers are the
 * API's and Temporal's, not 200 trainings a second competing for the same two cores.
 */
export async function benchApi(): Promise<Record<string, unknown>> {
  const artifacts = await mkdtemp(join(tmpdir(), 'mlp-bench-api-'));
  const env = await startDevServer();
  const workers = await runWorkersInProcess(loadWorkerConfig({ ARTIFACT_ROOT: artifacts, DATA_ROOT: resolve(__dirname, '../examples/data') }), env);
  const config = loadApiConfig({ API_KEY: KEY, ARTIFACT_ROOT: artifacts, API_RUNS_PER_MINUTE: '1000000' });
  const app = await createApiApp(config, { client: env.client, store: new LocalArtifactStore(artifacts), logger: new JsonLogger(() => undefined) });
  await app.listen(0, '127.0.0.1');
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  try {
    const done = await startPipelineRun(env.client, parsePipelineParams(PARAMS), { workflowId: `bench-${randomUUID()}` });
    await done.handle.result();
    await workers.stop();
    const post = await load(`${base}/runs`, 'POST', JSON.stringify(PARAMS));
    const getCompleted = await load(`${base}/runs/${done.workflowId}`, 'GET');
    return { postRuns: { ...post, targetP99Ms: 25 }, getCompletedRun: { ...getCompleted, targetP99Ms: 15 } };
  } finally {
    await app.close();
    await env.teardown();
    await rm(artifacts, { recursive: true, force: true });
  }
}
