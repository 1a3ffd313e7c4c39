import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { connectTo, TemporalConnectError } from '../connection/connectError';
import { TASK_QUEUES } from '../contract';
import { type WorkerConfig } from '../worker/config';
import { buildActivityDeps } from '../worker/deps';
import { type DevServerConfig } from './config';
import { startDevServer } from './devServer';
import { type WorkerMetrics } from '../worker/metrics';
import { createWorkers, workflowSource } from '../worker/workers';

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

/** Temporal dev server (persisted to its SQLite file, with the Web UI) plus both worker pools, in this process. */
export async function startEmbeddedStack(config: WorkerConfig, dev: DevServerConfig, metrics?: WorkerMetrics): Promise<Stack & { running: Promise<unknown>; env: TestWorkflowEnvironment }> {
  const env = await startDevServer({ port: dev.port, uiPort: dev.uiPort, dbFilename: dev.dbFilename, namespace: config.temporal.namespace, dataConverter: config.temporal.dataConverter });
  const workers = await runWorkersInProcess(config, env, metrics);
  return {
    env,
    client: env.client,
    running: workers.running,
    webUi: dev.webUi,
    description: `embedded Temporal dev server on ${dev.address} and workers (${config.pools.join(', ')})`,
    stop: async () => {
      await workers.stop();
      await env.teardown();
    },
  };
}

/** The dev server's own address, by any local name: where starting one is what the user would get anyway. */
function isDevServer(address: string, dev: DevServerConfig): boolean {
  const m = /^(localhost|127\.0\.0\.1|\[::1\]):(\d+)$/.exec(address);
  return m !== null && Number(m[2]) === dev.port;
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
 * The stack to run on: the Temporal of the connection settings (adding workers when none poll), or,
 * when nothing answers at the dev server's address, an embedded one started there. Any other
 * address is someone's cluster: not reaching it is an error, not a reason to start a local one.
 */
export async function attachOrStartStack(config: WorkerConfig, dev: DevServerConfig): Promise<Stack> {
  const local = isDevServer(config.temporal.address, dev);
  let connection: Connection;
  try {
    connection = await Connection.connect({ ...config.temporal.connection, ...(local ? { connectTimeout: 1_000 } : {}) });
  } catch (error) {
    if (local) return startEmbeddedStack(config, dev);
    throw new TemporalConnectError(config.temporal, error);
  }
  const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: config.temporal.dataConverter });
  if (await hasPollers(client, config.temporal.namespace)) {
    return { client, description: `running stack at ${config.temporal.summary}`, stop: () => connection.close() };
  }
  const nativeConnection = await connectTo(config.temporal, () => NativeConnection.connect(config.temporal.connection));
  const workers = await runWorkersInProcess(config, { nativeConnection });
  return {
    client,
    description: `Temporal at ${config.temporal.summary} with workers started here`,
    stop: async () => {
      await workers.stop();
      await nativeConnection.close();
      await connection.close();
    },
  };
}
