import { relative } from 'node:path';
import { isToolName, TOOLS, type ToolName } from './catalog';
import { type ToolOptions } from './context';
import { ensureTool, type FoundTool } from './find';
import { REPO_ROOT } from './root';

export interface Provisioned {
  readonly name: ToolName;
  readonly found?: FoundTool;
  readonly error?: unknown;
}

/** Finds or installs each tool, all at once (pip downloads and a go build overlap). */
export async function provision(names: readonly ToolName[], options: ToolOptions = {}): Promise<Provisioned[]> {
  const settled = await Promise.allSettled(names.map((name) => ensureTool(name, options)));
  return settled.map((s, i) => (s.status === 'fulfilled' ? { name: names[i], found: s.value } : { name: names[i], error: s.reason as unknown }));
}

/** One line a person reads: where the tool is and how it got there. */
export function describe(p: Provisioned): string {
  if (p.found) return `tool ${p.name}: ${relative(REPO_ROOT, p.found.path).startsWith('..') ? p.found.path : relative(REPO_ROOT, p.found.path)} (${p.found.source})`;
  return `tool ${p.name}: NOT AVAILABLE\n${p.error instanceof Error ? p.error.message : String(p.error)}`;
}

/**
 * `tsx tools/provision.ts [--path] [name ...]` (every tool when none is named): one line per tool,
 * or with --path only the binaries' paths, for callers that need them synchronously.
 */
async function main(args: string[]): Promise<void> {
  const pathsOnly = args[0] === '--path';
  const wanted = pathsOnly ? args.slice(1) : args;
  const unknown = wanted.filter((n) => !isToolName(n));
  if (unknown.length > 0) throw new Error(`unknown tool ${unknown.join(', ')}: the tools are ${Object.keys(TOOLS).join(', ')}`);
  const names = (wanted.length > 0 ? wanted : Object.keys(TOOLS)) as ToolName[];
  const results = await provision(names);
  for (const r of results) {
    if (pathsOnly && r.found) console.log(r.found.path);
    else if (pathsOnly) console.error(describe(r));
    else console.log(describe(r));
  }
  if (results.some((r) => r.error !== undefined)) process.exitCode = 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
