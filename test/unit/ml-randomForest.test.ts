import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RandomForestClassifierSchema, RandomForestRegressorSchema } from '../../contract/params';
import { loadModel } from '../../ml/models';
import { samplesPerTree } from '../../ml/models/bootstrap';
import { featuresPerNode, mergeForests, trainRandomForest } from '../../ml/models/randomForest';
import { parsePipelineParams, shardRanges } from '../../contract';
import { type SerializedModel } from '../../ml/models/types';
import { agreement, classification, clusters, matrix, normals, regression } from './ml-fixtures';

const classifierParams = (overrides: object = {}) => RandomForestClassifierSchema.parse({ nTrees: 10, ...overrides });
const regressorParams = (overrides: object = {}) => RandomForestRegressorSchema.parse({ nTrees: 10, ...overrides });

/** Two noisy features; the class is whether a + b > 0, with a margin of 0.2 on each side. */
function separable(count: number, seed: number) {
  const noise = normals(2 * count * 2, seed);
  const rows: number[][] = [];
  const y: number[] = [];
  for (let i = 0; rows.length < count; i++) {
    const a = noise[2 * i];
    const b = noise[2 * i + 1];
    if (Math.abs(a + b) < 0.2) continue;
    rows.push([a, b]);
    y.push(a + b > 0 ? 1 : 0);
  }
  return { x: matrix(rows), y };
}

describe('featuresPerNode', () => {
  test('rounds down like scikit-learn and keeps at least one', () => {
    assert.equal(featuresPerNode('sqrt', 20), 4);
    assert.equal(featuresPerNode('log2', 20), 4);
    assert.equal(featuresPerNode('all', 20), 20);
    assert.equal(featuresPerNode(0.5, 5), 2);
    assert.equal(featuresPerNode(0.01, 5), 1);
  });
});

describe('forest shards', () => {
  test('shards grown separately and merged are the forest one training grows', async () => {
    const { x, y } = separable(500, 4);
    const targets = classification(y, ['neg', 'pos']);
    const params = classifierParams({ nTrees: 12, maxSamples: 0.5 });
    const whole = await trainRandomForest('random_forest_classifier', params, x, targets);
    const parts = await Promise.all(
      [
        { from: 0, to: 5 },
        { from: 5, to: 6 },
        { from: 6, to: 12 },
      ].map((range) => trainRandomForest('random_forest_classifier', params, x, targets, undefined, { range })),
    );
    assert.deepEqual(
      parts.map((p) => p.trees.length),
      [5, 1, 6],
    );
    const merged = mergeForests(parts);
    assert.deepEqual(merged.serialize(), whole.serialize());
    assert.deepEqual(merged.predict(x), whole.predict(x));
  });

  test('auto: one shard for small data, one per ~50 M row-trees for large; an explicit count covers every tree once', () => {
    const spec = (hyperparameters: object) => parsePipelineParams({ pipeline: 'p', dataset: { source: 'a.csv', target: 't' }, model: { type: 'random_forest_regressor', hyperparameters }, deploy: { metric: 'r2', threshold: 0 } }).model;
    assert.equal(shardRanges(spec({}), 120).length, 1);
    assert.equal(shardRanges(spec({ nTrees: 100 }), 2_400_000).length, 5);
    assert.deepEqual(shardRanges(spec({ nTrees: 10, shards: 3 }), 10), [
      { from: 0, to: 3 },
      { from: 3, to: 6 },
      { from: 6, to: 10 },
    ]);
    assert.equal(shardRanges(spec({ nTrees: 2, shards: 8 }), 10).length, 2, 'never more shards than trees');
    assert.equal(shardRanges(parsePipelineParams({ pipeline: 'p', dataset: { source: 'a.csv', target: 't' }, model: { type: 'linear_regression' }, deploy: { metric: 'r2', threshold: 0 } }).model, 1e9).length, 1);
  });

  test('shards of different forests do not merge', async () => {
    const { x, y } = separable(200, 5);
    const a = await trainRandomForest('random_forest_classifier', classifierParams({ nTrees: 2 }), x, classification(y, ['neg', 'pos']));
    const b = await trainRandomForest('random_forest_classifier', classifierParams({ nTrees: 2 }), x, classification(y, ['no', 'yes']));
    assert.throws(() => mergeForests([a, b]), { name: 'ModelFormatError' });
  });
});

describe('maxSamples', () => {
  test('a fraction of the rows (rounded, at least 1), a count, or all rows', () => {
    assert.equal(samplesPerTree(undefined, 1000), 1000);
    assert.equal(samplesPerTree(0.25, 1000), 250);
    assert.equal(samplesPerTree(1, 1000), 1000);
    assert.equal(samplesPerTree(0.0001, 1000), 1);
    assert.equal(samplesPerTree(300, 1000), 300);
  });

  test('a count above the training rows is bad input', () => {
    assert.throws(() => samplesPerTree(5000, 1000), { name: 'TrainingDataError', message: /maxSamples 5000 exceeds the 1000 training rows/ });
  });

  test('subsampled trees are grown on fewer rows and still learn', async () => {
    const { x, y } = separable(2000, 3);
    const targets = classification(y, ['neg', 'pos']);
    const full = await trainRandomForest('random_forest_classifier', classifierParams({ minSamplesLeaf: 1 }), x, targets);
    const sub = await trainRandomForest('random_forest_classifier', classifierParams({ maxSamples: 0.1 }), x, targets);
    const nodes = (m: typeof full) => m.trees.reduce((n, t) => n + t.nodeCount, 0);
    assert.ok(nodes(sub) < nodes(full) / 2, `subsampled forest has ${nodes(sub)} nodes, the full one ${nodes(full)}`);
    assert.ok(agreement(sub.predict(x), Int32Array.from(y)) > 0.9);
  });

  test('needs bootstrap, and names the field', () => {
    const parsed = RandomForestClassifierSchema.safeParse({ bootstrap: false, maxSamples: 0.5 });
    assert.equal(parsed.success, false);
    assert.deepEqual(parsed.error?.issues.map((i) => i.path.join('.')), ['maxSamples']);
    assert.equal(RandomForestRegressorSchema.safeParse({ maxSamples: 1.5 }).success, false, 'a count is an integer');
  });
});

describe('random forest classifier', () => {
  test('learns a linearly separable set perfectly', async () => {
    const { x, y } = separable(400, 1);
    const model = await trainRandomForest('random_forest_classifier', classifierParams(), x, classification(y, ['neg', 'pos']));
    assert.deepEqual(Array.from(model.predict(x)), y);
  });

  test('separates three clusters, with probabilities that sum to 1', async () => {
    const { x, y } = clusters([[0, 0], [5, 5], [0, 5]], 50, 0.5, 2);
    const model = await trainRandomForest('random_forest_classifier', classifierParams(), x, classification(y, ['a', 'b', 'c']));
    assert.equal(agreement(model.predict(x), y), 1);
    const proba = model.predictProba(x);
    for (let r = 0; r < x.rows; r++) assert.ok(Math.abs(proba[3 * r] + proba[3 * r + 1] + proba[3 * r + 2] - 1) < 1e-12);
  });

  test('the same seed gives identical predictions, another seed different ones', async () => {
    const { x, y } = clusters([[0, 0], [1, 1]], 100, 1, 3);
    const targets = classification(y, ['a', 'b']);
    const train = (seed: number) => trainRandomForest('random_forest_classifier', classifierParams({ seed }), x, targets);
    const [first, again, other] = await Promise.all([train(7), train(7), train(8)]);
    assert.deepEqual(first.predictProba(x), again.predictProba(x));
    assert.notDeepEqual(first.predictProba(x), other.predictProba(x));
  });

  test('calls onProgress once per tree, in order', async () => {
    const { x, y } = separable(50, 4);
    const calls: [number, number][] = [];
    await trainRandomForest('random_forest_classifier', classifierParams({ nTrees: 7 }), x, classification(y, ['a', 'b']), async (done, total) => {
      calls.push([done, total]);
      await Promise.resolve();
    });
    assert.deepEqual(calls, [1, 2, 3, 4, 5, 6, 7].map((d) => [d, 7]));
  });

  test('maxDepth 1 grows stumps', async () => {
    const { x, y } = clusters([[0, 0], [3, 3], [0, 3]], 30, 1, 5);
    const model = await trainRandomForest('random_forest_classifier', classifierParams({ maxDepth: 1 }), x, classification(y, ['a', 'b', 'c']));
    for (const tree of model.trees) assert.equal(tree.nodeCount, 3);
  });

  test('minSamplesLeaf bounds the in-bag rows of every leaf', async () => {
    // Without bootstrap every row is in the bag once, so leaf sizes can be counted on the training rows.
    const { x, y } = clusters([[0, 0], [1, 1]], 100, 1, 6);
    const params = classifierParams({ minSamplesLeaf: 10, bootstrap: false, nTrees: 3 });
    const model = await trainRandomForest('random_forest_classifier', params, x, classification(y, ['a', 'b']));
    for (const tree of model.trees) {
      const rowsPerLeaf = new Map<number, number>();
      for (let r = 0; r < x.rows; r++) {
        let node = 0;
        while (tree.feature[node] >= 0) node = x.data[r * 2 + tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
        rowsPerLeaf.set(node, (rowsPerLeaf.get(node) ?? 0) + 1);
      }
      assert.ok(Math.min(...rowsPerLeaf.values()) >= 10);
    }
  });

  test('predicts the same after serialize, JSON and loadModel', async () => {
    const { x, y } = clusters([[0, 0], [2, 2], [0, 2]], 40, 1, 7);
    const model = await trainRandomForest('random_forest_classifier', classifierParams(), x, classification(y, ['a', 'b', 'c']));
    const restored = loadModel(JSON.parse(JSON.stringify(model.serialize())) as SerializedModel);
    assert.equal(restored.type, 'random_forest_classifier');
    assert.deepEqual(restored.predict(x), model.predict(x));
  });
});

describe('random forest regressor', () => {
  test('fits a step function', async () => {
    const xs = Array.from({ length: 200 }, (_, i) => i / 10);
    const step = (v: number) => (v < 5 ? 1 : v < 12 ? 4 : -2);
    const model = await trainRandomForest('random_forest_regressor', regressorParams(), matrix(xs.map((v) => [v])), regression(xs.map(step)));
    assert.deepEqual(Array.from(model.predict(matrix([[0], [4.5], [5.5], [11.5], [12.5], [19]]))), [1, 1, 4, 4, -2, -2]);
  });

  test('predicts leaf means: a stump on two groups gives their means', async () => {
    const x = matrix([[0], [0], [1], [1]]);
    const model = await trainRandomForest('random_forest_regressor', regressorParams({ nTrees: 1, bootstrap: false }), x, regression([1, 3, 10, 20]));
    assert.deepEqual(Array.from(model.predict(x)), [2, 2, 15, 15]);
  });

  test('predicts the same after serialize, JSON and loadModel', async () => {
    const noise = normals(300, 8);
    const x = matrix(noise.slice(0, 150).map((v, i) => [v, noise[150 + i]]));
    const y = noise.slice(0, 150).map((v, i) => v * 2 + noise[150 + i]);
    const model = await trainRandomForest('random_forest_regressor', regressorParams(), x, regression(y));
    const restored = loadModel(JSON.parse(JSON.stringify(model.serialize())) as SerializedModel);
    assert.deepEqual(restored.predict(x), model.predict(x));
  });
});
