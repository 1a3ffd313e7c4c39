import { DENSE_NODE_ROWS, type SplitCandidate, type SplitCriterion } from './criterion';

// The hot loops are small module functions for the reason given in gini.ts.

/** Adds the rows [start, end) to `hist[2 * bin]` (weight) and `hist[2 * bin + 1]` (weight * target). */
function fillHistogram(
  bins: Uint8Array,
  base: number,
  order: Int32Array,
  weight: Float64Array,
  weighted: Float64Array,
  start: number,
  end: number,
  hist: Float64Array,
): void {
  for (let i = start; i < end; i++) {
    const b = bins[base + order[i]];
    hist[2 * b] += weight[i];
    hist[2 * b + 1] += weighted[i];
  }
}

/** As `fillHistogram`, also marking occupied bins in `seen` and, if given, counting rows per bin. */
function fillMarkedHistogram(
  bins: Uint8Array,
  base: number,
  order: Int32Array,
  weight: Float64Array,
  weighted: Float64Array,
  start: number,
  end: number,
  hist: Float64Array,
  seen: Int32Array,
  rowsInBin: Int32Array | undefined,
): void {
  for (let i = start; i < end; i++) {
    const b = bins[base + order[i]];
    hist[2 * b] += weight[i];
    hist[2 * b + 1] += weighted[i];
    seen[b >> 5] |= 1 << (b & 31);
  }
  if (rowsInBin) for (let i = start; i < end; i++) rowsInBin[bins[base + order[i]]]++;
}

function markOccupied(hist: Float64Array, binCount: number, seen: Int32Array): void {
  for (let b = 0; b < binCount; b++) if (hist[2 * b] > 0) seen[b >> 5] |= 1 << (b & 31);
}

/**
 * Variance (mean squared error) over weighted targets. A split maximises S_L^2 / W_L + S_R^2 / W_R
 * (S = weighted sum of targets, W = total weight), the same as minimising the children's squared error.
 */
export class VarianceCriterion implements SplitCriterion {
  readonly valueSize = 1;
  private readonly order: Int32Array;
  /** Weight and weight * target of `order[i]`, kept aligned with `order` so the hot loops read them in sequence. */
  private readonly weight: Float64Array;
  private readonly weighted: Float64Array;
  /** (weight, weight * target) per bin of one feature; all zero between calls. */
  private readonly hist = new Float64Array(512);
  /** Rows per bin, for the leaf-size limit; all zero between calls. */
  private readonly rowsInBin = new Int32Array(256);
  /** One bit per bin seen in the node, so the sweep visits only occupied bins, in order; all zero between calls. */
  private readonly seen = new Int32Array(8);
  private totalWeight = 0;
  private totalSum = 0;

  constructor(private readonly y: Float64Array) {
    this.order = new Int32Array(y.length);
    this.weight = new Float64Array(y.length);
    this.weighted = new Float64Array(y.length);
  }

  loadRows(weights: Int32Array): number {
    let n = 0;
    for (let r = 0; r < weights.length; r++) {
      if (weights[r] > 0) {
        this.order[n] = r;
        this.weight[n] = weights[r];
        this.weighted[n] = weights[r] * this.y[r];
        n++;
      }
    }
    return n;
  }

  beginNode(start: number, end: number): boolean {
    const { order, weight, weighted, y } = this;
    let w = 0;
    let s = 0;
    let constant = true;
    const first = y[order[start]];
    for (let i = start; i < end; i++) {
      w += weight[i];
      s += weighted[i];
      if (y[order[i]] !== first) constant = false;
    }
    this.totalWeight = w;
    this.totalSum = s;
    return constant;
  }

  evaluate(bins: Uint8Array, base: number, binCount: number, start: number, end: number, minLeaf: number, out: SplitCandidate): void {
    const { order, weight, weighted, hist, seen } = this;
    const countRows = minLeaf > 1;
    if (!countRows && end - start >= DENSE_NODE_ROWS) {
      fillHistogram(bins, base, order, weight, weighted, start, end, hist);
      markOccupied(hist, binCount, seen);
    } else {
      fillMarkedHistogram(bins, base, order, weight, weighted, start, end, hist, seen, countRows ? this.rowsInBin : undefined);
    }
    this.sweep(end - start, minLeaf, out);
  }

  /** Scores the split after every occupied bin but the last, clearing the histogram on the way. */
  private sweep(rows: number, minLeaf: number, out: SplitCandidate): void {
    const { hist, seen, rowsInBin, totalWeight, totalSum } = this;
    const countRows = minLeaf > 1;
    let leftWeight = 0;
    let leftSum = 0;
    let leftRows = 0;
    let previous = -1;
    let occupied = 0;
    let bestScore = -Infinity;
    let bestBin = -1;
    for (let word = 0; word < 8; word++) {
      let bits = seen[word];
      seen[word] = 0;
      while (bits !== 0) {
        const lowest = bits & -bits;
        bits ^= lowest;
        const b = (word << 5) + 31 - Math.clz32(lowest);
        if (previous >= 0 && (!countRows || (leftRows >= minLeaf && rows - leftRows >= minLeaf))) {
          const rightSum = totalSum - leftSum;
          const score = (leftSum * leftSum) / leftWeight + (rightSum * rightSum) / (totalWeight - leftWeight);
          if (score > bestScore) {
            bestScore = score;
            // The edge halfway across the empty bins between the two sides, like a midpoint threshold.
            bestBin = (previous + b - 1) >> 1;
          }
        }
        leftWeight += hist[2 * b];
        leftSum += hist[2 * b + 1];
        hist[2 * b] = 0;
        hist[2 * b + 1] = 0;
        if (countRows) {
          leftRows += rowsInBin[b];
          rowsInBin[b] = 0;
        }
        previous = b;
        occupied++;
      }
    }
    out.constant = occupied <= 1;
    out.found = bestBin >= 0;
    out.score = bestScore;
    out.bin = bestBin;
  }

  partition(bins: Uint8Array, base: number, bin: number, start: number, end: number): number {
    const { order, weight, weighted } = this;
    let i = start;
    let j = end;
    while (i < j) {
      if (bins[base + order[i]] <= bin) {
        i++;
      } else {
        j--;
        const o = order[i];
        order[i] = order[j];
        order[j] = o;
        const w = weight[i];
        weight[i] = weight[j];
        weight[j] = w;
        const s = weighted[i];
        weighted[i] = weighted[j];
        weighted[j] = s;
      }
    }
    return i;
  }

  writeLeaf(out: Float64Array, offset: number): void {
    out[offset] = this.totalSum / this.totalWeight;
  }
}
