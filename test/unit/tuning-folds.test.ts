import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvalidParamsError, ModelSchema, type ModelSpec } from '../../contract';
import { trainModel } from '../../ml/models';
import { binMatrix } from '../../ml/models/binning';
import { crossValidate, scoreOf } from '../../ml/tuning/crossValidate';
import { foldOfRows, foldRows } from '../../ml/tuning/folds';
import { denseRows, targetRows } from '../../ml/tuning/rowViews';
import { classification, clusters, regression } from './ml-fixtures';

const forest = (hyperparameters: Record<string, unknown>): ModelSpec =>
  ModelSchema.parse({ type: 'random_forest_classifier', hyperparameters: { nTrees: 10, seed: 1, ...hyperparameters } });
const repeat = (n: number, value: number): number[] => new Array<number>(n).fill(value);

describe('k-fold assignment', () => {
  test('stratified: every fold holds each class within one row of its share, folds differ by one row at most', () => {
    // 3 classes of 50, 30 and 7 rows, in 5 folds.
    const y = [...repeat(50, 0), ...repeat(30, 1), ...repeat(7, 2)];
    const targets = classification(y, ['a', 'b', 'c']);
    const foldOf = foldOfRows(targets, 5, 42);
    const sizes = [0, 0, 0, 0, 0];
    for (let f = 0; f < 5; f++) {
      const { train, validation } = foldRows(foldOf, f);
      assert.equal(train.length + validation.length, y.length);
      sizes[f] = validation.length;
      const perClass = [0, 1, 2].map((c) => validation.filter((r) => y[r] === c).length);
      assert.deepEqual(perClass.slice(0, 2), [10, 6]);
      assert.ok(perClass[2] === 1 || perClass[2] === 2, `class c in fold ${f}: ${perClass[2]}`);
    }
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, String(sizes));
    // Every row validates exactly once; the same seed deals the same folds.
    assert.deepEqual(foldOfRows(targets, 5, 42), foldOf);
    assert.notDeepEqual(foldOfRows(targets, 5, 43), foldOf);
  });

  test('regression: shuffled, sizes differ by one at most', () => {
    const foldOf = foldOfRows(regression(Array.from({ length: 23 }, (_, i) => i)), 4, 1);
    const sizes = [0, 1, 2, 3].map((f) => foldRows(foldOf, f).validation.length);
    assert.deepEqual(sizes, [6, 6, 6, 5]);
  });

  test('more folds than rows of the smallest class (or than rows) is InvalidParams naming tuning.folds', () => {
    const y = [...repeat(20, 0), 1, 1, 1];
    assert.throws(() => foldOfRows(classification(y, ['big', 'small']), 5, 1), (e: unknown) => {
      assert.ok(e instanceof InvalidParamsError);
      assert.equal(e.issues[0].field, 'tuning.folds');
      assert.match(e.message, /class "small" has 3/);
      return true;
    });
    assert.throws(() => foldOfRows(regression([1, 2, 3]), 5, 1), /5 folds need at least 5 training rows, and there are 3/);
  });
});

describe('cross-validation', () => {
  const { x, y } = clusters([[0, 0], [3, 3], [0, 4]], 60, 1.2, 5);
  const targets = classification(y, ['a', 'b', 'c']);

  test('a forest trained on a fold by weights is the forest trained on a copy of the fold rows', async () => {
    const binned = binMatrix(x, 255);
    const { train, validation } = foldRows(foldOfRows(targets, 3, 9), 0);
    const spec = forest({ bootstrap: false, maxFeatures: 'all' });
    const byWeight = await trainModel(spec, binned, targets, undefined, { rows: train });
    // The fold's rows copied out, on the same bin edges.
    const bins = new Uint8Array(train.length * binned.cols);
    for (let f = 0; f < binned.cols; f++) train.forEach((r, i) => (bins[f * train.length + i] = binned.bins[f * binned.rows + r]));
    const copied = await trainModel(spec, { rows: train.length, cols: binned.cols, bins, thresholds: binned.thresholds }, targetRows(targets, train));
    const held = denseRows(binned, validation);
    assert.deepEqual(byWeight.predict(held), copied.predict(held));
  });

  test('fold scores, mean and std; a better model scores better, a worse one worse', async () => {
    const binned = binMatrix(x, 255);
    const cv = { folds: 4, seed: 3, metric: 'accuracy' as const };
    const good = await crossValidate(forest({ maxDepth: 6 }), binned, targets, cv);
    assert.equal(good.foldScores.length, 4);
    assert.ok(Math.abs(good.mean - good.foldScores.reduce((a, b) => a + b) / 4) < 1e-12);
    assert.ok(good.std >= 0 && good.std < 0.2);
    const stump = await crossValidate(forest({ maxDepth: 1, nTrees: 1, bootstrap: false, maxFeatures: 'all' }), binned, targets, cv);
    assert.ok(good.mean > stump.mean + 0.1, `${good.mean} vs ${stump.mean}`);
    // A linear model on dense features gets its folds' rows.
    const logistic = await crossValidate({ type: 'logistic_regression', hyperparameters: { l2: 1e-4, learningRate: 0.5, maxIterations: 200, tolerance: 1e-6 } }, x, targets, cv);
    assert.ok(logistic.mean > 0.8, String(logistic.mean));
  });

  test('errors are minimised metrics: the score is the metric as evaluate computes it', async () => {
    // The target is the first feature: a linear model fits it exactly.
    const target = regression(Array.from({ length: x.rows }, (_, r) => x.data[r * x.cols]));
    const model = await trainModel({ type: 'linear_regression', hyperparameters: { l2: 0 } }, x, target);
    const rows = Int32Array.from({ length: 10 }, (_, i) => i);
    const mse = scoreOf(model, denseRows(x, rows), targetRows(target, rows), 'mse');
    assert.ok(mse < 1e-12, String(mse));
  });
});
