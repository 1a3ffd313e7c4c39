import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';

/** One process of the image (a worker pool or the API), run as the container runs it. */
export interface AppProcess {
  readonly name: string;
  readonly child: ChildProcess;
  output(): string;
  exited(): Promise<number | null>;
  /** Resolves once GET `url` answers 200 (bounded). */
  ready(url: string, timeoutMs?: number): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * `command` is the compose service's (e.g. `node dist/worker/main.js`), run in `appDir` (the image's
 * /app) with `env` alone: what the image and the service set, nothing of this process's environment.
 */
export function spawnApp(name: string, appDir: string, command: readonly string[], env: NodeJS.ProcessEnv): AppProcess {
  const [program, ...args] = command;
  const child = spawn(program === 'node' ? process.execPath : program, args, { cwd: appDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (d: Buffer) => (out = (out + d.toString()).slice(-200_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exit = once(child, 'exit').then(([code]) => code as number | null);
  process.once('exit', () => child.kill('SIGKILL'));
  return {
    name,
    child,
    output: () => out,
    exited: () => exit,
    ready: async (url, timeoutMs = 120_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} while starting:\n${out.slice(-5000)}`);
        const ok = await fetch(url).then((r) => r.ok, () => false);
        if (ok) return;
        if (Date.now() > deadline) throw new Error(`${name}: ${url} not ready within ${timeoutMs} ms:\n${out.slice(-5000)}`);
        await sleep(200);
      }
    },
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exit;
    },
  };
}
