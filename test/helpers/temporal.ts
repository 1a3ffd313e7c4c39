import { setTimeout as sleep } from 'node:timers/promises';
import { type WorkflowHandle } from '@temporalio/client';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap, type Worker } from '@temporalio/worker';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { type ActivityDeps } from '../../activities';
import { statusQuery, type PipelineStatus } from '../../contract';
import { type WorkerConfig } from '../../worker/config';
import { installQuietRuntime } from '../../worker/logging';
import { createWorkers } from '../../worker/workers';

installQuietRuntime();

/** Bundles the workflows once per test file (the bundle is what a worker would build at start). */
export async function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: (m) => console.error(m) } });
}

/** Runs the real worker pools against `env` while `body` runs, then shuts them down. */
export async function withWorkers<T>(
  env: TestWorkflowEnvironment,
  config: WorkerConfig,
  deps: ActivityDeps,
  bundle: WorkflowBundleWithSourceMap,
  body: () => Promise<T>,
): Promise<T> {
  const workers: Worker[] = await createWorkers(config, env.nativeConnection, deps, { workflowBundle: bundle });
  const done = body();
  await Promise.all(workers.map((w) => w.runUntil(done.catch(() => undefined))));
  return done;
}

/** Polls the `status` query until `predicate` holds (bounded: fails after `timeoutMs`). */
export async function waitForStatus(
  handle: WorkflowHandle,
  predicate: (s: PipelineStatus) => boolean,
  timeoutMs = 30_000,
): Promise<PipelineStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await handle.query(statusQuery);
    if (predicate(status)) return status;
    if (Date.now() > deadline) throw new Error(`status never matched; last: ${JSON.stringify(status)}`);
    await sleep(100);
  }
}

/** Prints the chain of causes of a failure, for assertion messages. */
export function causes(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error; e instanceof Error; e = e.cause) parts.push(`${e.constructor.name}: ${e.message}${'retryState' in e ? ` (retryState ${String(e.retryState)})` : ''}`);
  return parts.join(' <- ');
}
