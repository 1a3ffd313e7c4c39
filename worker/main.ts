import { NativeConnection } from '@temporalio/worker';
import { loadWorkerConfig } from './config';
import { buildActivityDeps } from './deps';
import { installJsonLogging } from './logging';
import { createWorkers, runWorkers } from './workers';

/** The worker process: connects to Temporal and polls the configured pools until SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const config = loadWorkerConfig();
  installJsonLogging(config.logLevel);
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  try {
    const workers = await createWorkers(config, connection, buildActivityDeps(config));
    await runWorkers(workers);
  } finally {
    await connection.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
