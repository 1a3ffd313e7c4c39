import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { paramsKind } from '../../client/paramsKind';
import {
  CLASSIFICATION_METRICS,
  DriftSpec,
  InvalidParamsError,
  gateMetricProblem,
  metricPasses,
  missingMetricReason,
  parseInferenceParams,
  parsePipelineParams,
  type PipelineParamsInput,
  REGRESSION_METRICS,
  taskOf,
  workflowIdFor,
} from '../../contract';
import { EXAMPLES, readExample } from '../helpers/fixtures';

const base = (): PipelineParamsInput => ({
  pipeline: 'iris',
  dataset: { source: 'iris.csv', target: 'species' },
  model: { type: 'random_forest_classifier' },
  deploy: { metric: 'accuracy', threshold: 0.9 },
});

/** The issues of params that must be refused. */
function issuesOf(input: unknown): { field: string; message: string }[] {
  try {
    parsePipelineParams(input);
  } catch (error) {
    assert.ok(error instanceof InvalidParamsError, String(error));
    assert.ok(error.issues.length > 0);
    for (const issue of error.issues) assert.ok(error.message.includes(issue.message), error.message);
    return error.issues.map((i) => ({ field: i.field, message: i.message }));
  }
  assert.fail(`accepted ${JSON.stringify(input)}`);
}

const fields = (input: unknown): string[] => issuesOf(input).map((i) => i.field);

describe('parsePipelineParams', () => {
  test('every example parses, with the schema of its kind', async () => {
    const names = (await readdir(EXAMPLES)).filter((f) => f.endsWith('.json'));
    assert.ok(names.length >= 5, names.join(', '));
    for (const name of names) {
      const raw = await readExample(name);
      const parsed = paramsKind(raw) === 'inference' ? parseInferenceParams(raw) : parsePipelineParams(raw);
      assert.equal(parsed.pipeline, raw.pipeline, name);
    }
  });

  test('fills the defaults', () => {
    const p = parsePipelineParams(base());
    assert.equal(p.split.testSize, 0.2);
    assert.equal(p.split.seed, 42);
    assert.equal(p.split.stratify, true);
    assert.equal(p.sensor.mode, 'poke');
    assert.equal(p.sensor.marker, undefined);
    assert.equal(p.sensor.softFail, false);
    assert.equal(p.preprocessing.scaling, 'standard');
    assert.deepEqual(p.validation.notNull, []);
    assert.deepEqual(p.notifications.webhooks, []);
    assert.equal(p.deploy.requireApproval, false);
    assert.equal(p.allowConcurrentRuns, false);
    assert.equal(p.model.type, 'random_forest_classifier');
    assert.ok(p.model.type === 'random_forest_classifier');
    assert.equal(p.model.hyperparameters.nTrees, 100);
    assert.equal(p.model.hyperparameters.maxFeatures, 'sqrt');
  });

  test('fills hyperparameter defaults next to the given ones, per model type', () => {
    const rf = parsePipelineParams({ ...base(), model: { type: 'random_forest_classifier', hyperparameters: { seed: 1 } } }).model;
    assert.ok(rf.type === 'random_forest_classifier');
    assert.equal(rf.hyperparameters.seed, 1);
    assert.equal(rf.hyperparameters.nTrees, 100);
    const reg = parsePipelineParams({ ...base(), model: { type: 'random_forest_regressor' }, deploy: { metric: 'r2', threshold: 0.5 } }).model;
    assert.ok(reg.type === 'random_forest_regressor');
    assert.equal(reg.hyperparameters.maxFeatures, 'all');
    const lin = parsePipelineParams({ ...base(), model: { type: 'linear_regression' }, deploy: { metric: 'rmse', threshold: 3 } }).model;
    assert.deepEqual(lin.hyperparameters, { l2: 0 });
  });

  test('does not change its input', () => {
    const input = base();
    const copy = structuredClone(input);
    parsePipelineParams(input);
    assert.deepEqual(input, copy);
  });

  test('unknown fields are refused, each named by its path', () => {
    assert.deepEqual(issuesOf({ ...base(), extra: 1 }), [{ field: 'extra', message: 'unknown field' }]);
    assert.deepEqual(fields({ ...base(), split: { testSize: 0.3, bogus: true } }), ['split.bogus']);
    assert.deepEqual(fields({ ...base(), dataset: { source: 'x.csv', target: 'y', sep: ',', quote: '"' } }).sort(), ['dataset.quote', 'dataset.sep']);
    assert.deepEqual(fields({ ...base(), deploy: { metric: 'accuracy', threshold: 0.9, auto: true } }), ['deploy.auto']);
  });

  test('a regression metric for a classifier is refused at deploy.metric', () => {
    const issues = issuesOf({ ...base(), deploy: { metric: 'rmse', threshold: 1 } });
    assert.deepEqual(
      issues.map((i) => i.field),
      ['deploy.metric'],
    );
    assert.match(issues[0].message, /rmse does not apply to random_forest_classifier/);
    assert.deepEqual(fields({ ...base(), model: { type: 'linear_regression' }, deploy: { metric: 'accuracy', threshold: 0.9 } }), ['deploy.metric']);
  });

  test('every metric of the task is accepted for each model type', () => {
    for (const type of ['random_forest_classifier', 'random_forest_regressor', 'logistic_regression', 'linear_regression'] as const) {
      const metrics = taskOf(type) === 'classification' ? CLASSIFICATION_METRICS : REGRESSION_METRICS;
      for (const metric of metrics) parsePipelineParams({ ...base(), model: { type }, deploy: { metric, threshold: 0.5 } });
    }
  });

  test('the target cannot also be a feature', () => {
    assert.deepEqual(fields({ ...base(), dataset: { source: 'iris.csv', target: 'species', features: ['petal_length', 'species'] } }), ['dataset.features']);
  });

  test('hyperparameters are validated per model type', () => {
    assert.deepEqual(fields({ ...base(), model: { type: 'random_forest_classifier', hyperparameters: { nTrees: 0 } } }), ['model.hyperparameters.nTrees']);
    assert.deepEqual(fields({ ...base(), model: { type: 'random_forest_classifier', hyperparameters: { nTrees: 2.5 } } }), ['model.hyperparameters.nTrees']);
    assert.deepEqual(fields({ ...base(), model: { type: 'random_forest_classifier', hyperparameters: { maxFeatures: 1.5 } } }), ['model.hyperparameters.maxFeatures']);
    // maxFeatures belongs to forests only.
    assert.deepEqual(
      issuesOf({ ...base(), model: { type: 'linear_regression', hyperparameters: { maxFeatures: 'sqrt' } }, deploy: { metric: 'r2', threshold: 0.5 } }),
      [{ field: 'model.hyperparameters.maxFeatures', message: 'unknown field' }],
    );
    assert.deepEqual(fields({ ...base(), model: { type: 'logistic_regression', hyperparameters: { learningRate: 0 } } }), ['model.hyperparameters.learningRate']);
  });

  test('an unknown model type is refused at model.type', () => {
    assert.deepEqual(fields({ ...base(), model: { type: 'svm' } }), ['model.type']);
  });

  test('InvalidParamsError lists every bad field', () => {
    const issues = fields({
      pipeline: '-bad name',
      dataset: { source: '', target: 'y' },
      split: { testSize: 1 },
      sensor: { mode: 'wait' },
      model: { type: 'random_forest_classifier', hyperparameters: { nTrees: 0 } },
      deploy: { metric: 'accuracy' },
      notifications: { webhooks: ['ftp://example.com/hook'] },
    });
    for (const field of ['pipeline', 'dataset.source', 'split.testSize', 'sensor.mode', 'model.hyperparameters.nTrees', 'deploy.threshold', 'notifications.webhooks.0']) {
      assert.ok(issues.includes(field), `${field} not in ${issues.join(', ')}`);
    }
  });

  test('validation rules are checked', () => {
    assert.deepEqual(fields({ ...base(), validation: { minRows: 10, maxRows: 5 } }), ['validation.minRows']);
    assert.deepEqual(fields({ ...base(), validation: { ranges: [{ column: 'x' }] } }), ['validation.ranges.0']);
  });

  test('a non-object is refused', () => {
    assert.deepEqual(fields(null), ['']);
    assert.throws(() => parsePipelineParams('iris'), InvalidParamsError);
  });
});

describe('binary-only gate metrics', () => {
  test('roc_auc and average_precision gate two classes only, naming deploy.metric', () => {
    assert.equal(gateMetricProblem('roc_auc', 2), undefined);
    assert.equal(gateMetricProblem('balanced_accuracy', 5), undefined);
    assert.match(gateMetricProblem('roc_auc', 5)!, /^roc_auc applies to binary classifiers only, and the target has 5 classes$/);
    assert.match(gateMetricProblem('average_precision', 3)!, /average_precision/);
    assert.equal(gateMetricProblem('roc_auc_ovr', 5), undefined, 'one-vs-rest gates any classifier');
  });

  test("a labelled inference batch is scored on its labels: drift.metric takes balanced_accuracy, not the ranking metrics", () => {
    assert.equal(DriftSpec.parse({ metric: { name: 'balanced_accuracy', threshold: 0.8 } }).metric?.name, 'balanced_accuracy');
    for (const name of ['roc_auc', 'average_precision', 'roc_auc_ovr']) assert.equal(DriftSpec.safeParse({ metric: { name, threshold: 0.8 } }).success, false, name);
  });

  test('a missing binary metric at the gate says why and what to use instead', () => {
    assert.match(missingMetricReason('roc_auc'), /deploy\.metric roc_auc applies to binary classifiers only.*balanced_accuracy, roc_auc_ovr$/);
    assert.equal(missingMetricReason('accuracy'), 'evaluation produced no accuracy');
  });
});

describe('metricPasses', () => {
  test('scores pass at or above the threshold', () => {
    for (const metric of ['accuracy', 'precision_macro', 'recall_macro', 'f1_macro', 'balanced_accuracy', 'roc_auc', 'average_precision', 'roc_auc_ovr', 'r2'] as const) {
      assert.equal(metricPasses(metric, 0.9, 0.9), true, metric);
      assert.equal(metricPasses(metric, 0.95, 0.9), true, metric);
      assert.equal(metricPasses(metric, 0.85, 0.9), false, metric);
    }
  });

  test('errors pass at or below the threshold', () => {
    for (const metric of ['mse', 'rmse', 'mae'] as const) {
      assert.equal(metricPasses(metric, 3, 3), true, metric);
      assert.equal(metricPasses(metric, 2.5, 3), true, metric);
      assert.equal(metricPasses(metric, 3.5, 3), false, metric);
    }
  });

  test('NaN never passes', () => {
    assert.equal(metricPasses('accuracy', NaN, 0.5), false);
    assert.equal(metricPasses('rmse', NaN, 0.5), false);
  });
});

describe('workflowIdFor', () => {
  test('one id per pipeline by default, so a second run conflicts', () => {
    let calls = 0;
    const unique = () => `u${(calls += 1)}`;
    assert.equal(workflowIdFor({ pipeline: 'iris' }, unique), 'ml-iris');
    assert.equal(workflowIdFor({ pipeline: 'iris', allowConcurrentRuns: false }, unique), 'ml-iris');
    assert.equal(calls, 0);
  });

  test('with allowConcurrentRuns every run gets its own id', () => {
    let calls = 0;
    const unique = () => `u${(calls += 1)}`;
    const first = workflowIdFor({ pipeline: 'iris', allowConcurrentRuns: true }, unique);
    const second = workflowIdFor({ pipeline: 'iris', allowConcurrentRuns: true }, unique);
    assert.equal(first, 'ml-iris-u1');
    assert.equal(second, 'ml-iris-u2');
    assert.notEqual(first, workflowIdFor({ pipeline: 'iris' }, unique));
  });
});

describe('step timeouts', () => {
  test('default to a heartbeat timeout on every step and hours for training', () => {
    const { timeouts } = parsePipelineParams(base());
    for (const [step, t] of Object.entries(timeouts)) {
      assert.ok(t.heartbeatSeconds >= 1 && t.heartbeatSeconds <= 30, `${step} heartbeat ${t.heartbeatSeconds} s`);
    }
    assert.ok(timeouts.train.startToCloseSeconds > 4 * 3600, 'a 4-hour training fits');
    assert.deepEqual(timeouts.deploy, { startToCloseSeconds: 300, heartbeatSeconds: 10 }, 'a worker dying during deploy is noticed in seconds');
  });

  test('a run overrides one step, the others keep their defaults', () => {
    const { timeouts } = parsePipelineParams({ ...base(), timeouts: { train: { heartbeatSeconds: 5 } } });
    assert.deepEqual(timeouts.train, { startToCloseSeconds: 12 * 3600, heartbeatSeconds: 5 });
    assert.deepEqual(timeouts.ingest, parsePipelineParams(base()).timeouts.ingest);
  });

  test('refuses a heartbeat timeout longer than the step, naming the field', () => {
    const issues = issuesOf({ ...base(), timeouts: { deploy: { startToCloseSeconds: 30, heartbeatSeconds: 60 } } });
    assert.deepEqual(
      issues.map((i) => i.field),
      ['timeouts.deploy.heartbeatSeconds'],
    );
    assert.deepEqual(
      issuesOf({ ...base(), timeouts: { train: { heartbeatSeconds: 0 } } }).map((i) => i.field),
      ['timeouts.train.heartbeatSeconds'],
    );
    assert.deepEqual(
      issuesOf({ ...base(), timeouts: { traning: {} } }).map((i) => i.field),
      ['timeouts.traning'],
    );
  });
});
