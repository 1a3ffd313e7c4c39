import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LinearRegressionSchema } from '../../contract/params';
import { loadModel } from '../../ml/models';
import { choleskySolve } from '../../ml/models/cholesky';
import { trainLinearRegression } from '../../ml/models/linearRegression';
import { type SerializedModel } from '../../ml/models/types';
import { matrix, normals, regression } from './ml-fixtures';

const params = (overrides: object = {}) => LinearRegressionSchema.parse(overrides);

function close(actual: number, expected: number, tolerance: number): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);
}

describe('choleskySolve', () => {
  test('solves a 2 x 2 system and refuses a singular one', () => {
    // [4 2; 2 3] s = [10; 8] has s = (1.75, 1.5): 4 * 1.75 + 2 * 1.5 = 10, 2 * 1.75 + 3 * 1.5 = 8.
    const solution = choleskySolve(Float64Array.from([4, 2, 2, 3]), Float64Array.from([10, 8]), 2);
    assert.ok(solution);
    close(solution[0], 1.75, 1e-12);
    close(solution[1], 1.5, 1e-12);
    assert.equal(choleskySolve(Float64Array.from([1, 2, 2, 4]), Float64Array.from([1, 2]), 2), undefined);
  });
});

describe('linear regression', () => {
  const a = normals(200, 21).map((v) => 3 * v + 1);
  const b = normals(200, 22).map((v) => v - 2);
  const x = matrix(a.map((v, i) => [v, b[i]]));

  test('recovers y = 3 + 2a - 5b exactly', async () => {
    const model = await trainLinearRegression(params(), x, regression(a.map((v, i) => 3 + 2 * v - 5 * b[i])));
    close(model.intercept, 3, 1e-9);
    close(model.coefficients[0], 2, 1e-9);
    close(model.coefficients[1], -5, 1e-9);
  });

  test('recovers the coefficients closely under noise', async () => {
    const noise = normals(200, 23);
    const model = await trainLinearRegression(params(), x, regression(a.map((v, i) => 3 + 2 * v - 5 * b[i] + 0.1 * noise[i])));
    close(model.intercept, 3, 0.05);
    close(model.coefficients[0], 2, 0.02);
    close(model.coefficients[1], -5, 0.02);
  });

  test('a ridge penalty shrinks the coefficients but not the intercept', async () => {
    // One centred feature (mean 0, sum of squares 2): the ridge slope is 2 * 2 / (2 + l2) = 2 for l2 = 0, 1 for l2 = 2.
    const xs = matrix([[-1], [0], [1]]);
    const ys = regression([8, 10, 12]);
    const plain = await trainLinearRegression(params(), xs, ys);
    const ridge = await trainLinearRegression(params({ l2: 2 }), xs, ys);
    close(plain.coefficients[0], 2, 1e-12);
    close(ridge.coefficients[0], 1, 1e-12);
    close(ridge.intercept, 10, 1e-12);
  });

  test('survives duplicated and constant columns', async () => {
    const withCopies = matrix(a.map((v, i) => [v, b[i], v, 7]));
    const y = a.map((v, i) => 3 + 2 * v - 5 * b[i]);
    const model = await trainLinearRegression(params(), withCopies, regression(y));
    // The two copies of a share its coefficient; the constant column gets none.
    close(model.coefficients[0] + model.coefficients[2], 2, 1e-6);
    assert.equal(model.coefficients[3], 0);
    const predicted = model.predict(withCopies);
    y.forEach((v, i) => close(predicted[i], v, 1e-6));
  });

  test('predicts the same after serialize, JSON and loadModel', async () => {
    const model = await trainLinearRegression(params(), x, regression(a.map((v, i) => v * b[i])));
    const restored = loadModel(JSON.parse(JSON.stringify(model.serialize())) as SerializedModel);
    assert.equal(restored.type, 'linear_regression');
    assert.deepEqual(restored.predict(x), model.predict(x));
  });
});
