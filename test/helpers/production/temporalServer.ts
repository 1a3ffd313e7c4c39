import { spawn } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { ensureTool } from '../../../tools/find';
import { createServer } from 'node:net';
import { freePort } from '../ports';
import { serverProcess } from './serverProcess';

/** Membership ports are stored in a smallint column (cluster_membership.rpc_port): below 32768, unlike the kernel's ephemeral ports. */
async function freeLowPort(): Promise<number> {
  for (;;) {
    const port = 10_000 + Math.floor(Math.random() * 22_000);
    const server = createServer();
    const free = await new Promise<boolean>((resolve) => server.once('error', () => resolve(false)).listen(port, '127.0.0.1', () => resolve(true)));
    if (free) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      return port;
    }
  }
}

const READY_TIMEOUT_MS = 120_000;

/** Every port the server's built-in config template takes from the environment; all on 127.0.0.1. */
const PORT_VARS = [
  'FRONTEND_GRPC_PORT',
  'FRONTEND_HTTP_PORT',
  'FRONTEND_MEMBERSHIP_PORT',
  'INTERNAL_FRONTEND_HTTP_PORT',
  'HISTORY_GRPC_PORT',
  'HISTORY_MEMBERSHIP_PORT',
  'MATCHING_GRPC_PORT',
  'MATCHING_MEMBERSHIP_PORT',
  'WORKER_GRPC_PORT',
  'WORKER_MEMBERSHIP_PORT',
] as const;

/** `temporal-server start` (the temporalio/server image's command), configured by its environment alone. */
export interface TemporalServer {
  readonly address: string;
  /** Where the server serves its Prometheus metrics (PROMETHEUS_ENDPOINT). */
  readonly metricsAddress: string;
  /** SIGTERM, as `docker stop` sends; SIGKILL after 30 s. */
  stop(): Promise<void>;
  /** Starts it again with the same environment; resolves once the frontend answers. */
  start(): Promise<void>;
  output(): string;
}

/**
 * `env` is the compose service's environment; host names and ports are replaced with ours
 * (the database at `db`, every listener on 127.0.0.1), and the dynamic config is the repository's file.
 */
export async function startTemporalServer(composeEnv: Record<string, string>, db: { host: string; port: number }, dynamicConfigPath: string): Promise<TemporalServer> {
  const server = (await ensureTool('temporal-server')).path;
  const ports = Object.fromEntries(await Promise.all(PORT_VARS.map(async (name) => [name, String(name.endsWith('MEMBERSHIP_PORT') ? await freeLowPort() : await freePort())] as const)));
  const metricsAddress = `127.0.0.1:${await freePort()}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    ...composeEnv,
    POSTGRES_SEEDS: db.host,
    DB_PORT: String(db.port),
    DYNAMIC_CONFIG_FILE_PATH: dynamicConfigPath,
    PROMETHEUS_ENDPOINT: metricsAddress,
    BIND_ON_IP: '127.0.0.1',
    LOG_LEVEL: 'warn',
    ...ports,
  };
  const address = `127.0.0.1:${ports.FRONTEND_GRPC_PORT}`;
  const running = serverProcess({
    name: 'temporal-server',
    launch: () => spawn(server, ['start'], { env, stdio: 'pipe' }),
    probe: async () => {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      try {
        await connection.healthService.check({});
      } finally {
        await connection.close();
      }
    },
    readyTimeoutMs: READY_TIMEOUT_MS,
    probeEveryMs: 250,
    stopSignal: 'SIGTERM',
    killAfterMs: 30_000,
    keepChars: 50_000,
  });
  await running.start();
  return { address, metricsAddress, ...running };
}
