import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Client } from '@temporalio/client';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { startPipelineRun } from '../client/startRun';
import { parsePipelineParams, type PipelineParamsInput } from '../contract';
import { startDevServer } from '../launch/devServer';
import { descendantsCpuMs, processCpuMs } from './processCpu';
import { spawnWorker, type WorkerProcess } from './scale/processes';

/** Metric ports of the worker processes: two per process from here. */
const PORTS = Number(process.env.BENCH_THROUGHPUT_PORT_BASE ?? 26300);

/** The tiny pipeline of `bench pipeline`; each run its own model, so the registry's version list does not grow with the load. */
const tiny = (i: number): PipelineParamsInput => ({
  pipeline: `bench-tp-${i}`,
  dataset: { source: 'iris.csv', target: 'species' },
  model: { type: 'random_forest_classifier', hyperparameters: { nTrees: 10 } },
  deploy: { metric: 'accuracy', threshold: 0.5 },
});

export interface ThroughputOptions {
  readonly seconds: number;
  readonly concurrency: number;
  readonly processes: readonly number[];
  /** Extra worker environment, e.g. MAX_CONCURRENT_WORKFLOW_TASKS, to find the limits. */
  readonly workerEnv: NodeJS.ProcessEnv;
}

/** `--seconds N`, `--concurrency N`, `--processes 1,2` and `--env KEY=VALUE` (repeatable) after `throughput`. */
export function throughputOptions(argv: readonly string[]): ThroughputOptions {
  const value = (flag: string) => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const workerEnv: NodeJS.ProcessEnv = {};
  argv.forEach((a, i) => {
    if (a !== '--env') return;
    const [key, ...rest] = argv[i + 1].split('=');
    workerEnv[key] = rest.join('=');
  });
  return {
    seconds: Number(value('--seconds') ?? 60),
    concurrency: Number(value('--concurrency') ?? 16),
    processes: (value('--processes') ?? '1,2').split(',').map(Number),
    workerEnv,
  };
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
const round = (n: number): number => Math.round(n * 10) / 10;

/** CPU milliseconds so far of the worker processes, the dev server and this process (the client; the floors' worker too). */
function cpuNow(workers: readonly WorkerProcess[]) {
  const { user, system } = process.cpuUsage();
  return {
    workers: workers.reduce((sum, w) => sum + (processCpuMs(w.child.pid ?? -1) ?? NaN), 0),
    temporalServer: descendantsCpuMs('temporal') ?? NaN,
    thisProcess: (user + system) / 1000,
  };
}

/**
 * What each completed run cost each process in CPU over a window, and how many of the machine's
 * cores were busy with it all: the bound a faster run has to fit under.
 */
async function withCpu<T extends { completed: number; seconds: number }>(workers: readonly WorkerProcess[], measure: () => Promise<T>) {
  const before = cpuNow(workers);
  const t0 = performance.now();
  const result = await measure();
  const wallMs = performance.now() - t0;
  const after = cpuNow(workers);
  const spent = { workers: after.workers - before.workers, temporalServer: after.temporalServer - before.temporalServer, thisProcess: after.thisProcess - before.thisProcess };
  const perRun = (ms: number) => round(ms / Math.max(1, result.completed));
  return {
    ...result,
    cpuMsPerRun: { ...(workers.length > 0 && { workers: perRun(spent.workers) }), temporalServer: perRun(spent.temporalServer), thisProcess: perRun(spent.thisProcess) },
    coresBusy: round((spent.workers + spent.temporalServer + spent.thisProcess) / wallMs),
  };
}

/** Whether the worker's probe says every pool polls. */
const ready = (port: number): Promise<boolean> =>
  fetch(`http://127.0.0.1:${port}/readyz`).then(
    (r) => r.ok,
    () => false,
  );

/** One tiny pipeline, from its start to its result. */
const tinyRun = (client: Client) => async (i: number, signal: AbortSignal) => {
  const { handle } = await startPipelineRun(client, parsePipelineParams(tiny(i)), { workflowId: `tp-${randomUUID()}` });
  await client.withAbortSignal(signal, () => handle.result());
};

/**
 * The floors: the same load of no-op workflows on a worker in this process, with the SDK's default
 * limits: 7-step chains of ordinary activities, or a small run's shape (one ordinary activity, eight local ones).
 */
async function noopFloor(env: Awaited<ReturnType<typeof startDevServer>>, seconds: number, concurrency: number, workflowType: 'noopChain' | 'noopSmallRunShape') {
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: 'bench-noop-tp',
    workflowsPath: require.resolve('./workflows/noopChain'),
    activities: { noop: () => Promise.resolve() },
  });
  return worker.runUntil(() =>
    withCpu([], () =>
      load(env.client, seconds, concurrency, async (_i, signal) => {
        const handle = await env.client.workflow.start(workflowType, { taskQueue: 'bench-noop-tp', workflowId: `noop-${randomUUID()}`, args: workflowType === 'noopChain' ? [7] : [] });
        await env.client.withAbortSignal(signal, () => handle.result());
      }),
    ),
  );
}

/**
 * `concurrency` runs kept in flight for `seconds` (closed loop): each slot starts the next run as
 * soon as its last one ends. Completed runs per second over the window, trigger-to-done p50/p95, and
 * runs lost (started, not completed within a minute after the window).
 */
async function load(client: Client, seconds: number, concurrency: number, runOne: (i: number, signal: AbortSignal) => Promise<unknown> = tinyRun(client)) {
  const latencies: number[] = [];
  let started = 0;
  let completed = 0;
  let failed = 0;
  const windowStart = performance.now();
  const deadline = windowStart + seconds * 1000;
  let inWindow = 0;
  // Runs still open a minute after the window are lost; their waits are aborted so nothing outlives the bench.
  const drained = new AbortController();
  // Every wait listens on it: one per slot, and the client's own per call.
  setMaxListeners(0, drained.signal);
  const slot = async () => {
    while (performance.now() < deadline && !drained.signal.aborted) {
      const i = started++;
      const t0 = performance.now();
      try {
        await runOne(i, drained.signal);
        const done = performance.now();
        completed++;
        if (done <= deadline) inWindow++;
        latencies.push(done - t0);
      } catch (error) {
        if (drained.signal.aborted) continue;
        failed++;
        const chain: string[] = [];
        for (let e: unknown = error; e instanceof Error; e = e.cause) chain.push(e.message);
        console.error(`run ${i} failed: ${chain.join(' <- ')}`);
      }
    }
  };
  const timer = setTimeout(() => drained.abort(), seconds * 1000 + 60_000);
  await Promise.all(Array.from({ length: concurrency }, slot));
  clearTimeout(timer);
  const sorted = latencies.sort((a, b) => a - b);
  return {
    seconds,
    concurrency,
    completedPerSecond: round(inWindow / seconds),
    started,
    completed,
    failed,
    lost: started - completed - failed,
    triggerToDoneMs: { p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)), max: round(sorted[sorted.length - 1] ?? 0) },
  };
}

/**
 * Tiny pipelines completed per second with 1 and 2 worker processes (each polling both pools, as
 * `npm start` runs them) against a local dev server, from this process as the only client.
 */
export async function benchThroughput(options: ThroughputOptions): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(join(tmpdir(), 'mlp-bench-tp-'));
  const env = await startDevServer();
  const bundlePath = join(dir, 'workflow-bundle.js');
  await writeFile(bundlePath, (await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error } })).code);
  const results: Record<string, unknown> = { loadBefore: loadavg().map(round), workerEnv: options.workerEnv };
  try {
    for (const count of options.processes) {
      const workers: WorkerProcess[] = Array.from({ length: count }, (_, i) =>
        spawnWorker(`worker-${i}`, {
          TEMPORAL_ADDRESS: env.address,
          ARTIFACT_ROOT: join(dir, `artifacts-${count}`),
          DATA_ROOT: resolve(__dirname, '../examples/data'),
          WORKFLOW_BUNDLE_PATH: bundlePath,
          WORKER_METRICS_PORT: String(PORTS + 2 * i),
          SDK_METRICS_PORT: String(PORTS + 2 * i + 1),
          METRICS_HOST: '127.0.0.1',
          LOG_LEVEL: 'WARN',
          ...options.workerEnv,
        }),
      );
      try {
        while (!(await Promise.all(workers.map((_, i) => ready(PORTS + 2 * i)))).every(Boolean)) {
          if (workers.some((w) => w.child.exitCode !== null)) throw new Error(`a worker exited:\n${workers.map((w) => w.output()).join('\n')}`);
          await sleep(200);
        }
        await load(env.client, 5, options.concurrency);
        const measured = await withCpu(workers, () => load(env.client, options.seconds, options.concurrency));
        results[`${count}-process${count === 1 ? '' : 'es'}`] = { ...measured, peakRssMiB: await Promise.all(workers.map((w) => w.peakRssMiB())), loadAfter: loadavg().map(round) };
      } finally {
        await Promise.all(workers.map((w) => w.stop()));
      }
    }
    results.noopChainFloor = { ...(await noopFloor(env, options.seconds, options.concurrency, 'noopChain')), loadAfter: loadavg().map(round) };
    results.noopSmallRunShapeFloor = { ...(await noopFloor(env, options.seconds, options.concurrency, 'noopSmallRunShape')), loadAfter: loadavg().map(round) };
    return results;
  } finally {
    await env.teardown();
    await rm(dir, { recursive: true, force: true });
  }
}
