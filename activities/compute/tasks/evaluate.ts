import { decodeAnySplit } from '../../../ml/data/binnedCodec';
import { FEATURE_IMPORTANCE_MAX, type ClassReport, type FeatureImportances } from '../../../contract';
import { classificationEvaluation } from '../../../ml/evaluation';
import { IMPORTANCE_DEFAULTS, permutationImportance, type FeatureColumns } from '../../../ml/importance';
import { regressionMetrics } from '../../../ml/metrics';
import { isBinned, loadModel, representativeMatrix } from '../../../ml/models';
import { outputNames, type FittedTransform } from '../../../ml/preprocess/transform';
import { sampleRows } from '../../../ml/sample';
import { decodeModelArtifact } from '../../../storage/modelArtifact';
import { type ComputeTask } from '../protocol';

/** A regressor's (actual, predicted) pairs kept for the report's scatter plots, at most. */
export const SCATTER_MAX_POINTS = 2_000;
/** The seed of the report's samples: the same run gives the same charts. */
const SAMPLE_SEED = 0;

export interface EvaluateTaskInput {
  /** The model artifact's bytes. */
  readonly model: Uint8Array;
  /** The encoded held-out split. */
  readonly test: Uint8Array;
}

export interface EvaluateTaskOutput {
  /** The stored evaluation's JSON: every metric, with the confusion matrix for classifiers. */
  readonly evaluation: string;
  readonly metrics: Record<string, number>;
  /** Classifiers: per-class results and the confusion matrix, bounded in size. */
  readonly classReport?: ClassReport;
  /** The largest FEATURE_IMPORTANCE_MAX; the evaluation holds every feature's. */
  readonly featureImportances?: FeatureImportances;
}

/** The input features and the matrix columns each became, in matrix order. */
function featureColumns(transform: FittedTransform): FeatureColumns[] {
  let start = 0;
  return transform.features.map((feature) => {
    const count = outputNames(feature).length;
    const columns = { name: feature.name, start, count };
    start += count;
    return columns;
  });
}

function bounded(importances: FeatureImportances): FeatureImportances {
  const omitted = importances.features.length - FEATURE_IMPORTANCE_MAX;
  return omitted > 0 ? { ...importances, features: importances.features.slice(0, FEATURE_IMPORTANCE_MAX), omitted } : importances;
}

/**
 * Scores the model on the held-out split, and keeps what the report charts: the ROC and
 * precision-recall curves (binary classifiers) or a sample of (actual, predicted) pairs
 * (regressors), each bounded in size, and every feature's permutation importance.
 */
export const evaluateTask: ComputeTask<EvaluateTaskInput, EvaluateTaskOutput> = (input, { progress }) => {
  const artifact = decodeModelArtifact(input.model);
  progress({ fraction: 0, message: 'decoding the held-out split' });
  const split = decodeAnySplit(input.test);
  const { targets } = split;
  const x = isBinned(split.x) ? representativeMatrix(split.x) : split.x;
  progress({ fraction: 0.2, message: `scoring ${x.rows} rows` });
  const model = loadModel(artifact.model);
  const scored = targets.task === 'classification' ? classificationEvaluation(model, x, targets) : undefined;
  const predicted = targets.task === 'regression' ? (model.predict(x) as Float64Array) : undefined;
  const importances = permutationImportance(model, x, targets, featureColumns(artifact.transform), {
    ...IMPORTANCE_DEFAULTS,
    onFeature: (done, total) => progress({ fraction: 0.4 + (0.6 * done) / total, message: `permutation importance: feature ${done + 1} of ${total}` }),
  });
  const base = { task: targets.task, testRows: x.rows, featureImportances: importances };
  const featureImportances = bounded(importances);
  if (scored) {
    const evaluation = { ...base, ...scored.artifact, classReport: scored.classReport, ...(scored.curves && { curves: scored.curves }) };
    return Promise.resolve({ value: { evaluation: JSON.stringify(evaluation), metrics: scored.metrics, classReport: scored.classReport, featureImportances } });
  }
  const y = targets.y as Float64Array;
  const values = predicted as Float64Array;
  const metrics = { ...regressionMetrics(y, values) };
  const rows = sampleRows(x.rows, SCATTER_MAX_POINTS, SAMPLE_SEED);
  const sample = { of: x.rows, actual: Array.from(rows, (r) => y[r]), predicted: Array.from(rows, (r) => values[r]) };
  const evaluation = { ...base, metrics, sample };
  return Promise.resolve({ value: { evaluation: JSON.stringify(evaluation), metrics, featureImportances } });
};
