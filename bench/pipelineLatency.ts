import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { startPipelineRun } from '../client/startRun';
import { parsePipelineParams } from '../contract';
import { loadWorkerConfig } from '../worker/config';
import { startDevServer } from '../launch/devServer';
import { runWorkersInProcess } from '../launch/stack';

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
const time = (t: { seconds?: { toNumber(): number } | number | null; nanos?: number | null } | null | undefined): number =>
  Number(typeof t?.seconds === 'number' ? t.seconds : (t?.seconds?.toNumber() ?? 0)) * 1000 + (t?.nanos ?? 0) / 1e6;

/** Time inside activities (started to completed, per the server), and how many ran. */
async function activityWork(handle: WorkflowHandle): Promise<{ workMs: number; activities: number }> {
  const { events } = await handle.fetchHistory();
  const started = new Map<string, number>();
  let workMs = 0;
  let activities = 0;
  for (const e of events ?? []) {
    if (e.activityTaskStartedEventAttributes) started.set(String(e.activityTaskStartedEventAttributes.scheduledEventId), time(e.eventTime));
    const done = e.activityTaskCompletedEventAttributes;
    if (done) {
      workMs += time(e.eventTime) - started.get(String(done.scheduledEventId))!;
      activities++;
    }
  }
  return { workMs, activities };
}

interface Summary {
  p50: number;
  p95: number;
}

function summarize(values: number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: ms(percentile(sorted, 50)), p95: ms(percentile(sorted, 95)) };
}

/** The same server and SDK running a chain of no-op activities: what any workflow pays per step here. */
async function platformFloor(env: Awaited<ReturnType<typeof startDevServer>>, steps: number, runs: number, warmup: number): Promise<Summary> {
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: 'bench-noop',
    workflowsPath: require.resolve('./workflows/noopChain'),
    activities: { noop: () => Promise.resolve() },
  });
  const totals: number[] = [];
  await worker.runUntil(async () => {
    for (let i = 0; i < warmup + runs; i++) {
      const t0 = performance.now();
      await env.client.workflow.execute('noopChain', { taskQueue: 'bench-noop', workflowId: `noop-${randomUUID()}`, args: [steps] });
      if (i >= warmup) totals.push(performance.now() - t0);
    }
  });
  return summarize(totals);
}

/**
 * Trigger-to-completion latency of the tiny pipeline on a local dev server with in-process workers,
 * and the overhead beyond the activities' own work.
 */
export async function benchPipelineLatency(runs = 25, warmup = 3): Promise<Record<string, unknown>> {
  const artifacts = await mkdtemp(join(tmpdir(), 'mlp-bench-'));
  const config = loadWorkerConfig({ ARTIFACT_ROOT: artifacts, DATA_ROOT: resolve(__dirname, '../examples/data') });
  const env = await startDevServer();
  const workers = await runWorkersInProcess(config, env);
  try {
    const totals: number[] = [];
    const overheads: number[] = [];
    let steps = 0;
    for (let i = 0; i < warmup + runs; i++) {
      const t0 = performance.now();
      const { handle } = await startPipelineRun(env.client, parsePipelineParams(TINY), { workflowId: `bench-${randomUUID()}` });
      await handle.result();
      const total = performance.now() - t0;
      if (i < warmup) continue;
      const { workMs, activities } = await activityWork(handle);
      totals.push(total);
      overheads.push(total - workMs);
      steps = activities;
    }
    const overhead = summarize(overheads);
    const floor = await platformFloor(env, steps, runs, warmup);
    return {
      runs,
      activitiesPerRun: steps,
      triggerToCompletionMs: summarize(totals),
      overheadBeyondWorkMs: overhead,
      overheadPerStepMs: { p50: ms(overhead.p50 / steps), p95: ms(overhead.p95 / steps) },
      noopChainOfSameLengthMs: floor,
      targetOverheadP50Ms: 150,
    };
  } finally {
    await workers.stop();
    await env.teardown();
    await rm(artifacts, { recursive: true, force: true });
  }
}
