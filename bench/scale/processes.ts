import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { TEMPORAL_ENV } from '../../connection/temporalEnv';

export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly name: string;
  output(): string;
  /** The process's peak resident set (VmHWM), in MiB; its compute threads are in it. */
  peakRssMiB(): Promise<number>;
  stop(): Promise<void>;
}

/** This process's environment without Temporal connection settings: the worker connects only where told. */
function isolated(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !(key in TEMPORAL_ENV) && !key.startsWith('TEMPORAL_GRPC_META_')));
}

/** `worker/main.ts` as its own process, as a deployment runs it. */
export function spawnWorker(name: string, env: NodeJS.ProcessEnv): WorkerProcess {
  const child = spawn(process.execPath, [...(process.env.BENCH_WORKER_NODE_ARGS?.split(' ').filter(Boolean) ?? []), '--import', 'tsx', resolve(__dirname, '../../worker/main.ts')], {
    env: { ...isolated(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = once(child, 'exit');
  return {
    child,
    name,
    output: () => out,
    async peakRssMiB() {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
      return Math.round(kb / 1024);
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
