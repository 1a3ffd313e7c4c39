export interface ClassMetrics {
  readonly label: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Rows whose true class is this one. */
  readonly support: number;
}

export interface ClassificationMetrics {
  readonly accuracy: number;
  readonly precision_macro: number;
  readonly recall_macro: number;
  readonly f1_macro: number;
  /** `confusionMatrix[true][predicted]` = row count. */
  readonly confusionMatrix: number[][];
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

/** Accuracy and per-class precision, recall and F1 with their unweighted (macro) means over all `classes`. */
export function classificationMetrics(yTrue: Int32Array, yPred: Int32Array, classes: readonly string[]): ClassificationMetrics {
  checkLengths(yTrue, yPred);
  const k = classes.length;
  const confusionMatrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let correct = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i];
    const p = yPred[i];
    if (!(t >= 0 && t < k && p >= 0 && p < k)) throw new RangeError(`row ${i} has a class index outside [0, ${k}): ${t}, ${p}`);
    confusionMatrix[t][p]++;
    if (t === p) correct++;
  }
  const perClass = classes.map((label, c) => {
    let predicted = 0;
    let support = 0;
    for (let j = 0; j < k; j++) {
      predicted += confusionMatrix[j][c];
      support += confusionMatrix[c][j];
    }
    const hits = confusionMatrix[c][c];
    const precision = ratio(hits, predicted);
    const recall = ratio(hits, support);
    return { label, precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  });
  const mean = (pick: (m: ClassMetrics) => number): number => ratio(perClass.reduce((s, m) => s + pick(m), 0), k);
  return {
    accuracy: ratio(correct, yTrue.length),
    precision_macro: mean((m) => m.precision),
    recall_macro: mean((m) => m.recall),
    f1_macro: mean((m) => m.f1),
    confusionMatrix,
    perClass,
  };
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
