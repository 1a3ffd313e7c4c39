import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Scratch folders of the ingest step: `mlp-ingest-<pid>-XXXXXX` in the system's temp folder. The
 * pid in the name is what lets a later worker tell the folders of a crashed worker (whose `finally`
 * never ran) from those of a live one.
 */
const PREFIX = 'mlp-ingest-';
const NAME = /^mlp-ingest-(\d+)-[A-Za-z0-9]{6}$/;

/** Folders of dead workers are removed only once this old: a pid may be reused, a clock may jump. */
export const STALE_SCRATCH_MS = 60 * 60 * 1000;

export function makeScratchFolder(dir = tmpdir()): Promise<string> {
  return mkdtemp(join(dir, `${PREFIX}${process.pid}-`));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but is someone else's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes our scratch folders left by workers that died, older than `maxAgeMs`; run at worker
 * start. Folders of other programs (any other name) and of live processes are never touched.
 */
export async function cleanStaleScratch(dir = tmpdir(), maxAgeMs = STALE_SCRATCH_MS, now = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(dir)) {
    const match = NAME.exec(name);
    if (match === null) continue;
    const pid = Number(match[1]);
    if (pid === process.pid || alive(pid)) continue;
    const path = join(dir, name);
    try {
      const stats = await stat(path);
      if (!stats.isDirectory() || now - stats.mtimeMs < maxAgeMs) continue;
      await rm(path, { recursive: true, force: true });
      removed.push(path);
    } catch {
      // Gone meanwhile, or not ours to remove: either way nothing to clean.
    }
  }
  return removed;
}
