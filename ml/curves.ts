import { byScoreDescending } from './metrics';

/** At most this many points per curve: a chart's worth, whatever the number of test rows. */
export const CURVE_MAX_POINTS = 200;

/** A binary classifier's ROC and precision-recall curves, one point per kept score threshold, highest threshold first. */
export interface BinaryCurves {
  readonly roc: { readonly fpr: number[]; readonly tpr: number[]; readonly threshold: number[] };
  readonly pr: { readonly recall: number[]; readonly precision: number[]; readonly threshold: number[] };
  /** The share of positive rows: a no-skill classifier's precision. */
  readonly prevalence: number;
}

/**
 * The ROC and precision-recall curves at every distinct score threshold (as scikit-learn's
 * roc_curve and precision_recall_curve), then thinned to at most `maxPoints` each, kept evenly along
 * the curve's length so the steep parts keep their points. Undefined when one class is absent.
 */
export function binaryCurves(positive: Uint8Array, score: Float64Array, maxPoints = CURVE_MAX_POINTS): BinaryCurves | undefined {
  const order = byScoreDescending(score);
  const n = order.length;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += positive[i] !== 0 ? 1 : 0;
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return undefined;
  const fpr = [0];
  const tpr = [0];
  const rocThreshold = [Infinity];
  const recall: number[] = [];
  const precision: number[] = [];
  let tp = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j < n && score[order[j]] === score[order[i]]) tp += positive[order[j++]] !== 0 ? 1 : 0;
    fpr.push((j - tp) / negatives);
    tpr.push(tp / positives);
    rocThreshold.push(score[order[i]]);
    recall.push(tp / positives);
    precision.push(tp / j);
    i = j;
  }
  const rocKept = evenlyAlong(fpr, tpr, maxPoints);
  const prKept = evenlyAlong(recall, precision, maxPoints);
  const pick = (values: number[], kept: number[]): number[] => kept.map((k) => values[k]);
  return {
    // JSON has no Infinity: the first ROC point (nothing predicted positive) stands above every score.
    roc: { fpr: pick(fpr, rocKept), tpr: pick(tpr, rocKept), threshold: pick(rocThreshold, rocKept).map((t) => (t === Infinity ? 1 : t)) },
    pr: { recall: pick(recall, prKept), precision: pick(precision, prKept), threshold: pick(rocThreshold.slice(1), prKept) },
    prevalence: positives / n,
  };
}

/**
 * Indices of at most `max` points of the polyline (x, y): the first, the last, and the first point
 * past each equal step of its length (L1), so flat stretches lose points before bends do.
 */
export function evenlyAlong(x: readonly number[], y: readonly number[], max: number): number[] {
  const n = x.length;
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  let total = 0;
  for (let i = 1; i < n; i++) total += Math.abs(x[i] - x[i - 1]) + Math.abs(y[i] - y[i - 1]);
  const step = total / (max - 1);
  const kept = [0];
  let walked = 0;
  for (let i = 1; i < n - 1 && kept.length < max - 1; i++) {
    walked += Math.abs(x[i] - x[i - 1]) + Math.abs(y[i] - y[i - 1]);
    if (walked >= step * kept.length) kept.push(i);
  }
  kept.push(n - 1);
  return kept;
}
