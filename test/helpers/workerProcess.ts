import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { withoutTemporalSettings } from './isolatedEnv';
import { freePort } from './ports';

export interface WorkerProcess {
  readonly child: ChildProcess;
  /** Everything the process printed so far, for assertion messages. */
  output(): string;
  exited(): Promise<number | null>;
}

/**
 * Starts `worker/main.ts` as its own process, the way a deployment runs it, connecting only where `env` says.
 * Its metrics ports are free ones unless `env` names them: other test files' workers run beside it.
 */
export async function spawnWorker(env: NodeJS.ProcessEnv): Promise<WorkerProcess> {
  const ports = { WORKER_METRICS_PORT: String(await freePort()), SDK_METRICS_PORT: String(await freePort()) };
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, '../../worker/main.ts')], {
    env: { ...withoutTemporalSettings(), ...ports, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exit = once(child, 'exit').then(([code]) => code as number | null);
  return { child, output: () => out, exited: () => exit };
}
