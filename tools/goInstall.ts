import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type CacheLookup } from './cached';
import { type GoSource, type ToolSpec } from './catalog';
import { type ToolContext } from './context';
import { ToolInstallError } from './errors';
import { isExecutable, onPath } from './executable';
import { runInstall } from './run';

const run = promisify(execFile);
// A first build downloads and compiles the module's dependencies: minutes on 2 busy cores, and the
// Temporal server's took 21 minutes with empty Go caches on a loaded machine.
const GO_TIMEOUT_MS = 60 * 60_000;

export function goBinary(spec: ToolSpec, toolsDir: string): string {
  return join(toolsDir, 'bin', spec.command);
}

/** The version the binary reports (the first line it prints), or why it reports none. */
async function reportedVersion(path: string, source: GoSource): Promise<string> {
  try {
    return (await run(path, source.versionArgs, { timeout: 30_000 })).stdout.trim().split('\n')[0];
  } catch (error) {
    return `unknown (${String(error).split('\n')[0]})`;
  }
}

/** A cached build of another version is stale, so that a bump of the pin takes effect. */
export async function cachedGo(spec: ToolSpec, source: GoSource, ctx: ToolContext): Promise<CacheLookup> {
  const path = goBinary(spec, ctx.toolsDir);
  if (!(await isExecutable(path))) return { note: `the cache ${path} (absent)` };
  const version = await reportedVersion(path, source);
  return version === (source.reports ?? source.version) ? { path, note: path } : { note: `the cache ${path} (version ${version}, not ${source.version})` };
}

export function goInstallArgs(source: GoSource): string[] {
  return ['install', '-ldflags', source.ldflags, `${source.pkg}@${source.version}`];
}

/** A module that asks for a newer Go than the machine's builds with that toolchain (fetched from the module proxy). */
function goEnv(temp: string): NodeJS.ProcessEnv {
  return { ...process.env, GOBIN: temp, GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? 'auto' };
}

/** Builds into a fresh folder, then renames the binary over the cached one (atomic for readers). */
export async function installGo(spec: ToolSpec, source: GoSource, ctx: ToolContext): Promise<string> {
  const go = await onPath('go');
  if (!go) throw new ToolInstallError(`go is needed to build ${spec.command} ${source.version} (go install ${source.pkg}@${source.version}), and it is not on PATH`);
  const binDir = join(ctx.toolsDir, 'bin');
  const temp = join(binDir, `.tmp-${spec.command}-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(temp, { recursive: true });
  ctx.log(`${spec.command}: building ${source.pkg}@${source.version} with go install into ${binDir} (minutes the first time) ...`);
  try {
    await runInstall(go, goInstallArgs(source), { cwd: ctx.toolsDir, env: goEnv(temp), timeoutMs: GO_TIMEOUT_MS });
    const built = join(temp, source.binary ?? spec.command);
    const version = await reportedVersion(built, source);
    if (version !== (source.reports ?? source.version)) throw new ToolInstallError(`go install built ${spec.command} reporting version ${version}, not ${source.version}`);
    await rename(built, goBinary(spec, ctx.toolsDir));
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  return goBinary(spec, ctx.toolsDir);
}
