import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times (USER_HZ): 100 on every Linux this runs on. */
const TICKS_PER_S = 100;

interface Stat {
  readonly pid: number;
  readonly ppid: number;
  readonly name: string;
  /** utime + stime, in ticks. */
  readonly ticks: number;
}

function stat(pid: string): Stat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    // Gone since the listing: a process that exited has no CPU left to count.
    return undefined;
  }
  // The name is in parentheses and may hold spaces; the fields after it are numbers.
  const close = text.lastIndexOf(')');
  const fields = text.slice(close + 2).split(' ');
  return { pid: Number(pid), name: text.slice(text.indexOf('(') + 1, close), ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
}

/** CPU milliseconds used so far by process `pid` (all its threads), from /proc (Linux); undefined elsewhere or once it exited. */
export function processCpuMs(pid: number): number | undefined {
  const s = stat(String(pid));
  return s === undefined ? undefined : (s.ticks * 1000) / TICKS_PER_S;
}

/**
 * CPU milliseconds used so far by this process's descendants whose name starts with `prefix` (the
 * Temporal dev server the SDK spawned), from /proc (Linux); undefined elsewhere or when none runs.
 */
export function descendantsCpuMs(prefix: string): number | undefined {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    // No /proc: not Linux; the figure is left out.
    return undefined;
  }
  const all = pids.map(stat).filter((s): s is Stat => s !== undefined);
  const mine = new Set([process.pid]);
  // Parents precede children rarely in pid order, so repeat until no new descendant is found.
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of all) if (!mine.has(s.pid) && mine.has(s.ppid)) grew = Boolean(mine.add(s.pid));
  }
  const matching = all.filter((s) => mine.has(s.pid) && s.pid !== process.pid && s.name.startsWith(prefix));
  return matching.length === 0 ? undefined : (matching.reduce((sum, s) => sum + s.ticks, 0) * 1000) / TICKS_PER_S;
}
