import { execFile, spawn } from 'node:child_process';
import { chown, mkdir, realpath, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { ensureTool } from '../../../tools/find';
import { freePort } from '../ports';
import { serverProcess } from './serverProcess';

const run = promisify(execFile);
const READY_TIMEOUT_MS = 30_000;

/** A private PostgreSQL cluster on 127.0.0.1: its own data folder, port and superuser. */
export interface PostgresServer {
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** Fast shutdown (SIGINT: open transactions are rolled back, clients cut off), as a restart does. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data; resolves once it accepts connections. */
  start(): Promise<void>;
  output(): string;
}

/** The uid and gid to run as: PostgreSQL refuses to run as root. */
async function serverAccount(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const id = async (flag: string) => Number((await run('id', [flag, 'postgres'])).stdout.trim());
  return { uid: await id('-u'), gid: await id('-g') };
}

export async function startPostgres(dir: string, user: string, password: string): Promise<PostgresServer> {
  const bin = dirname(await realpath((await ensureTool('postgres')).path));
  const account = await serverAccount();
  const port = await freePort();
  const data = join(dir, 'data');
  const sockets = join(dir, 'sockets');
  await mkdir(sockets, { recursive: true });
  await writeFile(join(dir, 'pwfile'), password);
  if (account) for (const p of [dir, sockets, join(dir, 'pwfile')]) await chown(p, account.uid, account.gid);
  await run(join(bin, 'initdb'), ['-D', data, '-U', user, `--pwfile=${join(dir, 'pwfile')}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C'], { ...account, timeout: 120_000 });
  const server = serverProcess({
    name: 'postgres',
    launch: () => spawn(join(bin, 'postgres'), ['-D', data, '-p', String(port), '-h', '127.0.0.1', '-k', sockets, '-c', 'max_connections=200'], { ...account, stdio: 'pipe' }),
    probe: () => run(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', 'postgres'], { timeout: 5_000 }),
    readyTimeoutMs: READY_TIMEOUT_MS,
    probeEveryMs: 100,
    stopSignal: 'SIGINT',
    killAfterMs: 20_000,
    keepChars: 20_000,
  });
  await server.start();
  return { port, user, password, ...server };
}
