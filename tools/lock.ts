import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ToolLockTimeoutError } from './errors';

export interface LockOptions {
  /** Longer than the slowest install (a first Temporal server build on 2 busy cores). */
  readonly timeoutMs?: number;
  readonly pollMs?: number;
  /** Told once when another holder makes us wait. */
  readonly onWait?: (holder: string) => void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but is someone else's; only ESRCH means it is gone.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** The pid in the lock, or undefined while its holder has made the folder but not yet written the file. */
async function holderPid(lockDir: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt(await readFile(join(lockDir, 'pid'), 'utf8'), 10);
    return Number.isInteger(pid) ? pid : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Runs `body` while holding `lockDir` (mkdir is atomic: one process creates it, the others wait).
 * A lock whose holder died (killed mid-install) is taken over. Within one process two callers
 * exclude each other too, since each waits for the folder itself, not for a pid.
 */
export async function withLock<T>(lockDir: string, body: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const { timeoutMs = 65 * 60_000, pollMs = 200, onWait } = options;
  await mkdir(dirname(lockDir), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let told = false;
  for (;;) {
    try {
      await mkdir(lockDir);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const pid = await holderPid(lockDir);
    if (pid !== undefined && !alive(pid)) {
      // A dead holder's lock; if two waiters both remove it, both may install, which is still safe
      // because every install lands by an atomic rename.
      await rm(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new ToolLockTimeoutError(`${lockDir} is still held by pid ${pid ?? '?'} after ${timeoutMs} ms; if no install is running, remove that folder`);
    if (!told) onWait?.(pid === undefined ? 'another process' : `pid ${pid}`);
    told = true;
    await sleep(pollMs);
  }
  try {
    await writeFile(join(lockDir, 'pid'), String(process.pid));
    return await body();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}
