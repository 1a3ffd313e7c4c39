import { spawn } from 'node:child_process';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureTool } from '../tools/find';

const run = promisify(execFile);

export interface LoadTarget {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/** A constant rate (open loop: each request leaves on schedule, answered or not), or one at a time (one worker, each request after the last answer). */
export type Pace = { readonly rate: number } | 'one-at-a-time';

export interface LoadResult {
  readonly requests: number;
  /** Requests sent per second over the attack. */
  readonly sentRps: number;
  /** Successful (2xx) answers per second, the attack and its wait for the last answers together. */
  readonly answeredRps: number;
  readonly non2xx: number;
  /** Failures with no HTTP status (connection refused, timeout), by message. */
  readonly errors: readonly string[];
  readonly latencyMs: { p50: number; p90: number; p99: number; max: number };
  /** The peak RSS (VmHWM) of the attacking process. */
  readonly peakRssMiB: number;
  /** This process's CPU while the attack ran, in microseconds (user + system). */
  readonly cpuMicros: number;
}

interface VegetaReport {
  latencies: { '50th': number; '90th': number; '99th': number; max: number };
  requests: number;
  rate: number;
  throughput: number;
  status_codes: Record<string, number>;
  errors: string[] | null;
}

const ms = (ns: number): number => Math.round(ns / 10_000) / 100;

/**
 * The peak RSS so far of a running process, from /proc (Linux): read until it exits, the last read
 * is its peak. Read synchronously, a few times a second: this process serves the API, whose CPU
 * per request is measured, and an asynchronous read costs it a file handle's round trips each time.
 */
function vmHwmKiB(pid: number): number {
  try {
    return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    // Gone: it exited since the last read, which stands as its peak.
    return 0;
  }
}

/** `vegeta attack` as its own process, the targets on stdin; its results go to a file that `vegeta report` reads after. */
async function attack(vegeta: string, target: LoadTarget, pace: Pace, seconds: number, results: string): Promise<number> {
  const paceArgs = pace === 'one-at-a-time' ? ['-rate=0', '-workers=1', '-max-workers=1'] : [`-rate=${pace.rate}/s`];
  const child = spawn(vegeta, ['attack', '-format=json', `-duration=${seconds}s`, `-output=${results}`, ...paceArgs], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const header = Object.fromEntries(Object.entries(target.headers).map(([k, v]) => [k, [v]]));
  const body = target.body === undefined ? {} : { body: Buffer.from(target.body).toString('base64') };
  child.stdin.end(`${JSON.stringify({ method: target.method, url: target.url, header, ...body })}\n`);
  let peakKiB = 0;
  const sample = setInterval(() => (peakKiB = Math.max(peakKiB, vmHwmKiB(child.pid ?? 0))), 250);
  try {
    const code = await new Promise<number | null>((resolve, reject) => child.on('error', reject).on('close', resolve));
    if (code !== 0) throw new Error(`vegeta attack exited with ${code}: ${stderr.trim()}`);
  } finally {
    clearInterval(sample);
  }
  return peakKiB;
}

/**
 * Loads one target with vegeta (obtained like every external program, through tools/): unlike a closed
 * loop of connections, a request is sent on schedule even while earlier ones wait, so a slow answer
 * shows as latency instead of lowering the rate (no coordinated omission).
 */
export async function loadWithVegeta(target: LoadTarget, pace: Pace, seconds: number): Promise<LoadResult> {
  const vegeta = (await ensureTool('vegeta')).path;
  const dir = await mkdtemp(join(tmpdir(), 'mlp-vegeta-'));
  try {
    const results = join(dir, 'results.bin');
    const cpu = process.cpuUsage();
    const peakKiB = await attack(vegeta, target, pace, seconds, results);
    const { user, system } = process.cpuUsage(cpu);
    const report = JSON.parse((await run(vegeta, ['report', '-type=json', results], { maxBuffer: 16 << 20 })).stdout) as VegetaReport;
    const ok = Object.entries(report.status_codes).reduce((n, [code, count]) => (code.startsWith('2') ? n + count : n), 0);
    const failed = report.status_codes['0'] ?? 0;
    return {
      requests: report.requests,
      sentRps: Math.round(report.rate * 10) / 10,
      answeredRps: Math.round(report.throughput * 10) / 10,
      non2xx: report.requests - ok - failed,
      errors: [...new Set(report.errors ?? [])],
      latencyMs: { p50: ms(report.latencies['50th']), p90: ms(report.latencies['90th']), p99: ms(report.latencies['99th']), max: ms(report.latencies.max) },
      peakRssMiB: Math.round(peakKiB / 1024),
      cpuMicros: user + system,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
