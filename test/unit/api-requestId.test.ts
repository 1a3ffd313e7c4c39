import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApi, type ErrorBody, type TestApi } from '../helpers/apiApp';

let api: TestApi;
before(async () => {
  api = await startTestApi();
});
after(async () => {
  await api?.close();
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The request log line of the request with this id (written when the response finishes). */
async function logLine(requestId: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 50; i++) {
    const line = api.logs.find((l) => l.message === 'request' && l.requestId === requestId);
    if (line) return line;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no request log line for ${requestId}: ${JSON.stringify(api.logs.slice(-3))}`);
}

describe('request id', () => {
  test("a caller's well-formed X-Request-Id is echoed on the response, in an error body and in the log", async () => {
    const res = await api.call<ErrorBody>('GET', '/runs/ml-none', undefined, { 'x-request-id': 'caller.id_1-A' });
    assert.equal(res.headers.get('x-request-id'), 'caller.id_1-A');
    assert.equal(res.body.error.requestId, 'caller.id_1-A');
    assert.equal((await logLine('caller.id_1-A')).status, 404);
  });

  test('a missing or malformed id is replaced by a fresh UUID, different for each request', async () => {
    const ids: string[] = [];
    for (const given of [undefined, 'has space', 'x'.repeat(129), 'semi;colon']) {
      const res = await api.call('GET', '/healthz', undefined, given === undefined ? {} : { 'x-request-id': given });
      const id = res.headers.get('x-request-id') ?? '';
      assert.match(id, UUID, `for ${given}`);
      ids.push(id);
    }
    assert.equal(new Set(ids).size, ids.length);
  });
});

describe('request log and request metrics', () => {
  test('one JSON line per request: method, path without query, route pattern, status, duration', async () => {
    await api.call('GET', '/runs?pageSize=5', undefined, { 'x-request-id': 'log-list' });
    const line = await logLine('log-list');
    assert.equal(line.level, 'info');
    assert.ok(!Number.isNaN(Date.parse(String(line.time))));
    assert.deepEqual([line.method, line.path, line.route, line.status], ['GET', '/runs', '/runs', 200]);
    assert.equal(typeof line.durationMs, 'number');
    assert.equal(line.workflowId, undefined);
  });

  test('the line carries the workflow id a POST /runs started, and the one a run route names', async () => {
    const started = await api.call<{ workflowId: string }>(
      'POST',
      '/runs',
      { pipeline: 'logged', dataset: { source: 'iris.csv', target: 'species' }, model: { type: 'logistic_regression' }, deploy: { metric: 'accuracy', threshold: 0.5 }, allowConcurrentRuns: true },
      { 'x-request-id': 'log-start' },
    );
    assert.equal(started.status, 201, started.text);
    assert.match(started.body.workflowId, /^ml-logged-/);
    const line = await logLine('log-start');
    assert.deepEqual([line.method, line.route, line.status, line.workflowId], ['POST', '/runs', 201, started.body.workflowId]);
    await api.call('GET', '/runs/ml-elsewhere', undefined, { 'x-request-id': 'log-get' });
    const get = await logLine('log-get');
    assert.deepEqual([get.route, get.status, get.workflowId], ['/runs/:id', 404, 'ml-elsewhere']);
  });

  test('requests no route matched are logged as unmatched', async () => {
    await api.call('GET', '/no/such/thing', undefined, { 'x-request-id': 'log-404' });
    const line = await logLine('log-404');
    assert.deepEqual([line.route, line.status], ['unmatched', 404]);
  });

  test('request durations are a Prometheus histogram labelled by route pattern, not by raw path', async () => {
    await api.call('GET', '/runs/ml-a');
    await api.call('GET', '/runs/ml-b');
    const metrics = await api.call('GET', '/metrics');
    assert.match(metrics.text, /mlp_api_request_duration_seconds_count\{method="GET",route="\/runs\/:id",status="404"\} [2-9]/);
    assert.doesNotMatch(metrics.text, /route="\/runs\/ml-a"/);
  });
});
