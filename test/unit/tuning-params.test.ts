import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { InvalidParamsError, parsePipelineParams, type PipelineParamsInput } from '../../contract';
import { readExample } from '../helpers/fixtures';
import { startTestApi, type ErrorBody, type TestApi } from '../helpers/apiApp';

const base = (model: PipelineParamsInput['model'] = { type: 'random_forest_classifier' }, metric = 'accuracy'): PipelineParamsInput => ({
  pipeline: 'tuned',
  dataset: { source: 'iris.csv', target: 'species' },
  model,
  deploy: { metric: metric as 'accuracy', threshold: 0.5 },
});

/** The fields the refused params name. */
function fieldsOf(tuning: unknown, params = base()): string[] {
  try {
    parsePipelineParams({ ...params, tuning });
  } catch (error) {
    assert.ok(error instanceof InvalidParamsError, String(error));
    return error.issues.map((i) => i.field);
  }
  assert.fail('params were accepted');
}

describe('tuning params', () => {
  test('defaults: random search, 5 folds, seed 42, 2 trials at a time; the metric is left to deploy.metric', () => {
    const { tuning } = parsePipelineParams({ ...base(), tuning: { space: { maxDepth: { type: 'int', low: 2, high: 8 } } } });
    assert.deepEqual(tuning, { strategy: 'random', space: { maxDepth: { type: 'int', low: 2, high: 8, log: false } }, folds: 5, seed: 42, maxConcurrency: 2 });
  });

  test('every hyperparameter of each model type that a search may vary is accepted', () => {
    const forest = { nTrees: { type: 'int', low: 5, high: 50 }, maxFeatures: { type: 'float', low: 0.2, high: 1 }, bootstrap: { type: 'choice', values: [true] }, maxDepth: { type: 'choice', values: [4, null] }, classWeight: { type: 'choice', values: ['balanced', null] } };
    assert.ok(parsePipelineParams({ ...base(), tuning: { space: forest } }).tuning);
    const logistic = { l2: { type: 'float', low: 1e-6, high: 1, log: true }, maxIterations: { type: 'int', low: 50, high: 500, log: true } };
    assert.ok(parsePipelineParams({ ...base({ type: 'logistic_regression' }), tuning: { space: logistic, metric: 'f1_macro' } }).tuning);
    assert.ok(parsePipelineParams({ ...base({ type: 'linear_regression' }, 'r2'), tuning: { space: { l2: { type: 'float', low: 0, high: 10 } }, strategy: 'grid' } }).tuning);
  });

  test('an empty or invalid search space names its field', () => {
    assert.deepEqual(fieldsOf({ space: {} }), ['tuning.space']);
    assert.deepEqual(fieldsOf({ space: { maxDepht: { type: 'int', low: 2, high: 8 } } }), ['tuning.space.maxDepht']);
    assert.deepEqual(fieldsOf({ space: { maxDepth: { type: 'int', low: 0, high: 8 } } }), ['tuning.space.maxDepth.low']);
    assert.deepEqual(fieldsOf({ space: { maxDepth: { type: 'int', low: 9, high: 8 } } }), ['tuning.space.maxDepth.low']);
    assert.deepEqual(fieldsOf({ space: { nTrees: { type: 'float', low: 5, high: 50 } } }), ['tuning.space.nTrees.type']);
    assert.deepEqual(fieldsOf({ space: { nTrees: { type: 'choice', values: [10, null] } } }), ['tuning.space.nTrees.values.1']);
    assert.deepEqual(fieldsOf({ space: { bootstrap: { type: 'choice', values: [true, 'yes'] } } }), ['tuning.space.bootstrap.values.1']);
    assert.deepEqual(fieldsOf({ space: { maxBins: { type: 'int', low: 16, high: 64 } } }), ['tuning.space.maxBins']);
    assert.deepEqual(fieldsOf({ space: { l2: { type: 'float', low: 0, high: 1, log: true } } }, base({ type: 'linear_regression' }, 'r2')), ['tuning.space.l2.low']);
    assert.deepEqual(fieldsOf({ space: { maxDepth: { type: 'range', low: 1, high: 2 } } }), ['tuning.space.maxDepth.type']);
    // Valid alone, refused together by the model's own rule: maxSamples needs bootstrap.
    assert.deepEqual(fieldsOf({ space: { maxSamples: { type: 'float', low: 0.2, high: 0.8 }, bootstrap: { type: 'choice', values: [true, false] } } }), ['tuning.space.maxSamples']);
  });

  test('an unknown metric, a metric of the other task, a grid with trials or too many combinations', () => {
    assert.deepEqual(fieldsOf({ space: { maxDepth: { type: 'int', low: 2, high: 8 } }, metric: 'auc' }), ['tuning.metric']);
    assert.deepEqual(fieldsOf({ space: { maxDepth: { type: 'int', low: 2, high: 8 } }, metric: 'r2' }), ['tuning.metric']);
    assert.deepEqual(fieldsOf({ strategy: 'grid', trials: 4, space: { maxDepth: { type: 'int', low: 2, high: 8 } } }), ['tuning.trials']);
    const wide = { type: 'int', low: 1, high: 64, gridPoints: 30 };
    assert.deepEqual(fieldsOf({ strategy: 'grid', space: { maxDepth: wide, minSamplesLeaf: wide } }), ['tuning.space']);
    assert.deepEqual(fieldsOf({ space: { maxDepth: { type: 'int', low: 2, high: 8 } }, folds: 1 }), ['tuning.folds']);
    assert.deepEqual(fieldsOf({ space: { maxDepth: { type: 'int', low: 2, high: 8 } }, trials: 0, maxConcurrency: 0 }).sort(), ['tuning.maxConcurrency', 'tuning.trials']);
  });

  test('successive halving: eta and minResource bounded, and only for halving', () => {
    const space = { maxDepth: { type: 'int', low: 2, high: 8 } };
    const { tuning } = parsePipelineParams({ ...base(), tuning: { strategy: 'halving', trials: 30, eta: 2, minResource: 50, space } });
    assert.deepEqual({ strategy: tuning?.strategy, trials: tuning?.trials, eta: tuning?.eta, minResource: tuning?.minResource }, { strategy: 'halving', trials: 30, eta: 2, minResource: 50 });
    // Defaults are left to the schedule (eta 3, minResource from the data), so the params stay as given.
    assert.equal(parsePipelineParams({ ...base(), tuning: { strategy: 'halving', space } }).tuning?.eta, undefined);
    for (const eta of [1, 11, 2.5, '3']) assert.deepEqual(fieldsOf({ strategy: 'halving', eta, space }), ['tuning.eta'], String(eta));
    for (const minResource of [0, 1, 1.5, 2e9]) assert.deepEqual(fieldsOf({ strategy: 'halving', minResource, space }), ['tuning.minResource'], String(minResource));
    // Fewer than two rows per fold (5 folds by default).
    assert.deepEqual(fieldsOf({ strategy: 'halving', minResource: 9, space }), ['tuning.minResource']);
    assert.deepEqual(fieldsOf({ strategy: 'random', eta: 3, space }), ['tuning.eta']);
    assert.deepEqual(fieldsOf({ strategy: 'grid', minResource: 100, space }), ['tuning.minResource']);
    assert.deepEqual(fieldsOf({ strategy: 'halving', space: {} }), ['tuning.space']);
  });
});

describe('tuning params through the API', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(async () => {
    await api?.close();
  });

  test('POST /runs with a bad search space is a 400 naming the field, and starts nothing', async () => {
    const iris = await readExample('iris.json');
    const res = await api.call<ErrorBody>('POST', '/runs', { ...iris, tuning: { space: { maxDepth: { type: 'int', low: 0, high: 8 } }, metric: 'nope' } });
    assert.equal(res.status, 400, res.text);
    const fields = (res.body.error.details as { field: string }[]).map((d) => d.field).sort();
    assert.deepEqual(fields, ['tuning.metric', 'tuning.space.maxDepth.low']);
    assert.equal(api.temporal.workflows.all.length, 0);
  });

  test('POST /runs with a bad halving eta is a 400 naming tuning.eta', async () => {
    const iris = await readExample('iris.json');
    const res = await api.call<ErrorBody>('POST', '/runs', { ...iris, tuning: { strategy: 'halving', eta: 1, space: { maxDepth: { type: 'int', low: 1, high: 8 } } } });
    assert.equal(res.status, 400, res.text);
    assert.deepEqual((res.body.error.details as { field: string }[]).map((d) => d.field), ['tuning.eta']);
    assert.equal(api.temporal.workflows.all.length, 0);
  });
});
