import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { classificationMetrics, regressionMetrics } from '../../ml/metrics';

function close(actual: number, expected: number): void {
  assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} is not ${expected}`);
}

describe('classificationMetrics', () => {
  // yTrue = a a a b b c, yPred = a a b b c c.
  // Confusion (rows true, cols predicted): a [2 1 0], b [0 1 1], c [0 0 1]; 4 of 6 right.
  // a: precision 2/2 = 1, recall 2/3, f1 = 2 * 1 * 2/3 / (1 + 2/3) = 0.8, support 3
  // b: precision 1/2, recall 1/2, f1 0.5, support 2
  // c: precision 1/2, recall 1/1, f1 = 2 * 0.5 / 1.5 = 2/3, support 1
  // macro: precision (1 + 0.5 + 0.5) / 3 = 2/3, recall (2/3 + 1/2 + 1) / 3 = 13/18, f1 (0.8 + 0.5 + 2/3) / 3 = 59/90
  const yTrue = Int32Array.from([0, 0, 0, 1, 1, 2]);
  const yPred = Int32Array.from([0, 0, 1, 1, 2, 2]);

  test('match the hand-computed values', () => {
    const m = classificationMetrics(yTrue, yPred, ['a', 'b', 'c']);
    close(m.accuracy, 2 / 3);
    close(m.precision_macro, 2 / 3);
    close(m.recall_macro, 13 / 18);
    close(m.f1_macro, 59 / 90);
    assert.deepEqual(m.confusionMatrix, [
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    assert.deepEqual(m.perClass.map((c) => [c.label, c.support]), [['a', 3], ['b', 2], ['c', 1]]);
    close(m.perClass[0].f1, 0.8);
    close(m.perClass[2].f1, 2 / 3);
  });

  test('a class never true nor predicted scores 0 and counts in the macro means (zero_division=0)', () => {
    const m = classificationMetrics(yTrue, yPred, ['a', 'b', 'c', 'd']);
    assert.deepEqual(m.perClass[3], { label: 'd', precision: 0, recall: 0, f1: 0, support: 0 });
    close(m.precision_macro, 2 / 4);
    close(m.recall_macro, (13 / 6) / 4);
  });

  test('rejects arrays of different lengths', () => {
    assert.throws(() => classificationMetrics(yTrue, yPred.subarray(1), ['a', 'b', 'c']), RangeError);
  });
});

describe('regressionMetrics', () => {
  test('match the hand-computed values', () => {
    // Errors 0, -1, 1, 0: mse 2/4, mae 2/4; mean 2.5, total sum of squares 2.25 + 0.25 + 0.25 + 2.25 = 5, r2 = 1 - 2/5.
    const m = regressionMetrics(Float64Array.from([1, 2, 3, 4]), Float64Array.from([1, 3, 2, 4]));
    close(m.mse, 0.5);
    close(m.rmse, Math.sqrt(0.5));
    close(m.mae, 0.5);
    close(m.r2, 0.6);
  });

  test('r2 of constant targets is 1 when predicted exactly, else 0', () => {
    assert.equal(regressionMetrics(Float64Array.from([2, 2]), Float64Array.from([2, 2])).r2, 1);
    assert.equal(regressionMetrics(Float64Array.from([2, 2]), Float64Array.from([2, 3])).r2, 0);
  });
});
