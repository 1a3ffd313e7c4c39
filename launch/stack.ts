import { resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { TASK_QUEUES } from '../contract';
import { type WorkerConfig } from '../worker/config';
import { buildActivityDeps } from '../worker/deps';
import { startDevServer } from './devServer';
import { type WorkerMetrics } from '../worker/metrics';
import { createWorkers, workflowSource } from '../worker/workers';

export const EMBEDDED = {
  port: 7233,
  uiPort: 8233,
  dbFilename: resolve('.data/temporal.db'),
} as const;

/** What a command started, so it can stop exactly that. */
export interface Stack {
  readonly client: Client;
  readonly webUi?: string;
  readonly description: string;
  stop(): Promise<void>;
}

/** Runs the pools in this process; `stop` shuts them down and waits for in-flight tasks. */
export async function runWorkersInProcess(config: WorkerConfig, env: { nativeConnection: NativeConnection }, metrics?: WorkerMetrics) {
  const workers: Worker[] = await createWorkers(config, env.nativeConnection, buildActivityDeps(config), workflowSource(config), metrics);
  const running = Promise.all(workers.map((w) => w.run()));
  return {
    running,
    stop: async (): Promise<void> => {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
      await running;
    },
  };
}

/** Temporal dev server (persisted under .data/, Web UI on :8233) plus both worker pools, in this process. */
export async function startEmbeddedStack(config: WorkerConfig, metrics?: WorkerMetrics): Promise<Stack & { running: Promise<unknown>; env: TestWorkflowEnvironment }> {
  const env = await startDevServer({ ...EMBEDDED, namespace: config.temporal.namespace });
  const workers = await runWorkersInProcess(config, env, metrics);
  return {
    env,
    client: env.client,
    running: workers.running,
    webUi: `http://localhost:${EMBEDDED.uiPort}`,
    description: `embedded Temporal dev server on localhost:${EMBEDDED.port} and workers (${config.pools.join(', ')})`,
    stop: async () => {
      await workers.stop();
      await env.teardown();
    },
  };
}

async function tryConnect(address: string): Promise<Connection | undefined> {
  try {
    return await Connection.connect({ address, connectTimeout: 1_000 });
  } catch {
    return undefined;
  }
}

async function hasPollers(client: Client, namespace: string): Promise<boolean> {
  const { pollers } = await client.workflowService.describeTaskQueue({
    namespace,
    taskQueue: { name: TASK_QUEUES.light },
    taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  });
  return (pollers ?? []).length > 0;
}

/**
 * The stack to run on: the one already running at TEMPORAL_ADDRESS (adding workers when none poll),
 * or an embedded one started here.
 */
export async function attachOrStartStack(config: WorkerConfig): Promise<Stack> {
  const connection = await tryConnect(config.temporal.address);
  if (!connection) return startEmbeddedStack(config);
  const client = new Client({ connection, namespace: config.temporal.namespace });
  if (await hasPollers(client, config.temporal.namespace)) {
    return { client, description: `running stack at ${config.temporal.address}`, stop: () => connection.close() };
  }
  const nativeConnection = await NativeConnection.connect({ address: config.temporal.address });
  const workers = await runWorkersInProcess(config, { nativeConnection });
  return {
    client,
    description: `Temporal at ${config.temporal.address} with workers started here`,
    stop: async () => {
      await workers.stop();
      await nativeConnection.close();
      await connection.close();
    },
  };
}
