/** Parses `--seeds 0,1,2` after `quality`: the forests' seeds (scikit-learn's random_state alike); 0 alone when omitted. */
export function qualitySeeds(argv: readonly string[]): number[] {
  const at = argv.indexOf('--seeds');
  if (at < 0) return [0];
  const seeds = (argv[at + 1] ?? '').split(',').map(Number);
  if (seeds.length === 0 || !seeds.every((s) => Number.isInteger(s) && s >= 0)) throw new RangeError(`--seeds must be non-negative integers separated by commas, got ${argv[at + 1]}`);
  return seeds;
}

export interface Spread {
  readonly mean: number;
  readonly min: number;
  readonly max: number;
}

/** Not scores: left out of the spread. */
const NOT_SCORES = new Set(['seconds', 'features']);

/** Mean, least and most of each score over the seeds' runs. */
export function spread(runs: readonly Record<string, unknown>[]): Record<string, Spread> {
  const out: Record<string, Spread> = {};
  for (const key of Object.keys(runs[0] ?? {})) {
    const values = runs.map((r) => r[key]);
    if (NOT_SCORES.has(key) || !values.every((v): v is number => typeof v === 'number')) continue;
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    out[key] = { mean: Math.round(mean * 10_000) / 10_000, min: Math.min(...values), max: Math.max(...values) };
  }
  return out;
}
