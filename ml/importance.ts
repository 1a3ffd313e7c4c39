import { type FeatureImportance, type FeatureImportances } from '../contract/importance';
import { regressionMetrics } from './metrics';
import { type Matrix, type Targets, type TrainedModel } from './models';
import { createRng, shuffle } from './random';
import { sampleRows } from './sample';

/** An input feature and the matrix columns it became (one, or its one-hot / datetime outputs). */
export interface FeatureColumns {
  readonly name: string;
  readonly start: number;
  readonly count: number;
}

export interface ImportanceOptions {
  readonly repeats: number;
  readonly seed: number;
  /** Sampled rows at most. */
  readonly maxRows: number;
  /** Bound on rows x features x repeats predicted: more features, fewer rows (never under `minRows`). */
  readonly budget: number;
  readonly minRows: number;
  readonly onFeature?: (done: number, total: number) => void;
}

export const IMPORTANCE_DEFAULTS: ImportanceOptions = { repeats: 3, seed: 0, maxRows: 10_000, budget: 600_000, minRows: 1_000 };

/**
 * Permutation importance of each input feature on labelled rows: the model's score (accuracy or
 * r2) on a seeded sample, minus its score with that feature's columns shuffled across the sample,
 * averaged over `repeats` shuffles. Shuffling a feature's columns together keeps a one-hot row one-hot.
 */
export function permutationImportance(
  model: TrainedModel,
  x: Matrix,
  targets: Targets,
  features: readonly FeatureColumns[],
  options: ImportanceOptions = IMPORTANCE_DEFAULTS,
): Omit<FeatureImportances, 'omitted'> {
  const { repeats, seed } = options;
  const perFeature = Math.max(1, features.length * repeats);
  const maxRows = Math.max(options.minRows, Math.min(options.maxRows, Math.floor(options.budget / perFeature)));
  const rows = sampleRows(x.rows, maxRows, seed);
  const sample = takeRows(x, rows);
  const score = scorer(model, targets, rows);
  const baseline = score(sample);
  const rng = createRng(seed + 1);
  const saved = new Float64Array(rows.length * Math.max(1, ...features.map((f) => f.count)));
  const order = new Int32Array(rows.length);
  const result: FeatureImportance[] = features.map((feature, done) => {
    options.onFeature?.(done, features.length);
    const drops: number[] = [];
    for (let r = 0; r < repeats; r++) {
      for (let i = 0; i < order.length; i++) order[i] = i;
      shuffle(order, rng);
      permuteColumns(sample, feature, order, saved);
      drops.push(baseline - score(sample));
      restoreColumns(sample, feature, saved);
    }
    const mean = drops.reduce((s, d) => s + d, 0) / repeats;
    const std = Math.sqrt(drops.reduce((s, d) => s + (d - mean) ** 2, 0) / repeats);
    return { feature: feature.name, mean, std };
  });
  result.sort((a, b) => b.mean - a.mean || a.feature.localeCompare(b.feature));
  return { method: 'permutation', scoring: targets.task === 'classification' ? 'accuracy' : 'r2', rows: rows.length, repeats, seed, baseline, features: result };
}

function takeRows(x: Matrix, rows: Int32Array): Matrix {
  const data = new Float64Array(rows.length * x.cols);
  for (let i = 0; i < rows.length; i++) data.set(x.data.subarray(rows[i] * x.cols, (rows[i] + 1) * x.cols), i * x.cols);
  return { rows: rows.length, cols: x.cols, data };
}

function scorer(model: TrainedModel, targets: Targets, rows: Int32Array): (x: Matrix) => number {
  if (targets.task === 'classification') {
    const y = Int32Array.from(rows, (r) => targets.y[r]);
    return (x) => {
      const predicted = model.predict(x);
      let correct = 0;
      for (let i = 0; i < y.length; i++) if (predicted[i] === y[i]) correct++;
      return correct / y.length;
    };
  }
  const y = Float64Array.from(rows, (r) => targets.y[r]);
  return (x) => regressionMetrics(y, model.predict(x) as Float64Array).r2;
}

/** Saves the feature's columns into `saved`, then writes row `order[i]`'s values into row i. */
function permuteColumns(x: Matrix, feature: FeatureColumns, order: Int32Array, saved: Float64Array): void {
  const { cols, data } = x;
  for (let i = 0; i < x.rows; i++) for (let c = 0; c < feature.count; c++) saved[i * feature.count + c] = data[i * cols + feature.start + c];
  for (let i = 0; i < x.rows; i++) for (let c = 0; c < feature.count; c++) data[i * cols + feature.start + c] = saved[order[i] * feature.count + c];
}

function restoreColumns(x: Matrix, feature: FeatureColumns, saved: Float64Array): void {
  const { cols, data } = x;
  for (let i = 0; i < x.rows; i++) for (let c = 0; c < feature.count; c++) data[i * cols + feature.start + c] = saved[i * feature.count + c];
}
