import { execFile } from 'node:child_process';
import { ToolInstallError } from './errors';

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
}

/** The last lines of a failed command's output: where pip and go say what went wrong. */
function tail(text: string, lines = 15): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

/** Runs an install command; its output is kept for the error, not printed, since it is long. */
export function runInstall(file: string, args: readonly string[], options: RunOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd: options.cwd, env: options.env, timeout: options.timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      const how = error.killed ? `was stopped after ${options.timeoutMs} ms` : `failed (${error.code ?? error.signal})`;
      reject(new ToolInstallError(`\`${file} ${args.join(' ')}\` ${how}:\n${tail(`${stdout}\n${stderr}`) || error.message}`, { cause: error }));
    });
  });
}
