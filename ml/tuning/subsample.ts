import { createRng, shuffle } from '../random';
import { type Targets } from '../models/types';

/** Keeps the sample's draws apart from the fold assignment's, which use the same tuning seed. */
const SAMPLE_STREAM = 0x5a17;

/**
 * `size` rows of the training split (ascending indices) for one rung of successive halving, from
 * `seed` alone. A classifier's sample is stratified: each class keeps min(its rows, folds) rows so
 * every stratified fold holds it, and the rest of `size` is shared in proportion to the classes'
 * remaining rows (largest remainders). Each class's rows are drawn as a prefix of one seeded
 * shuffle, so a bigger rung's sample holds a smaller one's rows of that class.
 */
export function subsampleRows(targets: Targets, size: number, folds: number, seed: number): Int32Array {
  const rows = targets.y.length;
  if (size >= rows) return Int32Array.from({ length: rows }, (_, i) => i);
  const rng = createRng((seed ^ SAMPLE_STREAM) >>> 0);
  if (targets.task === 'regression') {
    return shuffle(Int32Array.from({ length: rows }, (_, i) => i), rng).slice(0, size).sort();
  }
  const { y, classes } = targets;
  const counts = new Array<number>(classes.length).fill(0);
  for (let i = 0; i < rows; i++) counts[y[i]]++;
  const quota = counts.map((n) => Math.min(n, folds));
  const reserved = quota.reduce((a, b) => a + b, 0);
  const rest = Math.max(0, size - reserved);
  const spare = counts.map((n, c) => n - quota[c]);
  const spareTotal = spare.reduce((a, b) => a + b, 0);
  const shares = spare.map((n) => (spareTotal === 0 ? 0 : (rest * n) / spareTotal));
  shares.forEach((s, c) => (quota[c] += Math.floor(s)));
  let left = rest - shares.reduce((a, s) => a + Math.floor(s), 0);
  const byRemainder = shares.map((s, c) => ({ c, r: s - Math.floor(s) })).sort((a, b) => b.r - a.r || a.c - b.c);
  for (const { c } of byRemainder) {
    if (left === 0) break;
    if (quota[c] < counts[c]) {
      quota[c]++;
      left--;
    }
  }
  const byClass = classes.map((_, c) => new Int32Array(counts[c]));
  const at = new Array<number>(classes.length).fill(0);
  for (let i = 0; i < rows; i++) byClass[y[i]][at[y[i]]++] = i;
  const sample = new Int32Array(quota.reduce((a, b) => a + b, 0));
  let n = 0;
  byClass.forEach((group, c) => {
    sample.set(shuffle(group, rng).subarray(0, quota[c]), n);
    n += quota[c];
  });
  return sample.sort();
}
