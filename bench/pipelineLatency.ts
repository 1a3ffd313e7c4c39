import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, type WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { startPipelineRun } from '../client/startRun';
import { parsePipelineParams } from '../contract';
import { loadWorkerConfig } from '../worker/config';
import { startDevServer } from '../launch/devServer';
import { runWorkersInProcess } from '../launch/stack';
import { activityRunMs, medianTimeline, timelineOf, type Timeline } from './historyTimeline';

/** The tiny pipeline: Iris, a 10-tree forest, no sensor, no approval. */
const TINY = {
  pipeline: 'bench-tiny',
  dataset: { source: 'iris.csv', target: 'species' },
  model: { type: 'random_forest_classifier', hyperparameters: { nTrees: 10 } },
  deploy: { metric: 'accuracy', threshold: 0.5 },
  allowConcurrentRuns: true,
};

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const ms = (n: number): number => Math.round(n * 10) / 10;

/** The run's history: where its time went, and each step's own work. */
async function historyOf(handle: WorkflowHandle): Promise<{ timeline: Timeline; work: Record<string, number> }> {
  const { events } = await handle.fetchHistory();
  return { timeline: timelineOf(events ?? []), work: activityRunMs(events ?? []) };
}

function medians(runs: readonly Record<string, number>[]): Record<string, number> {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r)))];
  return Object.fromEntries(keys.map((k) => [k, summarize(runs.map((r) => r[k] ?? 0)).p50]));
}

interface Summary {
  p50: number;
  p95: number;
}

function summarize(values: number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: ms(percentile(sorted, 50)), p95: ms(percentile(sorted, 95)) };
}

/** The same server and SDK running a chain of no-op activities (remote, then local): what any workflow pays per step here. */
async function platformFloor(env: Awaited<ReturnType<typeof startDevServer>>, steps: number, runs: number, warmup: number) {
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: 'bench-noop',
    workflowsPath: require.resolve('./workflows/noopChain'),
    activities: { noop: () => Promise.resolve() },
  });
  const chain = async (workflowType: 'noopChain' | 'noopLocalChain') => {
    const totals: number[] = [];
    const timelines: Timeline[] = [];
    for (let i = 0; i < warmup + runs; i++) {
      const t0 = performance.now();
      const handle = await env.client.workflow.start(workflowType, { taskQueue: 'bench-noop', workflowId: `noop-${randomUUID()}`, args: [steps] });
      await handle.result();
      if (i < warmup) continue;
      totals.push(performance.now() - t0);
      timelines.push((await historyOf(handle)).timeline);
    }
    return { triggerToCompletionMs: summarize(totals), medianHistory: medianTimeline(timelines) };
  };
  return worker.runUntil(async () => ({ remote: await chain('noopChain'), local: await chain('noopLocalChain') }));
}

type DevEnv = Awaited<ReturnType<typeof startDevServer>>;

/** `runs` tiny pipelines one after another (after `warmup`): their wall times and where the time went. */
async function tinyRuns(env: DevEnv, params: Record<string, unknown>, runs: number, warmup: number, eager = false) {
  // Eager start needs a client on the workers' own (native) connection.
  const client = eager ? new Client({ connection: env.nativeConnection }) : env.client;
  let eagerlyStarted = 0;
  const totals: number[] = [];
  const overheads: number[] = [];
  const timelines: Timeline[] = [];
  const work: Record<string, number>[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    const t0 = performance.now();
    const { handle } = await startPipelineRun(client, parsePipelineParams(params), { workflowId: `bench-${randomUUID()}`, eager });
    await handle.result();
    const total = performance.now() - t0;
    if (i < warmup) continue;
    if ((handle as { eagerlyStarted?: boolean }).eagerlyStarted) eagerlyStarted++;
    const history = await historyOf(handle);
    totals.push(total);
    overheads.push(total - history.timeline.activityRunMs);
    timelines.push(history.timeline);
    work.push(history.work);
  }
  return {
    ...(eager && { eagerlyStarted }),
    triggerToCompletionMs: summarize(totals),
    overheadBeyondRemoteWorkMs: summarize(overheads),
    medianHistory: medianTimeline(timelines),
    medianRemoteWorkMsByActivity: medians(work),
  };
}

/**
 * Trigger-to-completion latency of the tiny pipeline on a local dev server with in-process workers:
 * as it runs by default (the steps after ingest local, the data being small) and with every step an
 * ordinary activity; where the time went by the runs' histories; and the no-op chain floor.
 */
export async function benchPipelineLatency(runs = 20, warmup = 3): Promise<Record<string, unknown>> {
  const artifacts = await mkdtemp(join(tmpdir(), 'mlp-bench-'));
  const config = loadWorkerConfig({ ARTIFACT_ROOT: artifacts, DATA_ROOT: resolve(__dirname, '../examples/data') });
  const env = await startDevServer();
  const workers = await runWorkersInProcess(config, env);
  try {
    const localSteps = await tinyRuns(env, TINY, runs, warmup);
    const remoteSteps = await tinyRuns(env, { ...TINY, smallData: { maxRows: 0 } }, runs, warmup);
    const localStepsEagerStart = await tinyRuns(env, TINY, runs, warmup, true);
    const steps = Object.keys(remoteSteps.medianRemoteWorkMsByActivity).length;
    return {
      runs,
      localSteps,
      localStepsEagerStart,
      remoteSteps,
      noopChainOfSameLength: { steps, ...(await platformFloor(env, steps, runs, warmup)) },
      targetP50Ms: 150,
    };
  } finally {
    await workers.stop();
    await env.teardown();
    await rm(artifacts, { recursive: true, force: true });
  }
}
