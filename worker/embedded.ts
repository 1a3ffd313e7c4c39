import { loadWorkerConfig } from './config';
import { installJsonLogging } from './logging';
import { EMBEDDED, startEmbeddedStack } from './stack';

/** `npm start`: the whole product on this machine until Ctrl-C, which stops everything started here. */
async function main(): Promise<void> {
  const config = loadWorkerConfig();
  installJsonLogging(config.logLevel);
  const stack = await startEmbeddedStack(config);
  console.error(
    [
      '',
      `  Temporal server   localhost:${EMBEDDED.port} (persisted to ${EMBEDDED.dbFilename})`,
      `  Temporal Web UI   ${stack.webUi}`,
      `  Workers           ${config.pools.join(', ')} (artifacts in ${config.artifactRoot}, data root ${config.dataRoot})`,
      '',
      '  Run the example:  npm run demo      Stop: Ctrl-C',
      '',
    ].join('\n'),
  );
  try {
    await stack.running;
  } finally {
    await stack.env.teardown();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
