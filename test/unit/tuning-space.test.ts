import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { drawValue, gridValues, plannedTrials, searchConfigurations, trialHyperparameters, TuningSchema, type TuningSpec } from '../../contract';
import { createRng } from '../../ml/random';

const spec = (input: unknown): TuningSpec => TuningSchema.parse(input);

describe('search space: grid', () => {
  test('a grid is every combination, the last hyperparameter varying fastest', () => {
    const configs = searchConfigurations(spec({ strategy: 'grid', space: { maxDepth: { type: 'choice', values: [2, null] }, bootstrap: { type: 'choice', values: [true, false] } } }));
    assert.deepEqual(configs, [
      { maxDepth: 2, bootstrap: true },
      { maxDepth: 2, bootstrap: false },
      { maxDepth: null, bootstrap: true },
      { maxDepth: null, bootstrap: false },
    ]);
  });

  test('ranges on a grid: evenly spaced, geometric on a log scale, integers rounded without repeats', () => {
    assert.deepEqual(gridValues({ type: 'float', low: 0, high: 1, log: false }), [0, 0.25, 0.5, 0.75, 1]);
    assert.deepEqual(gridValues({ type: 'float', low: 1e-4, high: 1, log: true, gridPoints: 5 }), [0.0001, 0.001, 0.01, 0.1, 1]);
    assert.deepEqual(gridValues({ type: 'int', low: 1, high: 3, log: false, gridPoints: 6 }), [1, 2, 3]);
    assert.deepEqual(gridValues({ type: 'int', low: 1, high: 1000, log: true, gridPoints: 4 }), [1, 10, 100, 1000]);
  });
});

describe('search space: random', () => {
  test('the same seed draws the same configurations; another seed others', () => {
    const space = { nTrees: { type: 'int', low: 10, high: 500 }, l2: { type: 'float', low: 1e-6, high: 1, log: true } };
    const a = searchConfigurations(spec({ space, trials: 30, seed: 7 }));
    assert.equal(a.length, 30);
    assert.deepEqual(searchConfigurations(spec({ space, trials: 30, seed: 7 })), a);
    assert.notDeepEqual(searchConfigurations(spec({ space, trials: 30, seed: 8 })), a);
  });

  test('draws stay in range; a log scale spreads draws over the decades', () => {
    const rng = createRng(3);
    const ints = Array.from({ length: 5000 }, () => drawValue({ type: 'int', low: 2, high: 5, log: false }, rng) as number);
    assert.deepEqual([...new Set(ints)].sort(), [2, 3, 4, 5]);
    const logs = Array.from({ length: 5000 }, () => drawValue({ type: 'float', low: 1e-4, high: 1, log: true }, rng) as number);
    assert.ok(logs.every((v) => v >= 1e-4 && v <= 1));
    // Each of the four decades holds about a quarter of the draws (a linear draw would put 90% in the last).
    for (let d = 0; d < 4; d++) {
      const share = logs.filter((v) => v >= 10 ** (d - 4) && v < 10 ** (d - 3)).length / logs.length;
      assert.ok(Math.abs(share - 0.25) < 0.03, `decade ${d}: ${share}`);
    }
    const logInts = Array.from({ length: 5000 }, () => drawValue({ type: 'int', low: 1, high: 1000, log: true }, rng) as number);
    assert.ok(logInts.every((v) => Number.isInteger(v) && v >= 1 && v <= 1000));
    assert.ok(logInts.filter((v) => v < 32).length > 0.4 * logInts.length);
  });

  test('over choices only: no configuration twice, and the whole grid when it is smaller than trials', () => {
    const space = { maxDepth: { type: 'choice', values: [2, 4, 8] }, bootstrap: { type: 'choice', values: [true, false] } };
    const some = searchConfigurations(spec({ space, trials: 4 }));
    assert.equal(new Set(some.map((c) => JSON.stringify(c))).size, 4);
    const all = searchConfigurations(spec({ space, trials: 50 }));
    assert.equal(all.length, 6);
    assert.equal(plannedTrials(spec({ space, trials: 50 })), 6);
    assert.equal(new Set(all.map((c) => JSON.stringify(c))).size, 6);
  });

  test('a configuration replaces the searched hyperparameters; null unsets one', () => {
    assert.deepEqual(trialHyperparameters({ nTrees: 100, maxDepth: 4, seed: 1 }, { nTrees: 20, maxDepth: null }), { nTrees: 20, seed: 1 });
  });
});
