import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readExample } from '../helpers/fixtures';
import { startTestApi, type ErrorBody, type TestApi } from '../helpers/apiApp';

let api: TestApi;
before(async () => {
  api = await startTestApi();
});
after(async () => {
  await api?.close();
});

type Issue = { field: string; message: string };

/** Sends a request that must be refused by validation; returns the fields named, checking message and details agree. */
async function refused(method: string, path: string, body?: unknown): Promise<string[]> {
  const res = await api.call<ErrorBody>(method, path, body);
  assert.equal(res.status, 400, `${method} ${path}: ${res.text}`);
  assert.equal(res.body.error.code, 'validation_failed', res.text);
  assert.equal(res.body.error.status, 400);
  const issues = res.body.error.details as Issue[];
  for (const { field, message } of issues) assert.ok(res.body.error.message.includes(`${field || '(body)'}: ${message}`), res.body.error.message);
  return issues.map((i) => i.field);
}

describe('request validation (zod DTOs through ZodValidationPipe)', () => {
  test('a run body names every bad field, unknown fields included, and starts nothing', async () => {
    const fields = await refused('POST', '/runs', {
      pipeline: 'has spaces',
      dataset: { source: 'iris.csv', target: 'species', delimiter: 'ab' },
      model: { type: 'svm' },
      deploy: { metric: 'accuracy', threshold: 'high' },
      extra: 1,
    });
    for (const f of ['pipeline', 'dataset.delimiter', 'model.type', 'deploy.threshold', 'extra']) assert.ok(fields.includes(f), `${f} in ${fields.join(', ')}`);
    assert.equal(api.temporal.workflows.all.length, 0);
  });

  test('bounds inside a valid run are checked where they are', async () => {
    const iris = await readExample('iris.json');
    assert.deepEqual(await refused('POST', '/runs', { ...iris, model: { type: 'random_forest_classifier', hyperparameters: { nTrees: 1e9 } } }), [
      'model.hyperparameters.nTrees',
    ]);
    assert.deepEqual(await refused('POST', '/runs', { ...iris, pipeline: 'x'.repeat(64) }), ['pipeline']);
    assert.deepEqual(await refused('POST', '/runs', { ...iris, dataset: { source: 'iris.csv', target: 'species', format: 'csv', sheet: 'S1' } }), ['dataset.sheet']);
    assert.deepEqual(await refused('POST', '/runs', { ...iris, validation: { patterns: { species: '(a)\\1' } } }), ['validation.patterns.species']);
  });

  test('a body that is not an object is refused as a whole; an empty one names each required field', async () => {
    assert.deepEqual(await refused('POST', '/runs', [1, 2]), ['']);
    assert.deepEqual((await refused('POST', '/runs', {})).sort(), ['dataset', 'deploy', 'model', 'pipeline']);
  });

  test('query strings: run list filters and page size', async () => {
    const fields = await refused('GET', '/runs?status=sleeping&pageSize=1000&modelType=svm&cursor=a%2Bb&color=red');
    assert.deepEqual(fields.sort(), ['color', 'cursor', 'modelType', 'pageSize', 'status']);
    assert.deepEqual(await refused('GET', '/runs/ml-iris?runId=not-a-uuid'), ['runId']);
  });

  test('path parameters: run ids, artifact folders and files, schedule ids, model names', async () => {
    assert.deepEqual(await refused('GET', '/runs/-leading-dash'), ['id']);
    assert.deepEqual(await refused('GET', '/runs/ml-iris/artifacts/secrets/a.json'), ['kind']);
    assert.deepEqual(await refused('GET', '/runs/ml-iris/artifacts/report/.hidden'), ['file']);
    assert.deepEqual(await refused('GET', '/runs/ml-iris/artifacts/report/..%2F..%2Fetc'), ['file']);
    assert.deepEqual(await refused('POST', '/schedules/bad%20id/pause', {}), ['id']);
    assert.deepEqual(await refused('GET', `/models/${'m'.repeat(64)}`), ['name']);
  });

  test('schedules: exactly one of cron and interval, a cron-shaped cron, valid params inside', async () => {
    const params = await readExample('iris.json');
    const both = await api.call<ErrorBody>('POST', '/schedules', { scheduleId: 's1', cron: '0 2 * * *', intervalSeconds: 60, params });
    assert.equal(both.status, 400);
    assert.match(both.body.error.message, /cron: give exactly one of cron and intervalSeconds/);
    assert.deepEqual(await refused('POST', '/schedules', { scheduleId: 's1', params }), ['cron']);
    assert.deepEqual(await refused('POST', '/schedules', { scheduleId: 's1', cron: 'rm -rf /; echo', params }), ['cron']);
    assert.deepEqual(await refused('POST', '/schedules', { scheduleId: 's1', intervalSeconds: 0, params: { ...params, model: { type: 'svm' } } }).then((f) => f.sort()), [
      'intervalSeconds',
      'params.model.type',
    ]);
    assert.deepEqual(await refused('POST', '/schedules/s1/trigger', { overlap: 'sometimes' }), ['overlap']);
    assert.equal(api.temporal.schedules.byId.size, 0);
  });

  test('backfill ranges: ISO times, start before end, at most a year', async () => {
    assert.ok((await refused('POST', '/schedules/s1/backfill', { start: 'yesterday', end: '2026-01-01T00:00:00Z' })).includes('start'));
    const reversed = await api.call<ErrorBody>('POST', '/schedules/s1/backfill', { start: '2026-01-02T00:00:00Z', end: '2026-01-01T00:00:00Z' });
    assert.match(reversed.body.error.message, /end: start must be before end/);
    const long = await api.call<ErrorBody>('POST', '/schedules/s1/backfill', { start: '2024-01-01T00:00:00Z', end: '2026-01-01T00:00:00Z' });
    assert.match(long.body.error.message, /end: at most one year per backfill/);
  });

  test('approvals, predictions and rollbacks', async () => {
    assert.deepEqual(await refused('POST', '/runs/ml-iris/approve', { by: '', note: 'x' }).then((f) => f.sort()), ['by', 'note']);
    assert.deepEqual(await refused('POST', '/models/iris/predict', { rows: [] }), ['rows']);
    assert.deepEqual(await refused('POST', '/models/iris/predict', { rows: [{ a: { nested: true } }] }), ['rows.0.a']);
    assert.deepEqual(await refused('POST', '/models/iris/rollback', { version: '../1' }), ['version']);
  });

  test('too many prediction rows is a 400 naming rows and the limit (API_MAX_PREDICT_ROWS)', async () => {
    const small = await startTestApi({ API_MAX_PREDICT_ROWS: '2' });
    try {
      const res = await small.call<ErrorBody>('POST', '/models/iris/predict', { rows: [{ a: 1 }, { a: 2 }, { a: 3 }] });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.message, 'rows: at most 2 rows per request, got 3');
    } finally {
      await small.close();
    }
  });
});
