import { type Matrix } from './types';

/** Thresholds are estimated on at most this many values per feature: quantiles need no more. */
const QUANTILE_SAMPLE = 200_000;

/**
 * A feature matrix reduced to small integer bins, column-major so that one feature of all rows is
 * one contiguous run of bytes (the access pattern of histogram building).
 */
export interface BinnedMatrix {
  readonly rows: number;
  readonly cols: number;
  /** `bins[feature * rows + row]`. */
  readonly bins: Uint8Array;
  /**
   * Per feature, ascending raw-value bin edges: bin b holds the values v with
   * `thresholds[b - 1] < v <= thresholds[b]`; the last bin holds everything above (and NaN).
   */
  readonly thresholds: readonly Float64Array[];
}

/** A value strictly between a and b when one exists, so `a <= t < b`. */
function between(a: number, b: number): number {
  const mid = a + (b - a) / 2;
  return mid < b ? mid : a;
}

/** Every `stride`-th non-NaN value, sorted ascending. */
function sortedSample(values: Float64Array, stride: number): Float64Array {
  const sample = new Float64Array(Math.ceil(values.length / stride));
  let n = 0;
  for (let i = 0; i < values.length; i += stride) if (!Number.isNaN(values[i])) sample[n++] = values[i];
  return sample.subarray(0, n).sort();
}

function countDistinct(sorted: Float64Array): number {
  let distinct = sorted.length > 0 ? 1 : 0;
  for (let i = 1; i < sorted.length; i++) if (sorted[i] !== sorted[i - 1]) distinct++;
  return distinct;
}

/**
 * Bin edges for one feature: a cut between every two distinct values when there are at most
 * `maxBins` of them, else cuts at (approximately) equal-frequency quantiles.
 */
export function quantileThresholds(values: Float64Array, maxBins: number): Float64Array {
  if (maxBins < 2 || maxBins > 256) throw new RangeError(`maxBins must be in [2, 256], got ${maxBins}`);
  const sorted = sortedSample(values, Math.ceil(values.length / QUANTILE_SAMPLE));
  const n = sorted.length;
  const cuts: number[] = [];
  if (countDistinct(sorted) <= maxBins) {
    for (let i = 1; i < n; i++) if (sorted[i] !== sorted[i - 1]) cuts.push(between(sorted[i - 1], sorted[i]));
    return Float64Array.from(cuts);
  }
  const perBin = n / maxBins;
  for (let i = 0; i < n - 1 && cuts.length < maxBins - 1; i++) {
    // Only cut after the last copy of a value, and only once this bin has its share of values.
    if (sorted[i + 1] !== sorted[i] && i + 1 >= perBin * (cuts.length + 1)) cuts.push(between(sorted[i], sorted[i + 1]));
  }
  return Float64Array.from(cuts);
}

/** The bin of a raw value given its feature's edges: the first edge at or above it. */
export function binOf(thresholds: Float64Array, value: number): number {
  let lo = 0;
  let hi = thresholds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (value <= thresholds[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Bins one column into `bins` from `base` on; also held-out rows against the training edges. */
export function binColumn(column: Float64Array, edges: Float64Array, bins: Uint8Array, base: number): void {
  for (let r = 0; r < column.length; r++) bins[base + r] = binOf(edges, column[r]);
}

export function binMatrix(x: Matrix, maxBins: number): BinnedMatrix {
  const { rows, cols, data } = x;
  const bins = new Uint8Array(rows * cols);
  const thresholds: Float64Array[] = [];
  const column = new Float64Array(rows);
  for (let f = 0; f < cols; f++) {
    for (let r = 0; r < rows; r++) column[r] = data[r * cols + f];
    const edges = quantileThresholds(column, maxBins);
    thresholds.push(edges);
    binColumn(column, edges, bins, f * rows);
  }
  return { rows, cols, bins, thresholds };
}

/**
 * A dense matrix that every tree grown on `binned` routes exactly as the raw rows: bin b becomes
 * its upper edge (the last bin, +Infinity), since a split on edge s sends a value left iff its bin is <= s.
 */
export function representativeMatrix(binned: BinnedMatrix): Matrix {
  const { rows, cols, bins, thresholds } = binned;
  const data = new Float64Array(rows * cols);
  for (let f = 0; f < cols; f++) {
    const edges = thresholds[f];
    const base = f * rows;
    for (let r = 0; r < rows; r++) {
      const b = bins[base + r];
      data[r * cols + f] = b < edges.length ? edges[b] : Infinity;
    }
  }
  return { rows, cols, data };
}

