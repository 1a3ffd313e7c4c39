import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LogisticRegressionSchema, RandomForestClassifierSchema, parsePipelineParams } from '../../contract';
import { classificationMetrics } from '../../ml/metrics';
import { mergeForests, TrainingDataError, type Matrix } from '../../ml/models';
import { bootstrapDraw } from '../../ml/models/bootstrap';
import { classWeights } from '../../ml/models/classWeights';
import { trainLogisticRegression } from '../../ml/models/logisticRegression';
import { trainRandomForest } from '../../ml/models/randomForest';
import { createRng } from '../../ml/random';
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

describe('class weights in a tree without bootstrap (weighted Gini, weighted leaf shares)', () => {
  const oneSplit = (classWeight?: object) =>
    RandomForestClassifierSchema.parse({ nTrees: 1, maxDepth: 1, bootstrap: false, maxFeatures: 'all', ...(classWeight ? { classWeight } : {}) });
  // x = 1..5 with classes a b a b b. A split after the i-th value scores sum_c L_c^2 / |L| + sum_c R_c^2 / |R| (higher is better).
  const x = matrix([[1], [2], [3], [4], [5]]);
  const ababb = classification([0, 1, 0, 1, 1], ['a', 'b']);
  const proba = (model: { predictProba(m: Matrix): Float64Array }) => Array.from(model.predictProba(matrix([[1], [2], [3], [4], [5]])), (v) => Math.round(v * 1e12) / 1e12);

  test('unweighted: after 1: 1 + 10/4 = 3.5; after 2: 1 + 5/3; after 3: 5/3 + 2 = 11/3 (best); after 4: 3', async () => {
    const tree = await trainRandomForest('random_forest_classifier', oneSplit(), x, ababb);
    assert.equal(tree.trees[0].threshold[0], 3.5);
    assert.deepEqual(proba(tree), [2 / 3, 1 / 3, 2 / 3, 1 / 3, 2 / 3, 1 / 3, 0, 1, 0, 1].map((v) => Math.round(v * 1e12) / 1e12));
  });

  test('b weighs 3: after 1: 1 + (1 + 81)/10 = 9.2 (best); after 3: (4 + 9)/5 + 6 = 8.6; the right leaf is 1/10 a, 9/10 b', async () => {
    const tree = await trainRandomForest('random_forest_classifier', oneSplit({ b: 3 }), x, ababb);
    assert.equal(tree.trees[0].threshold[0], 1.5);
    assert.deepEqual(proba(tree), [1, 0, 0.1, 0.9, 0.1, 0.9, 0.1, 0.9, 0.1, 0.9]);
  });

  test('a weight of 2 grows the tree that every row of that class twice grows', async () => {
    // 200 rows: fewer distinct values than bins, so both bin every value alike.
    const { x: data, y } = imbalanced(200, 21);
    const params = RandomForestClassifierSchema.parse({ nTrees: 3, bootstrap: false, maxFeatures: 'all', seed: 5, classWeight: { rare: 2 } });
    const weighted = await trainRandomForest('random_forest_classifier', params, data, classification(y, ['common', 'rare']));
    const rows: number[][] = [];
    const twice: number[] = [];
    y.forEach((label, r) => {
      for (let copy = 0; copy < (label === 1 ? 2 : 1); copy++) {
        rows.push([data.data[2 * r], data.data[2 * r + 1]]);
        twice.push(label);
      }
    });
    const { classWeight: _, ...unweighted } = params;
    const repeated = await trainRandomForest('random_forest_classifier', unweighted, matrix(rows), classification(twice, ['common', 'rare']));
    assert.deepEqual(weighted.predictProba(test_.x), repeated.predictProba(test_.x));
  });
});

describe('class weights with bootstrap: rows drawn in proportion to their class weight (scikit-learn 1.9)', () => {
  // 900 rows of class 0, then 100 of class 1.
  const y = Int32Array.from({ length: 1000 }, (_, r) => (r < 900 ? 0 : 1));
  const drawMany = (draw: ReturnType<typeof bootstrapDraw>, trees: number) => {
    const counts = new Int32Array(y.length);
    const total = new Float64Array(y.length);
    for (let t = 0; t < trees; t++) {
      draw(createRng(t), counts);
      counts.forEach((c, r) => (total[r] += c));
    }
    return total;
  };
  const sum = (a: Float64Array, from = 0, to = a.length) => a.subarray(from, to).reduce((s, v) => s + v, 0);

  test('balanced weights (1000/1800, 1000/200) draw each class half the time, its rows alike', () => {
    const weights = classWeights('balanced', y, ['common', 'rare'])!;
    const total = drawMany(bootstrapDraw(y.length, undefined, undefined, { y, classWeight: weights }), 20);
    assert.equal(sum(total), 20 * 1000);
    const rareShare = sum(total, 900) / sum(total);
    assert.ok(Math.abs(rareShare - 0.5) < 0.02, `rare share ${rareShare}`);
    // 10,000 draws over 100 rare rows: about 100 each (standard deviation ~10).
    const rare = Array.from(total.subarray(900));
    assert.ok(Math.min(...rare) > 60 && Math.max(...rare) < 140, `rare rows drawn ${Math.min(...rare)} to ${Math.max(...rare)} times`);
  });

  test('a fractional maxSamples is a share of the total weight; only the pool rows are drawn', () => {
    // Weight 1 x 900 + 10 x 100 = 1900; a half is 950 draws, 10/19 of them rare.
    const draw = bootstrapDraw(y.length, undefined, 0.5, { y, classWeight: Float64Array.from([1, 10]) });
    const total = drawMany(draw, 20);
    assert.equal(sum(total), 20 * 950);
    assert.ok(Math.abs(sum(total, 900) / sum(total) - 10 / 19) < 0.02);
    const pool = Int32Array.from([0, 1, 2, 950, 951]);
    const fromPool = drawMany(bootstrapDraw(y.length, pool, undefined, { y, classWeight: Float64Array.from([1, 3]) }), 200);
    assert.deepEqual([...fromPool.keys()].filter((r) => fromPool[r] > 0), [0, 1, 2, 950, 951]);
    // Pool weight 3 x 1 + 2 x 3 = 9: the two class-1 rows take 6/9 of the draws.
    assert.ok(Math.abs(sum(fromPool, 900) / sum(fromPool) - 2 / 3) < 0.03);
  });

  test('a tree counts its draws, unweighted: on a constant feature its one leaf holds the draw shares, 1/2 each for weights 1 and 9', async () => {
    const constant = matrix(Array.from({ length: 1000 }, () => [0]));
    const rootLeaf = async (classWeight?: object) => {
      const params = RandomForestClassifierSchema.parse({ nTrees: 1, seed: 2, ...(classWeight ? { classWeight } : {}) });
      const forest = await trainRandomForest('random_forest_classifier', params, constant, classification(Array.from(y), ['a', 'b']));
      assert.equal(forest.trees[0].nodeCount, 1);
      return forest.trees[0].values[1];
    };
    // Unweighted: about 100 of the 1000 draws are b. Weighted: 900 x 1 against 100 x 9, so about half (weighing the draws again would give ~0.9).
    assert.ok(Math.abs((await rootLeaf()) - 0.1) < 0.03);
    assert.ok(Math.abs((await rootLeaf({ b: 9 })) - 0.5) < 0.05);
  });

  test('a weighted forest grown in shards is the one a single training grows', async () => {
    const params = RandomForestClassifierSchema.parse({ nTrees: 6, seed: 4, classWeight: 'balanced' });
    const whole = await trainRandomForest('random_forest_classifier', params, train.x, targets);
    const parts = await Promise.all([{ from: 0, to: 2 }, { from: 2, to: 6 }].map((range) => trainRandomForest('random_forest_classifier', params, train.x, targets, undefined, { range })));
    assert.deepEqual(mergeForests(parts).serialize(), whole.serialize());
  });

  test('equal weights weigh nothing: the forest is the unweighted one, draw for draw', async () => {
    const params = (classWeight?: object) => RandomForestClassifierSchema.parse({ nTrees: 5, seed: 9, ...(classWeight ? { classWeight } : {}) });
    const plain = await trainRandomForest('random_forest_classifier', params(), train.x, targets);
    const equal = await trainRandomForest('random_forest_classifier', params({ common: 4, rare: 4 }), train.x, targets);
    assert.deepEqual(equal.serialize(), plain.serialize());
  });
});
