import { createArtifactStoreFor } from './store';
import { createApiApp } from './app';
import { JsonLogger } from './common/jsonLogger';
import { loadApiConfig } from './config';
import { connectTemporal } from './temporalClient';

/** The API process: serves until SIGTERM/SIGINT, lets in-flight requests finish, then closes Temporal. */
async function main(): Promise<void> {
  const config = loadApiConfig();
  const logger = new JsonLogger();
  const client = await connectTemporal(config);
  const app = await createApiApp(config, { client, store: createArtifactStoreFor(config), logger });
  await app.listen(config.port, config.host);
  const url = await app.getUrl();
  logger.info('API listening', { url, docs: `${url}/docs`, temporal: config.temporal.summary });
  const stop = async (signal: string): Promise<void> => {
    logger.info('shutting down', { signal });
    await app.close();
    await client.connection.close();
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
