import { InvalidParamsError } from '../../contract/parse';
import { type MetricName, type ModelSpec } from '../../contract/params';
import { classificationEvaluation } from '../evaluation';
import { regressionMetrics } from '../metrics';
import { trainModel, type Features, type Matrix, type Targets, type TrainedModel } from '../models';
import { isBinned } from '../models/trainingData';
import { foldOfRows, foldRows } from './folds';
import { denseRows, targetRows } from './rowViews';
import { subsampleRows } from './subsample';

export interface CrossValidationSpec {
  readonly folds: number;
  /** Seeds the fold assignment: every configuration of a search sees the same folds. */
  readonly seed: number;
  readonly metric: MetricName;
  /** Successive halving's resource: cross-validate on this many training rows (a seeded, stratified sample); all rows when undefined. */
  readonly rows?: number;
}

export interface CrossValidation {
  readonly foldScores: number[];
  readonly mean: number;
  /** Population standard deviation, as scikit-learn's std_test_score. */
  readonly std: number;
}

/** `metric` of `model` on labelled rows. */
export function scoreOf(model: TrainedModel, x: Matrix, targets: Targets, metric: MetricName): number {
  const metrics: Record<string, number> =
    targets.task === 'classification' ? classificationEvaluation(model, x, targets).metrics : { ...regressionMetrics(targets.y, model.predict(x) as Float64Array) };
  const value = metrics[metric];
  if (value === undefined) throw new InvalidParamsError([{ field: 'tuning.metric', message: `a validation fold has no ${metric} (it applies to binary classifiers with both classes in every fold)` }]);
  return value;
}

/**
 * k-fold cross-validation of one model spec on one split. Folds are index arrays: a forest trains
 * on its fold's rows by weight (the split is never copied); a linear model, which standardizes a
 * copy of its rows anyway, gets its fold's rows as a dense matrix. Only each validation fold is made dense.
 * With `cv.rows`, the folds are dealt over a sample of the split's rows, still as indices into it.
 */
export async function crossValidate(
  spec: ModelSpec,
  x: Features,
  targets: Targets,
  cv: CrossValidationSpec,
  onFold?: (done: number, total: number) => void,
): Promise<CrossValidation> {
  const sample = cv.rows === undefined || cv.rows >= targets.y.length ? undefined : subsampleRows(targets, cv.rows, cv.folds, cv.seed);
  const foldOf = foldOfRows(sample ? targetRows(targets, sample) : targets, cv.folds, cv.seed);
  const foldScores: number[] = [];
  for (let f = 0; f < cv.folds; f++) {
    const fold = foldRows(foldOf, f);
    const [train, validation] = sample ? [fold.train.map((i) => sample[i]), fold.validation.map((i) => sample[i])] : [fold.train, fold.validation];
    const forest = spec.type === 'random_forest_classifier' || spec.type === 'random_forest_regressor';
    const model = forest ? await trainModel(spec, x, targets, undefined, { rows: train }) : await trainModel(spec, isBinned(x) ? x : denseRows(x, train), targetRows(targets, train));
    foldScores.push(scoreOf(model, denseRows(x, validation), targetRows(targets, validation), cv.metric));
    onFold?.(f + 1, cv.folds);
  }
  const mean = foldScores.reduce((s, v) => s + v, 0) / foldScores.length;
  const std = Math.sqrt(foldScores.reduce((s, v) => s + (v - mean) ** 2, 0) / foldScores.length);
  return { foldScores, mean, std };
}
