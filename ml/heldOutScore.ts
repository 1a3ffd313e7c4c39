import { averagePrecision, classificationMetrics, labelMetrics, isClass, regressionMetrics, rocAuc, rocAucOvr } from './metrics';
import { type Table } from './data/table';
import { argmaxRows, hasProba, type Targets, type TrainedModel } from './models';
import { applyTransform, type FittedTransform } from './preprocess';

/** A model with what it needs to score raw rows: its own fitted transform and its class labels. */
export interface Scorer {
  readonly model: TrainedModel;
  readonly transform: FittedTransform;
  /** The label of each of the model's class indices (classifiers). */
  readonly classes?: readonly string[];
}

/** Rows transformed and scored at a time: bounds the feature matrix whatever the split's size. */
export const SCORE_CHUNK_ROWS = 65_536;

/**
 * Scores a model on some raw rows of a table against their true targets, through the model's own
 * transform, chunk by chunk. Classes are matched by label, not index, so a model fitted on other
 * data (a production version) is scored on the same terms as the run's own: a label the run's
 * rows lack counts as a class of its own (always a miss), and on two classes the positive one is
 * the run's second class, ranked by the model's probability of that label (0 when it has none).
 */
export function scoreOnRows(scorer: Scorer, table: Table, rows: Int32Array, targets: Targets, chunkRows = SCORE_CHUNK_ROWS): Record<string, number> {
  const n = rows.length;
  if (targets.task === 'regression') {
    const predicted = new Float64Array(n);
    for (let start = 0; start < n; start += chunkRows) {
      const x = applyTransform(scorer.transform, table, rows.subarray(start, Math.min(n, start + chunkRows)));
      predicted.set(scorer.model.predict(x), start);
    }
    return { ...regressionMetrics(targets.y, predicted) };
  }
  const classes = [...targets.classes];
  const index = new Map(classes.map((label, i) => [label, i]));
  const own = scorer.classes ?? [];
  const toRun = Int32Array.from(own, (label) => {
    let i = index.get(label);
    if (i === undefined) index.set(label, (i = classes.push(label) - 1));
    return i;
  });
  const binary = targets.classes.length === 2 && hasProba(scorer.model);
  const positive = binary ? own.indexOf(targets.classes[1]) : -1;
  const predicted = new Int32Array(n);
  const score = binary ? new Float64Array(n) : undefined;
  const k = own.length;
  // Each of the run's classes' probability, by label (0 for a label the model lacks), for roc_auc_ovr.
  const runK = targets.classes.length;
  const runProba = hasProba(scorer.model) ? new Float64Array(n * runK) : undefined;
  for (let start = 0; start < n; start += chunkRows) {
    const x = applyTransform(scorer.transform, table, rows.subarray(start, Math.min(n, start + chunkRows)));
    const proba = hasProba(scorer.model) ? scorer.model.predictProba(x) : undefined;
    const labels = proba ? argmaxRows(proba, x.rows, k) : (scorer.model.predict(x) as Int32Array);
    for (let r = 0; r < x.rows; r++) {
      predicted[start + r] = toRun[labels[r]];
      if (score && proba) score[start + r] = positive < 0 ? 0 : proba[r * k + positive];
      if (runProba && proba) for (let j = 0; j < k; j++) if (toRun[j] < runK) runProba[(start + r) * runK + toRun[j]] = proba[r * k + j];
    }
  }
  const m = classificationMetrics(targets.y, predicted, classes);
  const metrics = labelMetrics(m);
  if (score) {
    const auc = rocAuc(isClass(targets.y, 1), score);
    const ap = averagePrecision(isClass(targets.y, 1), score);
    if (auc !== undefined) metrics.roc_auc = auc;
    if (ap !== undefined) metrics.average_precision = ap;
  }
  const ovr = runProba && rocAucOvr(targets.y, runProba, runK);
  if (ovr !== undefined) metrics.roc_auc_ovr = ovr;
  return metrics;
}
