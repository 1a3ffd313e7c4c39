import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chown, mkdir, realpath, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { ensureTool } from '../../../tools/find';
import { freePort } from '../ports';

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
  let child: ChildProcess | undefined;
  let out = '';
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);

  const ready = async (): Promise<void> => {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      if (child?.exitCode !== null) throw new Error(`postgres exited with ${child?.exitCode} while starting:\n${out}`);
      try {
        await run(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', 'postgres'], { timeout: 5_000 });
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`postgres did not accept connections within ${READY_TIMEOUT_MS} ms:\n${out}`);
        await sleep(100);
      }
    }
  };

  const start = async (): Promise<void> => {
    const started = spawn(join(bin, 'postgres'), ['-D', data, '-p', String(port), '-h', '127.0.0.1', '-k', sockets, '-c', 'max_connections=200'], { ...account, stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    const keep = (d: Buffer) => (out = (out + d.toString()).slice(-20_000));
    started.stdout.on('data', keep);
    started.stderr.on('data', keep);
    await ready();
  };

  const stop = async (): Promise<void> => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = once(running, 'exit');
    running.kill('SIGINT');
    const timer = setTimeout(() => running.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  };

  await start();
  return { port, user, password, start, stop, output: () => out };
}
