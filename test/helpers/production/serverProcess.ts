import { type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';

/** How one server of the production stack is run, probed and stopped. */
export interface ServerProcessSpec {
  readonly name: string;
  /** Spawns the server with piped stdout and stderr. */
  readonly launch: () => ChildProcessWithoutNullStreams;
  /** Resolves when the server serves; rejects while it does not yet. */
  readonly probe: () => Promise<unknown>;
  readonly readyTimeoutMs: number;
  readonly probeEveryMs: number;
  /** The signal a restart stops it with; SIGKILL follows after `killAfterMs`. */
  readonly stopSignal: NodeJS.Signals;
  readonly killAfterMs: number;
  /** Characters of its output kept for error messages. */
  readonly keepChars: number;
}

/** A server process that can be stopped and started again, as the stack's restart tests do; killed when the test process exits. */
export function serverProcess(spec: ServerProcessSpec) {
  let child: ChildProcessWithoutNullStreams | undefined;
  let out = '';
  process.once('exit', () => child?.kill('SIGKILL'));

  const ready = async (): Promise<void> => {
    const deadline = Date.now() + spec.readyTimeoutMs;
    for (;;) {
      if (child?.exitCode !== null) throw new Error(`${spec.name} exited with ${child?.exitCode} while starting:\n${out.slice(-5000)}`);
      try {
        await spec.probe();
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`${spec.name} did not serve within ${spec.readyTimeoutMs} ms:\n${out.slice(-5000)}`);
        await sleep(spec.probeEveryMs);
      }
    }
  };

  /** Starts it; resolves once it serves. */
  const start = async (): Promise<void> => {
    const started = spec.launch();
    child = started;
    const keep = (d: Buffer) => (out = (out + d.toString()).slice(-spec.keepChars));
    started.stdout.on('data', keep);
    started.stderr.on('data', keep);
    await ready();
  };

  const stop = async (): Promise<void> => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = once(running, 'exit');
    running.kill(spec.stopSignal);
    const timer = setTimeout(() => running.kill('SIGKILL'), spec.killAfterMs);
    await exited;
    clearTimeout(timer);
  };

  return { start, stop, output: () => out };
}
