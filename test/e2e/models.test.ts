import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type RunDetail } from '../../api/runs/runView';
import { readExample } from '../helpers/fixtures';
import { pollUntil, startApiStack, type ApiStack } from '../helpers/apiStack';

let stack: ApiStack;
before(async () => {
  stack = await startApiStack();
});
after(async () => {
  await stack?.stop();
});

// One flower of each species, and two that a sepal-width-only model gets wrong.
const ROWS = [
  { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 },
  { sepal_length: 6.4, sepal_width: 3.2, petal_length: 4.5, petal_width: 1.5 },
  { sepal_length: 6.3, sepal_width: 3.3, petal_length: 6.0, petal_width: 2.5 },
  { sepal_length: 5.0, sepal_width: 2.3, petal_length: 3.3, petal_width: 1.0 },
  { sepal_length: 7.7, sepal_width: 3.8, petal_length: 6.7, petal_width: 2.2 },
];

type Prediction = { model: string; version: string; predictions: string[] };

async function deploy(params: Record<string, unknown>): Promise<void> {
  const started = await stack.call<{ workflowId: string }>('POST', '/runs', { ...params, allowConcurrentRuns: true });
  assert.equal(started.status, 201, started.text);
  const run = await pollUntil<RunDetail>(stack, `/runs/${started.body.workflowId}`, (r) => r.status !== 'running');
  assert.equal(run.run?.outcome, 'deployed', JSON.stringify(run.run?.decision));
}

describe('models over HTTP', () => {
  test('predict with the production model; a new deploy and a rollback switch the answers without a restart', async () => {
    const iris = await readExample('iris.json');
    await deploy({ ...iris, pipeline: 'api-iris', model: { type: 'random_forest_classifier', name: 'flowers' } });
    const v1 = await stack.call<Prediction>('POST', '/models/flowers/predict', { rows: ROWS });
    assert.equal(v1.status, 200, v1.text);
    assert.equal(v1.body.version, '1');
    assert.deepEqual(v1.body.predictions.slice(0, 3), ['setosa', 'versicolor', 'virginica']);

    await deploy({
      ...iris,
      pipeline: 'api-iris-weak',
      dataset: { source: 'iris.csv', target: 'species', features: ['sepal_width'] },
      validation: {},
      model: { type: 'logistic_regression', name: 'flowers' },
      deploy: { metric: 'accuracy', threshold: 0 },
    });
    const v2 = await stack.call<Prediction>('POST', '/models/flowers/predict', { rows: ROWS });
    assert.equal(v2.body.version, '2');
    assert.notDeepEqual(v2.body.predictions, v1.body.predictions);

    const model = await stack.call<{ production: { version: string; previousVersion: string }; versions: { version: string; metrics: Record<string, number> }[] }>(
      'GET',
      '/models/flowers',
    );
    assert.equal(model.body.production.version, '2');
    assert.deepEqual(model.body.versions.map((v) => v.version), ['1', '2']);
    assert.ok(model.body.versions[0].metrics.accuracy >= 0.9);

    const rollback = await stack.call<{ version: string }>('POST', '/models/flowers/rollback', {});
    assert.equal(rollback.status, 200, rollback.text);
    assert.equal(rollback.body.version, '1');
    const back = await stack.call<Prediction>('POST', '/models/flowers/predict', { rows: ROWS });
    assert.equal(back.body.version, '1');
    assert.deepEqual(back.body.predictions, v1.body.predictions);

    const listed = await stack.call<{ models: { name: string; productionVersion: string }[] }>('GET', '/models');
    assert.deepEqual(listed.body.models.find((m) => m.name === 'flowers'), { name: 'flowers', productionVersion: '1' });
  });

  test('prediction input errors are 400s naming the problem; unknown models are 404s', async () => {
    const missing = await stack.call<{ error: { code: string; message: string } }>('POST', '/models/flowers/predict', { rows: [{ sepal_length: 5 }] });
    assert.equal(missing.status, 400, missing.text);
    assert.match(missing.body.error.message, /sepal_width|petal/);
    const empty = await stack.call<{ error: { message: string } }>('POST', '/models/flowers/predict', { rows: [] });
    assert.equal(empty.status, 400);
    assert.match(empty.body.error.message, /rows/);
    assert.equal((await stack.call('POST', '/models/nope/predict', { rows: ROWS })).status, 404);
    assert.equal((await stack.call('GET', '/models/nope')).status, 404);
    assert.equal((await stack.call('POST', '/models/flowers/rollback', { version: '99' })).status, 404);
  });
});
