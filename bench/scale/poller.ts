import { setTimeout as sleep } from 'node:timers/promises';

interface Sample {
  /** Seconds since polling began, when the request was sent. */
  readonly atS: number;
  readonly ms: number;
  readonly status: number;
  readonly stage?: string;
  readonly partial?: boolean;
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

export interface LatencySummary {
  readonly samples: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly non2xx: number;
  /** Answers from Temporal's describe alone (the status query did not answer in time). */
  readonly partial: number;
  /** When the first and last samples were sent, in seconds since polling began. */
  readonly fromS: number;
  readonly toS: number;
  /** The three slowest samples, for lining a tail up with what the worker was doing. */
  readonly slowest: { readonly atS: number; readonly ms: number }[];
}

export function summarize(samples: readonly Sample[]): LatencySummary {
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    samples: samples.length,
    p50Ms: round(percentile(sorted, 50)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted[sorted.length - 1] ?? NaN),
    non2xx: samples.filter((s) => s.status < 200 || s.status >= 300).length,
    partial: samples.filter((s) => s.partial).length,
    fromS: round(samples[0]?.atS ?? NaN),
    toS: round(samples[samples.length - 1]?.atS ?? NaN),
    slowest: [...samples]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 3)
      .map((s) => ({ atS: round(s.atS), ms: round(s.ms) })),
  };
}

/**
 * Latency per stage the run was in when each sample was answered (a sample without a stage, such
 * as a failed request, counts under the stage before it; `starting` before the first), in the order
 * the stages came: where in the run a tail comes from.
 */
export function summarizeByStage(samples: readonly Sample[]): Record<string, LatencySummary> {
  const byStage = new Map<string, Sample[]>();
  let last = 'starting';
  for (const sample of samples) {
    last = sample.stage ?? last;
    const list = byStage.get(last);
    if (list) list.push(sample);
    else byStage.set(last, [sample]);
  }
  return Object.fromEntries([...byStage].map(([stage, list]) => [stage, summarize(list)]));
}

/** Polls `GET url` back to back (every `everyMs` at most) until stopped; each sample keeps the run's stage. */
export function pollRun(url: string, headers: Record<string, string>, everyMs = 100) {
  const samples: Sample[] = [];
  let running = true;
  const begun = performance.now();
  const loop = (async () => {
    while (running) {
      const t0 = performance.now();
      const atS = (t0 - begun) / 1000;
      try {
        const response = await fetch(url, { headers });
        const body = (await response.json()) as { stage?: string; partial?: boolean; run?: { stage?: string } | null };
        samples.push({ atS, ms: performance.now() - t0, status: response.status, stage: body.run?.stage ?? body.stage, partial: body.partial });
      } catch {
        samples.push({ atS, ms: performance.now() - t0, status: 0 });
      }
      await sleep(Math.max(0, everyMs - (performance.now() - t0)));
    }
  })();
  return {
    async stop(): Promise<{ training: LatencySummary; whole: LatencySummary; byStage: Record<string, LatencySummary> }> {
      running = false;
      await loop;
      return { training: summarize(samples.filter((s) => s.stage === 'training')), whole: summarize(samples), byStage: summarizeByStage(samples) };
    },
  };
}
