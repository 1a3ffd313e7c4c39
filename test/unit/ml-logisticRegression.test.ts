import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LogisticRegressionSchema } from '../../contract/params';
import { loadModel } from '../../ml/models';
import { trainLogisticRegression } from '../../ml/models/logisticRegression';
import { type SerializedModel } from '../../ml/models/types';
import { agreement, classification, clusters, matrix } from './ml-fixtures';

const params = (overrides: object = {}) => LogisticRegressionSchema.parse(overrides);

describe('logistic regression', () => {
  test('learns a linearly separable binary set perfectly', async () => {
    // Class 1 exactly when 2a - b > 1; no point lies within 0.25 of that line.
    const rows: number[][] = [];
    const y: number[] = [];
    for (let a = -3; a <= 3; a += 0.5) {
      for (let b = -3; b <= 3; b += 0.5) {
        const margin = 2 * a - b - 1;
        if (Math.abs(margin) < 0.25) continue;
        rows.push([a, b]);
        y.push(margin > 0 ? 1 : 0);
      }
    }
    const model = await trainLogisticRegression(params(), matrix(rows), classification(y, ['no', 'yes']));
    assert.deepEqual(Array.from(model.predict(matrix(rows))), y);
  });

  test('gets 100% on three separable clusters, with unscaled features', async () => {
    const { x, y } = clusters([[0, 0], [100, 0], [0, 100]], 60, 10, 11);
    const model = await trainLogisticRegression(params(), x, classification(y, ['a', 'b', 'c']));
    assert.equal(agreement(model.predict(x), y), 1);
    const proba = model.predictProba(x);
    for (let r = 0; r < x.rows; r++) assert.ok(Math.abs(proba[3 * r] + proba[3 * r + 1] + proba[3 * r + 2] - 1) < 1e-12);
  });

  test('the probability of a 50/50 feature value is one half', async () => {
    // Symmetric data: x = -1 is class 0 three times and class 1 once, x = 1 the other way round.
    const x = matrix([[-1], [-1], [-1], [-1], [1], [1], [1], [1]]);
    const model = await trainLogisticRegression(params({ maxIterations: 2000, tolerance: 1e-12, l2: 0 }), x, classification([0, 0, 0, 1, 1, 1, 1, 0], ['a', 'b']));
    const proba = model.predictProba(matrix([[-1], [0], [1]]));
    // The maximum-likelihood fit reproduces the observed frequencies 1/4, 1/2 and 3/4 of class b.
    assert.ok(Math.abs(proba[1] - 0.25) < 1e-4);
    assert.ok(Math.abs(proba[3] - 0.5) < 1e-9);
    assert.ok(Math.abs(proba[5] - 0.75) < 1e-4);
  });

  test('a stronger L2 penalty shrinks the coefficients', async () => {
    const { x, y } = clusters([[0, 0], [1, 1]], 50, 1, 12);
    const targets = classification(y, ['a', 'b']);
    const weak = await trainLogisticRegression(params({ l2: 0 }), x, targets);
    const strong = await trainLogisticRegression(params({ l2: 1 }), x, targets);
    const norm = (m: typeof weak) => (m.serialize().state as { coefficients: number[] }).coefficients.reduce((s, v) => s + v * v, 0);
    assert.ok(norm(strong) < norm(weak) / 2);
  });

  test('reports progress about every 10% of the iterations and at the end', async () => {
    const { x, y } = clusters([[0, 0], [1, 1]], 20, 1, 13);
    const calls: number[] = [];
    await trainLogisticRegression(params({ maxIterations: 50, tolerance: 1e-300 }), x, classification(y, ['a', 'b']), (done, total) => {
      assert.equal(total, 50);
      calls.push(done);
      return Promise.resolve();
    });
    assert.deepEqual(calls, [5, 10, 15, 20, 25, 30, 35, 40, 45, 50]);
  });

  test('predicts the same after serialize, JSON and loadModel', async () => {
    const { x, y } = clusters([[0, 0], [2, 2], [0, 2]], 30, 1, 14);
    const model = await trainLogisticRegression(params(), x, classification(y, ['a', 'b', 'c']));
    const restored = loadModel(JSON.parse(JSON.stringify(model.serialize())) as SerializedModel);
    assert.equal(restored.type, 'logistic_regression');
    assert.deepEqual(restored.predict(x), model.predict(x));
  });
});
