import { DENSE_NODE_ROWS, type SplitCandidate, type SplitCriterion } from './criterion';

// The hot loops are small module functions rather than inline blocks: V8 compiles a hot loop on its
// own (on-stack replacement) before the code after it has run, and a big method with several
// loops then keeps deoptimizing on that unvisited code.

/** Adds the rows [start, end) to `hist[bin * k + class]`. */
function fillHistogram(
  bins: Uint8Array,
  base: number,
  order: Int32Array,
  label: Int32Array,
  weight: Int32Array,
  start: number,
  end: number,
  hist: Int32Array,
  k: number,
): void {
  for (let i = start; i < end; i++) hist[bins[base + order[i]] * k + label[i]] += weight[i];
}

/** As `fillHistogram`, also marking occupied bins in `seen` and, if given, counting rows per bin. */
function fillMarkedHistogram(
  bins: Uint8Array,
  base: number,
  order: Int32Array,
  label: Int32Array,
  weight: Int32Array,
  start: number,
  end: number,
  hist: Int32Array,
  k: number,
  seen: Int32Array,
  rowsInBin: Int32Array | undefined,
): void {
  for (let i = start; i < end; i++) {
    const b = bins[base + order[i]];
    hist[b * k + label[i]] += weight[i];
    seen[b >> 5] |= 1 << (b & 31);
  }
  if (rowsInBin) for (let i = start; i < end; i++) rowsInBin[bins[base + order[i]]]++;
}

function markOccupied(hist: Int32Array, k: number, binCount: number, seen: Int32Array): void {
  for (let b = 0; b < binCount; b++) {
    let occupied = 0;
    for (let c = 0; c < k; c++) occupied |= hist[b * k + c];
    if (occupied !== 0) seen[b >> 5] |= 1 << (b & 31);
  }
}

/**
 * Gini impurity over weighted class counts. A split maximises sum_c L_c^2 / |L| + sum_c R_c^2 / |R|,
 * which is the same as minimising the weighted Gini impurity of the children. A row weighs its
 * count (its bootstrap draws, else 1) times its class's weight; since the class weight depends on
 * the class alone, the histograms keep integer counts and the class weights scale the per-class sums
 * of a bin (not every row), and the leaf values are the weighted class shares. The forest gives class
 * weights only to trees grown without bootstrap; with it they shape the draw (bootstrap.ts).
 */
export class GiniCriterion implements SplitCriterion {
  readonly valueSize: number;
  private readonly order: Int32Array;
  /** Class and weight of `order[i]`, kept aligned with `order` so the hot loops read them in sequence. */
  private readonly label: Int32Array;
  private readonly weight: Int32Array;
  /** Weighted count per (bin, class) of one feature; all zero between calls. */
  private readonly hist: Int32Array;
  /** Rows per bin, for the leaf-size limit; all zero between calls. */
  private readonly rowsInBin = new Int32Array(256);
  /** One bit per bin seen in the node, so the sweep visits only occupied bins, in order; all zero between calls. */
  private readonly seen = new Int32Array(8);
  private readonly total: Float64Array;
  private readonly leftTotal: Float64Array;
  private totalWeight = 0;
  /** Weight of each class; all 1 when unweighted, which leaves every sum exactly the unweighted one. */
  private readonly classWeight: Float64Array;

  constructor(
    private readonly y: Int32Array,
    private readonly classCount: number,
    classWeight?: Float64Array,
  ) {
    this.valueSize = classCount;
    this.classWeight = classWeight ?? new Float64Array(classCount).fill(1);
    this.order = new Int32Array(y.length);
    this.label = new Int32Array(y.length);
    this.weight = new Int32Array(y.length);
    this.hist = new Int32Array(256 * classCount);
    this.total = new Float64Array(classCount);
    this.leftTotal = new Float64Array(classCount);
  }

  loadRows(weights: Int32Array): number {
    let n = 0;
    for (let r = 0; r < weights.length; r++) {
      if (weights[r] > 0) {
        this.order[n] = r;
        this.label[n] = this.y[r];
        this.weight[n] = weights[r];
        n++;
      }
    }
    return n;
  }

  beginNode(start: number, end: number): boolean {
    const { total, label, weight, classWeight } = this;
    total.fill(0);
    for (let i = start; i < end; i++) total[label[i]] += weight[i];
    let w = 0;
    let present = 0;
    for (let c = 0; c < this.classCount; c++) {
      if (total[c] > 0) present++;
      total[c] *= classWeight[c];
      w += total[c];
    }
    this.totalWeight = w;
    return present <= 1;
  }

  evaluate(bins: Uint8Array, base: number, binCount: number, start: number, end: number, minLeaf: number, out: SplitCandidate): void {
    const { order, label, weight, hist, seen } = this;
    const k = this.classCount;
    const countRows = minLeaf > 1;
    if (!countRows && end - start >= DENSE_NODE_ROWS) {
      fillHistogram(bins, base, order, label, weight, start, end, hist, k);
      markOccupied(hist, k, binCount, seen);
    } else {
      fillMarkedHistogram(bins, base, order, label, weight, start, end, hist, k, seen, countRows ? this.rowsInBin : undefined);
    }
    if (k === 2 && !countRows) this.sweepBinary(out);
    else this.sweep(end - start, minLeaf, out);
  }

  /** `sweep` for two classes and no leaf-size limit, the common case, in scalars: about 15% faster training. */
  private sweepBinary(out: SplitCandidate): void {
    const { hist, seen, total, totalWeight } = this;
    const total0 = total[0];
    const w0 = this.classWeight[0];
    const w1 = this.classWeight[1];
    let left0 = 0;
    let leftWeight = 0;
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
        if (previous >= 0) {
          const left1 = leftWeight - left0;
          const right0 = total0 - left0;
          const right1 = totalWeight - leftWeight - right0;
          const score = (left0 * left0 + left1 * left1) / leftWeight + (right0 * right0 + right1 * right1) / (totalWeight - leftWeight);
          if (score > bestScore) {
            bestScore = score;
            bestBin = (previous + b - 1) >> 1;
          }
        }
        const h0 = hist[2 * b] * w0;
        const h1 = hist[2 * b + 1] * w1;
        left0 += h0;
        leftWeight += h0 + h1;
        hist[2 * b] = 0;
        hist[2 * b + 1] = 0;
        previous = b;
        occupied++;
      }
    }
    out.constant = occupied <= 1;
    out.found = bestBin >= 0;
    out.score = bestScore;
    out.bin = bestBin;
  }

  /** Scores the split after every occupied bin but the last, clearing the histogram on the way. */
  private sweep(rows: number, minLeaf: number, out: SplitCandidate): void {
    const { hist, seen, rowsInBin, total, leftTotal, totalWeight, classWeight } = this;
    const k = this.classCount;
    const countRows = minLeaf > 1;
    leftTotal.fill(0);
    let leftWeight = 0;
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
          let squaresLeft = 0;
          let squaresRight = 0;
          for (let c = 0; c < k; c++) {
            const l = leftTotal[c];
            const r = total[c] - l;
            squaresLeft += l * l;
            squaresRight += r * r;
          }
          const score = squaresLeft / leftWeight + squaresRight / (totalWeight - leftWeight);
          if (score > bestScore) {
            bestScore = score;
            // The edge halfway across the empty bins between the two sides, like a midpoint threshold.
            bestBin = (previous + b - 1) >> 1;
          }
        }
        const h = b * k;
        for (let c = 0; c < k; c++) {
          const weighted = hist[h + c] * classWeight[c];
          leftTotal[c] += weighted;
          leftWeight += weighted;
          hist[h + c] = 0;
        }
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
    const { order, label, weight } = this;
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
        const l = label[i];
        label[i] = label[j];
        label[j] = l;
        const w = weight[i];
        weight[i] = weight[j];
        weight[j] = w;
      }
    }
    return i;
  }

  writeLeaf(out: Float64Array, offset: number): void {
    for (let c = 0; c < this.classCount; c++) out[offset + c] = this.total[c] / this.totalWeight;
  }
}
