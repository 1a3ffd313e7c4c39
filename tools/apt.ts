import { type CacheLookup } from './cached';
import { type AptSource, type ToolSpec } from './catalog';
import { type ToolContext } from './context';
import { ToolInstallError } from './errors';
import { isExecutable, onPath } from './executable';
import { runInstall } from './run';

// Other installs may hold dpkg's lock for minutes; apt waits for it instead of failing at once.
const APT_TIMEOUT_MS = 20 * 60_000;

export function aptArgs(source: AptSource): string[] {
  return ['-o', 'DPkg::Lock::Timeout=900', 'install', '-y', '--no-install-recommends', source.pkg];
}

/** The package's binary where the package puts it (its folder need not be on PATH). */
export async function cachedApt(source: AptSource): Promise<CacheLookup> {
  return (await isExecutable(source.path)) ? { path: source.path, note: source.path } : { note: `${source.path} (package ${source.pkg} not installed)` };
}

/** `apt-get install` of the package (root only); its binary is then where the package puts it. */
export async function installApt(spec: ToolSpec, source: AptSource, ctx: ToolContext): Promise<string> {
  const aptGet = await onPath('apt-get');
  if (!aptGet) throw new ToolInstallError(`apt-get is needed to install ${source.pkg} for ${spec.command}, and it is not on PATH`);
  ctx.log(`${spec.command}: installing the Debian package ${source.pkg} ...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    await runInstall(aptGet, aptArgs(source), { env, timeoutMs: APT_TIMEOUT_MS });
  } catch {
    // A fresh machine's package lists may not know the package yet.
    await runInstall(aptGet, ['-o', 'DPkg::Lock::Timeout=900', 'update'], { env, timeoutMs: APT_TIMEOUT_MS });
    await runInstall(aptGet, aptArgs(source), { env, timeoutMs: APT_TIMEOUT_MS });
  }
  if (!(await isExecutable(source.path))) throw new ToolInstallError(`apt-get installed ${source.pkg}, but ${source.path} is no executable file`);
  return source.path;
}
