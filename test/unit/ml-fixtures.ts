import { createRng } from '../../ml/random';
import { type Matrix, type Targets } from '../../ml/models/types';

export function matrix(rows: readonly (readonly number[])[]): Matrix {
  const cols = rows[0]?.length ?? 0;
  return { rows: rows.length, cols, data: Float64Array.from(rows.flat()) };
}

export function classification(y: readonly number[], classes: readonly string[]): Targets {
  return { task: 'classification', classes, y: Int32Array.from(y) };
}

export function regression(y: readonly number[]): Targets {
  return { task: 'regression', y: Float64Array.from(y) };
}

/** Standard normal draws from a seeded stream (Box-Muller). */
export function normals(count: number, seed: number): number[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next()));
}

/**
 * `perClass` points around each center, with noise of standard deviation `spread`; rows are
 * interleaved (class 0, 1, 2, 0, ...) so any prefix holds every class.
 */
export function clusters(centers: readonly (readonly number[])[], perClass: number, spread: number, seed: number): { x: Matrix; y: number[] } {
  const dims = centers[0].length;
  const noise = normals(centers.length * perClass * dims, seed);
  const rows: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < perClass; i++) {
    centers.forEach((center, c) => {
      rows.push(center.map((v, d) => v + spread * noise[(rows.length * dims + d) % noise.length]));
      y.push(c);
    });
  }
  return { x: matrix(rows), y };
}

/** The share of equal entries. */
export function agreement(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}
