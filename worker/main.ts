import { NativeConnection, Runtime } from '@temporalio/worker';
import { cleanStaleScratch } from '../activities';
import { connectTo } from '../connection/connectError';
import { loadWorkerConfig } from './config';
import { buildActivityDeps } from './deps';
import { installJsonLogging } from './logging';
import { WorkerMetrics } from './metrics';
import { startMetricsServer } from './metricsServer';
import { createWorkers, runWorkers, workflowSource } from './workers';

/**
 * The worker process: connects to Temporal and polls the configured pools until SIGINT/SIGTERM,
 * serving its metrics and probes on WORKER_METRICS_PORT and the SDK's metrics on SDK_METRICS_PORT.
 */
async function main(): Promise<void> {
  const config = loadWorkerConfig();
  installJsonLogging(config.logLevel, { sdkMetricsAddress: `${config.metrics.host}:${config.metrics.sdkPort}` });
  const metrics = new WorkerMetrics();
  // A worker that crashed mid-ingest left its scratch folder behind; nothing else would remove it.
  const removed = await cleanStaleScratch();
  if (removed.length > 0) Runtime.instance().logger.info('removed scratch folders of dead workers', { removed });
  let workers: Awaited<ReturnType<typeof createWorkers>> = [];
  // Ready once every pool polls; before that (connecting, bundling) and while draining, not.
  const ready = () => workers.length > 0 && workers.every((w) => w.getState() === 'RUNNING');
  const server = await startMetricsServer(metrics.registry, { host: config.metrics.host, port: config.metrics.port, ready });
  try {
    const connection = await connectTo(config.temporal, () => NativeConnection.connect(config.temporal.connection));
    Runtime.instance().logger.info('connected to Temporal', { temporal: config.temporal.summary });
    try {
      workers = await createWorkers(config, connection, buildActivityDeps(config), workflowSource(config), metrics);
      await runWorkers(workers);
    } finally {
      await connection.close();
    }
  } finally {
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
