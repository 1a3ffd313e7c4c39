import { type ClassReport } from '../contract/classReport';
import { binaryCurves, type BinaryCurves } from './curves';
import { averagePrecision, classificationMetrics, labelMetrics, classReport, isClass, probabilityOf, rocAuc, rocAucOvr, type ClassMetrics } from './metrics';
import { argmaxRows, hasProba } from './models/probabilities';
import { type Matrix, type Targets, type TrainedModel } from './models';

export interface ClassificationEvaluation {
  /**
   * The flat scores a deploy gate and the search attributes read; roc_auc and average_precision for
   * binary tasks only, roc_auc_ovr for any number of classes (all three need class probabilities).
   */
  readonly metrics: Record<string, number>;
  readonly classReport: ClassReport;
  /** Binary classifiers with probabilities: the ROC and precision-recall curves, bounded in size. */
  readonly curves?: BinaryCurves;
  /** What the stored evaluation adds: every class, and the full confusion matrix when it is not too big. */
  readonly artifact: {
    readonly metrics: Record<string, number>;
    readonly classes: readonly string[];
    readonly positiveClass?: string;
    readonly confusionMatrix?: number[][];
    readonly perClass: ClassMetrics[];
  };
}

/**
 * Scores a classifier on labelled rows. Predictions are the argmax of its class probabilities (what
 * `predict` returns), and on two classes the probability of the positive one, the second of the
 * sorted classes as in scikit-learn, ranks the rows for ROC AUC and average precision. Those two
 * are left out when the rows hold a single class, where they mean nothing.
 */
export function classificationEvaluation(model: TrainedModel, x: Matrix, targets: Extract<Targets, { task: 'classification' }>): ClassificationEvaluation {
  const { y, classes } = targets;
  const k = classes.length;
  const proba = hasProba(model) ? model.predictProba(x) : undefined;
  const predicted = proba ? argmaxRows(proba, x.rows, k) : (model.predict(x) as Int32Array);
  const m = classificationMetrics(y, predicted, classes);
  const metrics = labelMetrics(m);
  const positiveClass = k === 2 && proba ? classes[1] : undefined;
  let curves: BinaryCurves | undefined;
  if (positiveClass !== undefined && proba) {
    const positive = isClass(y, 1);
    const score = probabilityOf(proba, k, 1);
    const auc = rocAuc(positive, score);
    const ap = averagePrecision(positive, score);
    if (auc !== undefined) metrics.roc_auc = auc;
    if (ap !== undefined) metrics.average_precision = ap;
    curves = binaryCurves(positive, score);
  }
  const ovr = proba && rocAucOvr(y, proba, k);
  if (ovr !== undefined) metrics.roc_auc_ovr = ovr;
  const report = classReport(y, predicted, m, positiveClass === undefined ? {} : { positiveClass });
  return {
    metrics,
    classReport: report,
    ...(curves && { curves }),
    artifact: {
      metrics,
      classes,
      ...(positiveClass === undefined ? {} : { positiveClass }),
      ...(m.confusionMatrix ? { confusionMatrix: m.confusionMatrix } : {}),
      perClass: m.perClass,
    },
  };
}
