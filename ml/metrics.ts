import { CLASS_REPORT_MAX_CLASSES, type ClassReport, type ClassReportRow } from '../contract/classReport';

export type ClassMetrics = ClassReportRow;

/** Beyond this many classes the k x k confusion matrix is not built (k^2 numbers); the class report's folded one still is. */
export const FULL_CONFUSION_MAX_CLASSES = 1000;

export interface ClassificationMetrics {
  readonly accuracy: number;
  readonly precision_macro: number;
  readonly recall_macro: number;
  readonly f1_macro: number;
  /** Mean recall over the classes present in yTrue, as scikit-learn's balanced_accuracy_score. */
  readonly balanced_accuracy: number;
  /** `confusionMatrix[true][predicted]` = row count; absent beyond FULL_CONFUSION_MAX_CLASSES classes. */
  readonly confusionMatrix?: number[][];
  readonly perClass: ClassMetrics[];
}
export interface RegressionMetrics {
  readonly mse: number;
  readonly rmse: number;
  readonly mae: number;
  readonly r2: number;
}

function checkLengths(a: { length: number }, b: { length: number }): void {
  if (a.length !== b.length) throw new RangeError(`yTrue has ${a.length} values but yPred has ${b.length}`);
}

/** 0 when the denominator is 0, as scikit-learn with zero_division=0. */
function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

function checkClass(i: number, t: number, p: number, k: number): void {
  if (!(t >= 0 && t < k && p >= 0 && p < k)) throw new RangeError(`row ${i} has a class index outside [0, ${k}): ${t}, ${p}`);
}

/** The flat label scores of `m`, by the names the gates and the search attributes use. */
export function labelMetrics(m: ClassificationMetrics): Record<string, number> {
  return { accuracy: m.accuracy, precision_macro: m.precision_macro, recall_macro: m.recall_macro, f1_macro: m.f1_macro, balanced_accuracy: m.balanced_accuracy };
}

/**
 * Accuracy, balanced accuracy and per-class precision, recall and F1 with their unweighted (macro)
 * means over all `classes`. Per-class counts are O(rows + classes), so many classes cost no k^2 unless
 * the full confusion matrix is built.
 */
export function classificationMetrics(yTrue: Int32Array, yPred: Int32Array, classes: readonly string[]): ClassificationMetrics {
  checkLengths(yTrue, yPred);
  const k = classes.length;
  const support = new Float64Array(k);
  const predictedCount = new Float64Array(k);
  const hits = new Float64Array(k);
  const confusionMatrix = k <= FULL_CONFUSION_MAX_CLASSES ? Array.from({ length: k }, () => new Array<number>(k).fill(0)) : undefined;
  let correct = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i];
    const p = yPred[i];
    checkClass(i, t, p, k);
    support[t]++;
    predictedCount[p]++;
    if (confusionMatrix) confusionMatrix[t][p]++;
    if (t === p) {
      hits[t]++;
      correct++;
    }
  }
  const perClass = classes.map((label, c) => {
    const precision = ratio(hits[c], predictedCount[c]);
    const recall = ratio(hits[c], support[c]);
    return { label, precision, recall, f1: ratio(2 * precision * recall, precision + recall), support: support[c] };
  });
  const mean = (pick: (m: ClassMetrics) => number): number => ratio(perClass.reduce((s, m) => s + pick(m), 0), k);
  const present = perClass.filter((m) => m.support > 0);
  return {
    accuracy: ratio(correct, yTrue.length),
    precision_macro: mean((m) => m.precision),
    recall_macro: mean((m) => m.recall),
    f1_macro: mean((m) => m.f1),
    balanced_accuracy: ratio(
      present.reduce((s, m) => s + m.recall, 0),
      present.length,
    ),
    ...(confusionMatrix ? { confusionMatrix } : {}),
    perClass,
  };
}

/** Counts of the positives and negatives; undefined unless both occur, when ranking metrics mean nothing. */
function classCounts(positive: Uint8Array, score: Float64Array): { positives: number; negatives: number } | undefined {
  checkLengths(positive, score);
  let positives = 0;
  for (let i = 0; i < positive.length; i++) if (positive[i] !== 0) positives++;
  const negatives = positive.length - positives;
  return positives > 0 && negatives > 0 ? { positives, negatives } : undefined;
}

/** Row indices by descending score. */
export function byScoreDescending(score: Float64Array): Int32Array {
  return Int32Array.from({ length: score.length }, (_, i) => i).sort((a, b) => score[b] - score[a]);
}

/**
 * Area under the ROC curve: the chance that a random positive scores above a random negative, ties
 * counting one half (the Mann-Whitney U with tied scores at their average rank), as scikit-learn's
 * roc_auc_score. Undefined when `positive` holds a single class.
 */
export function rocAuc(positive: Uint8Array, score: Float64Array): number | undefined {
  const counts = classCounts(positive, score);
  if (!counts) return undefined;
  const order = byScoreDescending(score);
  const n = order.length;
  let positiveRankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    let positivesInTie = 0;
    while (j < n && score[order[j]] === score[order[i]]) {
      if (positive[order[j]] !== 0) positivesInTie++;
      j++;
    }
    // Ranks ascend with the score: the tie at descending positions [i, j) holds ranks n - j + 1 .. n - i.
    positiveRankSum += positivesInTie * ((n - j + 1 + (n - i)) / 2);
    i = j;
  }
  const { positives, negatives } = counts;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * Average precision as scikit-learn's average_precision_score: sum over the distinct score
 * thresholds, highest first, of (recall gained) x (precision at that threshold), a step-wise area
 * under the precision-recall curve with no interpolation. Undefined when `positive` holds a single class.
 */
export function averagePrecision(positive: Uint8Array, score: Float64Array): number | undefined {
  const counts = classCounts(positive, score);
  if (!counts) return undefined;
  const order = byScoreDescending(score);
  const n = order.length;
  let truePositives = 0;
  let recall = 0;
  let sum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j < n && score[order[j]] === score[order[i]]) {
      if (positive[order[j]] !== 0) truePositives++;
      j++;
    }
    const nextRecall = truePositives / counts.positives;
    sum += (nextRecall - recall) * (truePositives / j);
    recall = nextRecall;
    i = j;
  }
  return sum;
}

/**
 * Macro one-vs-rest ROC AUC over `k` classes (row-major `proba`): each class's probability ranks it
 * against the rest, and the areas are averaged with equal weight, as scikit-learn's
 * roc_auc_score(multi_class='ovr'). Classes absent from `yTrue` are left out of the average, where
 * scikit-learn refuses the whole score; undefined when fewer than two classes are present.
 */
export function rocAucOvr(yTrue: Int32Array, proba: Float64Array, k: number): number | undefined {
  let sum = 0;
  let counted = 0;
  for (let c = 0; c < k; c++) {
    const auc = rocAuc(isClass(yTrue, c), probabilityOf(proba, k, c));
    if (auc === undefined) continue;
    sum += auc;
    counted++;
  }
  return counted >= 2 ? sum / counted : undefined;
}

/** The rows whose true class is `positiveClass` (1) or another (0). */
export function isClass(yTrue: Int32Array, positiveClass: number): Uint8Array {
  return Uint8Array.from(yTrue, (t) => (t === positiveClass ? 1 : 0));
}

/** Column `c` of row-major `proba` (`k` per row). */
export function probabilityOf(proba: Float64Array, k: number, c: number): Float64Array {
  return Float64Array.from({ length: proba.length / k }, (_, r) => proba[r * k + c]);
}

/**
 * The bounded class report of `metrics`: every class when there are at most `maxClasses`; else the
 * `maxClasses` with the most test rows (ties: class order), listed in class order, and a confusion
 * matrix whose last row and column sum the classes left out.
 */
export function classReport(
  yTrue: Int32Array,
  yPred: Int32Array,
  metrics: ClassificationMetrics,
  options: { readonly positiveClass?: string; readonly maxClasses?: number } = {},
): ClassReport {
  checkLengths(yTrue, yPred);
  const { perClass } = metrics;
  const k = perClass.length;
  const maxClasses = options.maxClasses ?? CLASS_REPORT_MAX_CLASSES;
  const positive = options.positiveClass === undefined ? {} : { positiveClass: options.positiveClass };
  const base = { classCount: k, ...positive };
  if (k <= maxClasses) {
    const counts = metrics.confusionMatrix ?? foldedMatrix(yTrue, yPred, Int32Array.from({ length: k }, (_, c) => c), k);
    return { ...base, perClass: [...perClass], confusionMatrix: { labels: perClass.map((m) => m.label), counts } };
  }
  const kept = perClass
    .map((m, c) => ({ c, support: m.support }))
    .sort((a, b) => b.support - a.support || a.c - b.c)
    .slice(0, maxClasses)
    .map((e) => e.c)
    .sort((a, b) => a - b);
  const slot = new Int32Array(k).fill(kept.length);
  kept.forEach((c, i) => (slot[c] = i));
  const others = k - kept.length;
  return {
    ...base,
    perClass: kept.map((c) => perClass[c]),
    confusionMatrix: { labels: [...kept.map((c) => perClass[c].label), `(${others} other classes)`], counts: foldedMatrix(yTrue, yPred, slot, kept.length + 1) },
    note: `${k} classes: the ${kept.length} with the most test rows are listed; the other ${others} are summed in the last row and column of the confusion matrix`,
  };
}

/** A size x size confusion matrix of the rows, each class counted in its `slot`. */
function foldedMatrix(yTrue: Int32Array, yPred: Int32Array, slot: Int32Array, size: number): number[][] {
  const counts = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    checkClass(i, yTrue[i], yPred[i], slot.length);
    counts[slot[yTrue[i]]][slot[yPred[i]]]++;
  }
  return counts;
}

/** r2 is 1 - SSE / SST, as scikit-learn: 1 for a perfect fit of constant targets, 0 for an imperfect one. */
export function regressionMetrics(yTrue: Float64Array, yPred: Float64Array): RegressionMetrics {
  checkLengths(yTrue, yPred);
  const n = yTrue.length;
  if (n === 0) return { mse: NaN, rmse: NaN, mae: NaN, r2: NaN };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += yTrue[i];
  const mean = sum / n;
  let squared = 0;
  let absolute = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const e = yTrue[i] - yPred[i];
    squared += e * e;
    absolute += Math.abs(e);
    total += (yTrue[i] - mean) ** 2;
  }
  const mse = squared / n;
  return { mse, rmse: Math.sqrt(mse), mae: absolute / n, r2: total === 0 ? (squared === 0 ? 1 : 0) : 1 - squared / total };
}
