import { type CacheLookup } from './cached';
import { type AptSource, type ToolSpec } from './catalog';
import { type ToolContext } from './context';
import { ToolInstallError } from './errors';
import { isExecutable, onPath } from './executable';
import { runInstall } from './run';

/** apt-get waits this long for another install's dpkg lock before failing (other jobs may be installing). */
const DPKG_LOCK_TIMEOUT_S = 900;
const APT_TIMEOUT_MS = 30 * 60_000;

export function aptArgs(source: AptSource): string[] {
  return ['-o', `DPkg::Lock::Timeout=${DPKG_LOCK_TIMEOUT_S}`, 'install', '-y', '--no-install-recommends', source.package];
}

/** A system package has no cache of ours: it is on PATH or not installed. */
export function cachedApt(spec: ToolSpec): Promise<CacheLookup> {
  return Promise.resolve({ note: `no cache for the system package of \`${spec.command}\`` });
}

/**
 * Installs the Debian package with apt-get (as root, as CI runs; `apt-get update` first when the
 * package lists are too old to know it), then finds its command on PATH.
 */
export async function installApt(spec: ToolSpec, source: AptSource, ctx: ToolContext): Promise<string> {
  if (process.getuid?.() !== 0) throw new ToolInstallError(`installing the Debian package ${source.package} needs root: run \`apt-get install ${source.package}\` as root`);
  ctx.log(`${spec.command}: installing the Debian package ${source.package} with apt-get ...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    await runInstall('apt-get', aptArgs(source), { env, timeoutMs: APT_TIMEOUT_MS });
  } catch {
    await runInstall('apt-get', ['-o', `DPkg::Lock::Timeout=${DPKG_LOCK_TIMEOUT_S}`, 'update'], { env, timeoutMs: APT_TIMEOUT_MS });
    await runInstall('apt-get', aptArgs(source), { env, timeoutMs: APT_TIMEOUT_MS });
  }
  const path = await onPath(spec.command);
  if (!path || !(await isExecutable(path))) throw new ToolInstallError(`the Debian package ${source.package} installed no \`${spec.command}\` on PATH`);
  return path;
}
