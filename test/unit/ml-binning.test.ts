import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { binMatrix, binOf, quantileThresholds } from '../../ml/models/binning';

describe('quantileThresholds', () => {
  test('cuts halfway between distinct values when they are few', () => {
    assert.deepEqual(Array.from(quantileThresholds(Float64Array.from([3, 1, 2, 2, 1, 3]), 255)), [1.5, 2.5]);
  });

  test('a constant feature has no cut', () => {
    assert.equal(quantileThresholds(new Float64Array(10).fill(7), 255).length, 0);
  });

  test('keeps at most maxBins bins of about equal size', () => {
    const values = Float64Array.from({ length: 1000 }, (_, i) => i);
    const edges = quantileThresholds(values, 4);
    assert.deepEqual(Array.from(edges), [249.5, 499.5, 749.5]);
  });

  test('ignores NaN', () => {
    assert.deepEqual(Array.from(quantileThresholds(Float64Array.from([NaN, 1, NaN, 2]), 255)), [1.5]);
  });

  test('rejects maxBins outside [2, 256]', () => {
    assert.throws(() => quantileThresholds(new Float64Array(3), 257), RangeError);
  });
});

describe('binOf', () => {
  test('a value equal to an edge falls in the bin below it, NaN in the last bin', () => {
    const edges = Float64Array.from([1.5, 2.5]);
    assert.deepEqual([0, 1.5, 2, 2.5, 9, NaN].map((v) => binOf(edges, v)), [0, 0, 1, 1, 2, 2]);
  });
});

describe('binMatrix', () => {
  test('stores bins column-major and keeps each feature its own edges', () => {
    // Rows (a, b): (1, 10), (2, 10), (3, 20).
    const binned = binMatrix({ rows: 3, cols: 2, data: Float64Array.from([1, 10, 2, 10, 3, 20]) }, 255);
    assert.deepEqual(Array.from(binned.bins), [0, 1, 2, 0, 0, 1]);
    assert.deepEqual(binned.thresholds.map((t) => Array.from(t)), [[1.5, 2.5], [15]]);
  });

  test('a value maps to the same bin through its raw threshold as through binOf', () => {
    const data = Float64Array.from({ length: 500 }, (_, i) => Math.sin(i) * 100);
    const binned = binMatrix({ rows: 500, cols: 1, data }, 16);
    for (let r = 0; r < 500; r++) {
      const b = binned.bins[r];
      const edges = binned.thresholds[0];
      assert.ok(b === edges.length || data[r] <= edges[b]);
      assert.ok(b === 0 || data[r] > edges[b - 1]);
    }
    assert.ok(binned.thresholds[0].length <= 15);
  });
});
