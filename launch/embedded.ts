import { randomBytes } from 'node:crypto';
import { createApiApp } from '../api/app';
import { loadApiConfig } from '../api/config';
import { createArtifactStoreFor } from '../api/store';
import { loadWorkerConfig } from '../worker/config';
import { installJsonLogging } from '../worker/logging';
import { WorkerMetrics } from '../worker/metrics';
import { startMetricsServer } from '../worker/metricsServer';
import { loadDevServerConfig } from './config';
import { startEmbeddedStack } from './stack';
import { holdUntilStopped } from './stopSignals';

/**
 * `npm start`: the whole product on this machine until Ctrl-C, which stops everything started here.
 * Every port is a variable (TEMPORAL_DEV_PORT, TEMPORAL_DEV_UI_PORT, PORT, WORKER_METRICS_PORT,
 * SDK_METRICS_PORT), so it can run beside another Temporal.
 */
async function main(): Promise<void> {
  holdUntilStopped();
  const dev = loadDevServerConfig();
  // Like the API, the metrics endpoints of `npm start` listen on this machine only unless told otherwise.
  const config = loadWorkerConfig({ METRICS_HOST: '127.0.0.1', ...process.env }, { address: dev.address });
  // Without a configured key, one is made for this session: the API never runs with writes open.
  const generatedKey = process.env.API_KEY ? undefined : randomBytes(18).toString('base64url');
  const apiConfig = loadApiConfig({
    HOST: '127.0.0.1',
    TEMPORAL_UI_URL: dev.webUi,
    ...process.env,
    API_KEY: process.env.API_KEY ?? generatedKey,
    ARTIFACT_ROOT: config.artifactRoot,
  });
  installJsonLogging(config.logLevel, { sdkMetricsAddress: `${config.metrics.host}:${config.metrics.sdkPort}` });
  const metrics = new WorkerMetrics();
  const metricsServer = await startMetricsServer(metrics.registry, { host: config.metrics.host, port: config.metrics.port, ready: () => true });
  const stack = await startEmbeddedStack(config, dev, metrics);
  const api = await createApiApp(apiConfig, { client: stack.client, store: createArtifactStoreFor(apiConfig) });
  await api.listen(apiConfig.port, apiConfig.host);
  const apiUrl = `http://${apiConfig.host === '0.0.0.0' ? 'localhost' : apiConfig.host}:${apiConfig.port}`;
  console.error(
    [
      '',
      `  Temporal server   ${dev.address} (persisted to ${dev.dbFilename})`,
      `  Temporal Web UI   ${stack.webUi}`,
      `  REST API          ${apiUrl}   docs: ${apiUrl}/docs`,
      generatedKey ? `  API key           ${generatedKey}   (x-api-key header; set API_KEY to choose one)` : '  API key           from API_KEY',
      `  Workers           ${config.pools.join(', ')} (artifacts in ${config.artifactRoot}, data root ${config.dataRoot})`,
      `  Metrics           ${apiUrl}/metrics (API), http://${config.metrics.host}:${config.metrics.port}/metrics (workers), http://${config.metrics.host}:${config.metrics.sdkPort}/metrics (Temporal SDK)`,
      '',
      '  Run the example:  npm run demo      Stop: Ctrl-C',
      '',
    ].join('\n'),
  );
  try {
    await stack.running;
  } finally {
    await api.close();
    await stack.env.teardown();
    await metricsServer.close();
  }
  console.error('  Stopped: workers, API, Temporal dev server and metrics endpoints.');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
