import { createRng } from './random';

/**
 * `min(n, max)` distinct row indices of `0..n-1` in ascending order, drawn uniformly with `seed`
 * (Floyd's algorithm: `max` draws and a set of `max` entries, whatever `n`).
 */
export function sampleRows(n: number, max: number, seed: number): Int32Array {
  if (n <= max) return Int32Array.from({ length: n }, (_, i) => i);
  const rng = createRng(seed);
  const chosen = new Set<number>();
  for (let j = n - max; j < n; j++) {
    const t = rng.nextInt(j + 1);
    chosen.add(chosen.has(t) ? j : t);
  }
  return Int32Array.from(chosen).sort();
}
