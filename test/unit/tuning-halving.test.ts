import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { floorLog, halvingProblem, halvingSchedule, type HalvingInput } from '../../contract';
import { createRng } from '../../ml/random';
import { type Targets } from '../../ml/models/types';
import { crossValidate } from '../../ml/tuning/crossValidate';
import { subsampleRows } from '../../ml/tuning/subsample';

const schedule = (input: HalvingInput) => {
  const plan = halvingSchedule(input);
  return { min: plan.minResource, candidates: plan.rungs.map((r) => r.candidates), resources: plan.rungs.map((r) => r.resource) };
};

describe('successive halving: the rung schedule', () => {
  // Each expectation is scikit-learn 1.x's HalvingRandomSearchCV (min_resources_, n_candidates_, n_resources_) on the same sizes.
  test('the "exhaust" default minResource, as scikit-learn plans it', () => {
    assert.deepEqual(schedule({ candidates: 20, eta: 3, maxResource: 80_000, folds: 3, classes: 2 }), { min: 8888, candidates: [20, 7, 3], resources: [8888, 26664, 79992] });
    assert.deepEqual(schedule({ candidates: 60, eta: 3, maxResource: 80_000, folds: 3, classes: 2 }), { min: 2962, candidates: [60, 20, 7, 3], resources: [2962, 8886, 26658, 79974] });
    assert.deepEqual(schedule({ candidates: 20, eta: 2, maxResource: 1000, folds: 5, classes: 0 }), { min: 62, candidates: [20, 10, 5, 3, 2], resources: [62, 124, 248, 496, 992] });
    assert.deepEqual(schedule({ candidates: 500, eta: 4, maxResource: 100_000, folds: 5, classes: 0 }), { min: 390, candidates: [500, 125, 32, 8, 2], resources: [390, 1560, 6240, 24960, 99840] });
  });

  test('too few rows for every rung: the smallest resource (2 x folds x classes) first, and fewer rungs', () => {
    // iris-sized: 105 rows, 3 classes: 18 rows first; 54 x 3 = 162 > 105, so two rungs and 4 candidates left.
    assert.deepEqual(schedule({ candidates: 10, eta: 3, maxResource: 105, folds: 3, classes: 3 }), { min: 18, candidates: [10, 4], resources: [18, 54] });
    assert.deepEqual(schedule({ candidates: 81, eta: 3, maxResource: 300, folds: 5, classes: 2 }), { min: 20, candidates: [81, 27, 9], resources: [20, 60, 180] });
    assert.deepEqual(schedule({ candidates: 20, eta: 3, maxResource: 50, folds: 5, classes: 0 }), { min: 10, candidates: [20, 7], resources: [10, 30] });
    // Fewer rows than the smallest resource: one rung, every candidate on the whole split (a random search).
    assert.deepEqual(schedule({ candidates: 8, eta: 3, maxResource: 40, folds: 5, classes: 5 }), { min: 40, candidates: [8], resources: [40] });
  });

  test('a minResource set by the params', () => {
    assert.deepEqual(schedule({ candidates: 20, eta: 3, maxResource: 80_000, minResource: 1000, folds: 3, classes: 2 }), { min: 1000, candidates: [20, 7, 3], resources: [1000, 3000, 9000] });
    assert.deepEqual(schedule({ candidates: 9, eta: 3, maxResource: 1000, minResource: 400, folds: 3, classes: 2 }), { min: 400, candidates: [9], resources: [400] });
    // floor(1000 / 300) = 3 rows-fold holds one doubling: two rungs, 2 candidates left.
    assert.deepEqual(schedule({ candidates: 4, eta: 2, maxResource: 1000, minResource: 300, folds: 3, classes: 0 }), { min: 300, candidates: [4, 2], resources: [300, 600] });
    assert.deepEqual(schedule({ candidates: 4, eta: 2, maxResource: 1200, minResource: 300, folds: 3, classes: 0 }), { min: 300, candidates: [4, 2, 1], resources: [300, 600, 1200] });
  });

  test('rungs counted in integers: an exact power of eta is one more rung (where a float logarithm misses it)', () => {
    assert.equal(floorLog(243, 3), 5);
    assert.equal(floorLog(242, 3), 4);
    assert.equal(floorLog(2, 3), 0);
    assert.equal(floorLog(1024, 2), 10);
    // scikit-learn's log(243, 3) is 4.999..., and it stops at 3 candidates; this schedule goes on to the 1 best.
    assert.deepEqual(schedule({ candidates: 243, eta: 3, maxResource: 1000, folds: 2, classes: 0 }), { min: 4, candidates: [243, 81, 27, 9, 3, 1], resources: [4, 12, 36, 108, 324, 972] });
  });

  test('a minResource the data cannot meet is named', () => {
    const base = { candidates: 10, eta: 3, maxResource: 105, folds: 3, classes: 3 };
    assert.equal(halvingProblem(base), undefined);
    assert.equal(halvingProblem({ ...base, minResource: 9 }), undefined);
    assert.match(halvingProblem({ ...base, minResource: 106 })!, /minResource 106 is more than the 105 training rows/);
    assert.match(halvingProblem({ ...base, minResource: 8 })!, /minResource 8 cannot hold 3 folds with each of the 3 classes in every fold: use at least 9/);
    assert.match(halvingProblem({ ...base, classes: 0, minResource: 5 })!, /use at least 6/);
  });
});

describe('successive halving: the rung sample', () => {
  const targets: Targets = { task: 'classification', classes: ['a', 'b', 'c'], y: Int32Array.from({ length: 1000 }, (_, i) => (i < 900 ? 0 : i < 990 ? 1 : 2)) };
  const perClass = (rows: Int32Array) => [0, 1, 2].map((c) => rows.filter((r) => targets.y[r] === c).length);

  test('stratified: each class keeps at least a fold\'s worth, the rest in proportion; seeded and nested', () => {
    const small = subsampleRows(targets, 100, 5, 7);
    assert.equal(small.length, 100);
    // 5 + 5 + 5 reserved; 85 shared over 895 : 85 : 5 spare rows is 77.2 : 7.3 : 0.4, the 1 left to the largest remainder.
    assert.deepEqual(perClass(small), [5 + 77, 5 + 7, 5 + 1]);
    assert.ok(small.every((r, i) => i === 0 || r > small[i - 1]), 'ascending, no repeats');
    assert.deepEqual(subsampleRows(targets, 100, 5, 7), small, 'the seed alone decides');
    assert.notDeepEqual(subsampleRows(targets, 100, 5, 8), small);
    const bigger = new Set(subsampleRows(targets, 300, 5, 7));
    assert.ok(small.every((r) => bigger.has(r)), 'a bigger rung holds the smaller one\'s rows');
    assert.equal(subsampleRows(targets, 1000, 5, 7).length, 1000);
  });

  test('regression: a seeded uniform sample', () => {
    const y: Targets = { task: 'regression', y: Float64Array.from({ length: 500 }, (_, i) => i) };
    const rows = subsampleRows(y, 50, 5, 3);
    assert.equal(new Set(rows).size, 50);
    assert.ok(rows.every((r) => r >= 0 && r < 500));
  });

  test('cross-validation on a rung\'s rows scores only those rows', async () => {
    // One feature: the class plus seeded noise, so folds score below 1 and differ with their rows.
    const n = 1200;
    const rng = createRng(5);
    const y: Targets = { task: 'classification', classes: ['0', '1'], y: Int32Array.from({ length: n }, (_, i) => i % 2) };
    const x = { rows: n, cols: 1, data: Float64Array.from(y.y, (c) => c + 1.5 * (rng.next() - 0.5) * 2) };
    const spec = { type: 'logistic_regression', hyperparameters: { l2: 1e-4, learningRate: 0.5, maxIterations: 200, tolerance: 1e-6 } } as const;
    const cv = { folds: 3, seed: 1, metric: 'accuracy' } as const;
    const whole = await crossValidate(spec, x, y, cv);
    const part = await crossValidate(spec, x, y, { ...cv, rows: 60 });
    assert.equal(part.foldScores.length, 3);
    assert.ok(whole.mean > 0.6 && part.mean > 0.5, `${whole.mean} ${part.mean}`);
    assert.notDeepEqual(part.foldScores, whole.foldScores);
    // 60 rows in 3 folds: each validation fold scores 20 rows, so every score is a multiple of 1/20.
    assert.ok(part.foldScores.every((s) => Math.abs(s * 20 - Math.round(s * 20)) < 1e-9), JSON.stringify(part.foldScores));
    assert.deepEqual(await crossValidate(spec, x, y, { ...cv, rows: 60 }), part);
    assert.deepEqual(await crossValidate(spec, x, y, { ...cv, rows: n }), whole, 'the whole split: the plain cross-validation');
  });
});
