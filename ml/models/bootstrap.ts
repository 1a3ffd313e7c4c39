import { type RandomForestParams } from '../../contract/params';
import { type Rng } from '../random';
import { TrainingDataError } from './errors';

/**
 * Rows drawn per bootstrap sample: `maxSamples` as a fraction of the rows' total weight (their
 * count when unweighted) or a count, all rows when unset; as scikit-learn.
 */
export function samplesPerTree(maxSamples: RandomForestParams['maxSamples'], rows: number, totalWeight = rows): number {
  if (maxSamples === undefined) return rows;
  if (maxSamples <= 1) return Math.max(1, Math.round(maxSamples * totalWeight));
  if (maxSamples > rows) throw new TrainingDataError(`maxSamples ${maxSamples} exceeds the ${rows} training rows`);
  return maxSamples;
}

/** Writes one tree's bootstrap sample into `counts`, as the number of times each row was drawn. */
export type BootstrapDraw = (rng: Rng, counts: Int32Array) => void;

/** Every row of the pool (`rows`, or all `rowCount` rows) equally likely. */
function uniformDraw(rowCount: number, rows: Int32Array | undefined, maxSamples: RandomForestParams['maxSamples']): BootstrapDraw {
  const pool = rows?.length ?? rowCount;
  const samples = samplesPerTree(maxSamples, pool);
  return (rng, counts) => {
    counts.fill(0);
    if (rows) for (let i = 0; i < samples; i++) counts[rows[rng.nextInt(pool)]]++;
    else for (let i = 0; i < samples; i++) counts[rng.nextInt(pool)]++;
  };
}

/**
 * A row drawn with probability proportional to its class's weight, as scikit-learn (from 1.9) draws
 * a forest's bootstrap from its sample weights. Each draw picks a class by its share of the total
 * weight (count x weight), then one of its rows uniformly: constant time per draw however
 * imbalanced the classes are.
 */
function classWeightedDraw(
  y: Int32Array,
  rowCount: number,
  rows: Int32Array | undefined,
  classWeight: Float64Array,
  maxSamples: RandomForestParams['maxSamples'],
): BootstrapDraw {
  const pool = rows?.length ?? rowCount;
  const rowAt = (i: number) => (rows ? rows[i] : i);
  const k = classWeight.length;
  // The pool's rows grouped by class (a counting sort): class c's rows are byClass[start[c], start[c + 1]).
  const start = new Int32Array(k + 1);
  for (let i = 0; i < pool; i++) start[y[rowAt(i)] + 1]++;
  for (let c = 0; c < k; c++) start[c + 1] += start[c];
  const byClass = new Int32Array(pool);
  const next = start.slice(0, k);
  for (let i = 0; i < pool; i++) byClass[next[y[rowAt(i)]]++] = rowAt(i);
  // The classes with rows, with the running total of their weight.
  const present: number[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (let c = 0; c < k; c++) {
    const count = start[c + 1] - start[c];
    if (count === 0) continue;
    total += count * classWeight[c];
    present.push(c);
    cumulative.push(total);
  }
  const samples = samplesPerTree(maxSamples, pool, total);
  const last = present.length - 1;
  return (rng, counts) => {
    counts.fill(0);
    for (let i = 0; i < samples; i++) {
      const u = rng.next() * total;
      let lo = 0;
      let hi = last;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cumulative[mid] > u) hi = mid;
        else lo = mid + 1;
      }
      const c = present[lo];
      counts[byClass[start[c] + rng.nextInt(start[c + 1] - start[c])]]++;
    }
  };
}

/** How a forest draws each tree's rows (with `bootstrap`): uniformly, or by class weight when given. */
export function bootstrapDraw(
  rowCount: number,
  rows: Int32Array | undefined,
  maxSamples: RandomForestParams['maxSamples'],
  weighted?: { readonly y: Int32Array; readonly classWeight: Float64Array },
): BootstrapDraw {
  return weighted ? classWeightedDraw(weighted.y, rowCount, rows, weighted.classWeight, maxSamples) : uniformDraw(rowCount, rows, maxSamples);
}
