import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LogisticRegressionSchema, RandomForestClassifierSchema, parsePipelineParams } from '../../contract';
import { classificationMetrics } from '../../ml/metrics';
import { TrainingDataError, type Matrix } from '../../ml/models';
import { classWeights } from '../../ml/models/classWeights';
import { trainLogisticRegression } from '../../ml/models/logisticRegression';
import { trainRandomForest } from '../../ml/models/randomForest';
import { classification, matrix, normals } from './ml-fixtures';

/**
 * A seeded 95/5 set: the majority class around (0, 0), the minority around (1.5, 1.5), both with
 * unit noise, so the classes overlap and an unweighted model mostly predicts the majority.
 */
function imbalanced(count: number, seed: number): { x: Matrix; y: number[] } {
  const noise = normals(2 * count, seed);
  const rows: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < count; i++) {
    const minority = i % 20 === 0;
    const shift = minority ? 1.5 : 0;
    rows.push([shift + noise[2 * i], shift + noise[2 * i + 1]]);
    y.push(minority ? 1 : 0);
  }
  return { x: matrix(rows), y };
}

const train = imbalanced(2000, 11);
const test_ = imbalanced(2000, 12);
const targets = classification(train.y, ['common', 'rare']);
const yTest = Int32Array.from(test_.y);
const minorityRecall = (predicted: Int32Array | Float64Array) => classificationMetrics(yTest, predicted as Int32Array, ['common', 'rare']).perClass[1].recall;
// Balanced by hand: n / (n_classes * count) with 1900 common and 100 rare rows.
const byHand = { common: 2000 / (2 * 1900), rare: 2000 / (2 * 100) };

describe('classWeights', () => {
  test("balanced is scikit-learn's n_samples / (n_classes * count), over the classes present", () => {
    // 3 a, 1 b, no c: a 4 / (2 * 3), b 4 / (2 * 1), c keeps 1.
    assert.deepEqual(Array.from(classWeights('balanced', Int32Array.from([0, 0, 0, 1]), ['a', 'b', 'c'])!), [2 / 3, 2, 1]);
  });

  test('an explicit map weighs the classes it names, the others 1; none means unweighted', () => {
    assert.deepEqual(Array.from(classWeights({ b: 5 }, Int32Array.from([0, 1]), ['a', 'b'])!), [1, 5]);
    assert.equal(classWeights(undefined, Int32Array.from([0, 1]), ['a', 'b']), undefined);
  });

  test('unknown class names are a TrainingDataError naming them and the field', () => {
    assert.throws(
      () => classWeights({ rare: 2, sunny: 3, Rain: 1 }, Int32Array.from([0, 1]), ['common', 'rare']),
      (e: unknown) => e instanceof TrainingDataError && /^hyperparameters\.classWeight names classes the target does not have: "sunny", "Rain" \(its classes: "common", "rare"\)$/.test(e.message),
    );
  });

  test('the schema takes "balanced" or a map of positive weights, per model type', () => {
    assert.equal(RandomForestClassifierSchema.parse({ classWeight: 'balanced' }).classWeight, 'balanced');
    assert.deepEqual(LogisticRegressionSchema.parse({ classWeight: { rare: 10 } }).classWeight, { rare: 10 });
    assert.equal(RandomForestClassifierSchema.parse({}).classWeight, undefined);
    for (const bad of ['auto', { rare: 0 }, { rare: -1 }, {}]) assert.equal(LogisticRegressionSchema.safeParse({ classWeight: bad }).success, false, JSON.stringify(bad));
    const base = { pipeline: 'p', dataset: { source: 'x.csv', target: 'y' }, deploy: { metric: 'r2', threshold: 0.5 } };
    assert.throws(() => parsePipelineParams({ ...base, model: { type: 'random_forest_regressor', hyperparameters: { classWeight: 'balanced' } } }), /classWeight/);
  });
});

describe('class weights in training (95/5 set)', () => {
  test('a balanced forest finds more of the minority class than an unweighted one; explicit balanced numbers grow the same forest', async () => {
    const params = (classWeight?: object | string) => RandomForestClassifierSchema.parse({ nTrees: 20, minSamplesLeaf: 20, seed: 3, ...(classWeight ? { classWeight } : {}) });
    const plain = await trainRandomForest('random_forest_classifier', params(), train.x, targets);
    const balanced = await trainRandomForest('random_forest_classifier', params('balanced'), train.x, targets);
    const explicit = await trainRandomForest('random_forest_classifier', params(byHand), train.x, targets);
    const before = minorityRecall(plain.predict(test_.x));
    const after = minorityRecall(balanced.predict(test_.x));
    assert.ok(after > before + 0.3, `minority recall ${before} unweighted, ${after} balanced`);
    assert.deepEqual(explicit.predictProba(test_.x), balanced.predictProba(test_.x));
  });

  test('a balanced logistic regression finds more of the minority class; explicit balanced numbers fit the same model', async () => {
    const params = (classWeight?: object | string) => LogisticRegressionSchema.parse({ ...(classWeight ? { classWeight } : {}) });
    const plain = await trainLogisticRegression(params(), train.x, targets);
    const balanced = await trainLogisticRegression(params('balanced'), train.x, targets);
    const explicit = await trainLogisticRegression(params(byHand), train.x, targets);
    const before = minorityRecall(plain.predict(test_.x));
    const after = minorityRecall(balanced.predict(test_.x));
    assert.ok(after > before + 0.3, `minority recall ${before} unweighted, ${after} balanced`);
    assert.deepEqual(explicit.serialize(), balanced.serialize());
  });

  test('unknown class names fail the training, naming them', async () => {
    await assert.rejects(
      trainRandomForest('random_forest_classifier', RandomForestClassifierSchema.parse({ nTrees: 1, classWeight: { snow: 2 } }), train.x, targets),
      /hyperparameters\.classWeight names classes the target does not have: "snow"/,
    );
    await assert.rejects(trainLogisticRegression(LogisticRegressionSchema.parse({ classWeight: { snow: 2 } }), train.x, targets), TrainingDataError);
  });
});
