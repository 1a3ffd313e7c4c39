import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { readExample } from '../helpers/fixtures';
import { startTestApi, type ErrorBody, type TestApi } from '../helpers/apiApp';

let api: TestApi;
before(async () => {
  api = await startTestApi({ API_BODY_LIMIT_BYTES: '2048' });
});
after(async () => {
  await api?.close();
});

async function expectError(method: string, path: string, status: number, code: string, body?: unknown): Promise<ErrorBody['error']> {
  const res = await api.call<ErrorBody>(method, path, body, { 'x-request-id': `req-${code}` });
  assert.equal(res.status, status, `${method} ${path}: ${res.text}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  assert.deepEqual(Object.keys(res.body), ['error']);
  assert.equal(res.body.error.code, code, `${method} ${path}: ${res.text}`);
  assert.equal(res.body.error.status, status);
  assert.equal(res.body.error.requestId, `req-${code}`);
  return res.body.error;
}

describe('error filter: Temporal errors', () => {
  test('an unknown run is a 404 run_not_found on every run route', async () => {
    for (const [method, path] of [
      ['GET', '/runs/ml-nope'],
      ['GET', '/runs/ml-nope/report'],
      ['GET', '/runs/ml-nope/artifacts/model/model.json'],
      ['POST', '/runs/ml-nope/cancel'],
      ['POST', '/runs/ml-nope/approve'],
      ['POST', '/runs/ml-nope/reject'],
    ]) {
      const error = await expectError(method, path, 404, 'run_not_found', method === 'POST' ? {} : undefined);
      assert.equal(error.message, 'run not found: ml-nope');
    }
  });

  test('an unknown schedule is a 404 schedule_not_found on every schedule route', async () => {
    for (const [method, path, body] of [
      ['GET', '/schedules/nope'],
      ['POST', '/schedules/nope/pause', {}],
      ['POST', '/schedules/nope/unpause', {}],
      ['POST', '/schedules/nope/trigger', {}],
      ['POST', '/schedules/nope/backfill', { start: '2026-01-01T00:00:00Z', end: '2026-01-02T00:00:00Z' }],
      ['DELETE', '/schedules/nope'],
    ] as const) {
      const error = await expectError(method, path, 404, 'schedule_not_found', body);
      assert.equal(error.message, 'schedule not found: nope');
    }
  });

  test('a second run of a pipeline while one is active is a 409 naming the active run', async () => {
    const params = { ...(await readExample('iris.json')), pipeline: 'single' };
    const first = await api.call<{ workflowId: string; runId: string }>('POST', '/runs', params);
    assert.equal(first.status, 201, first.text);
    const error = await expectError('POST', '/runs', 409, 'run_already_active', params);
    assert.equal(error.message, `pipeline single already has an active run: ml-single (run ${first.body.runId})`);
    assert.deepEqual(error.details, { workflowId: 'ml-single', runId: first.body.runId });
    api.temporal.workflows.close('ml-single', 'COMPLETED');
    assert.equal((await api.call('POST', '/runs', params)).status, 201, 'a closed run does not block the next');
  });

  test('a schedule id in use is a 409 schedule_exists', async () => {
    const body = { scheduleId: 'dup', intervalSeconds: 3600, params: await readExample('iris.json') };
    assert.equal((await api.call('POST', '/schedules', body)).status, 201);
    const error = await expectError('POST', '/schedules', 409, 'schedule_exists', body);
    assert.equal(error.message, 'schedule already exists: dup');
  });

  test('controlling a run that is no longer running is a 409 conflict', async () => {
    api.temporal.workflows.add({ workflowId: 'ml-done', status: 'COMPLETED', memo: { pipeline: 'done' } });
    for (const action of ['cancel', 'approve', 'reject']) {
      const error = await expectError('POST', `/runs/ml-done/${action}`, 409, 'conflict', {});
      assert.equal(error.message, 'run ml-done is not running (completed)');
    }
  });
});

describe('error filter: artifacts and models', () => {
  test('a missing artifact is a 404 artifact_not_found', async () => {
    api.temporal.workflows.add({ workflowId: 'ml-art', memo: { pipeline: 'art' } });
    await expectError('GET', '/runs/ml-art/report', 404, 'artifact_not_found');
    await expectError('GET', '/runs/ml-art/artifacts/evaluation/evaluation.json', 404, 'artifact_not_found');
  });

  test('a run without a pipeline in its memo (started outside the API) has no artifact path: 400 invalid_artifact_path', async () => {
    api.temporal.workflows.add({ workflowId: 'ml-cli' });
    await expectError('GET', '/runs/ml-cli/report', 400, 'invalid_artifact_path');
  });

  test('unknown models are 404s; a rollback with nothing to roll back to is a 409', async () => {
    assert.equal((await expectError('GET', '/models/nope', 404, 'not_found')).message, 'model not found: nope');
    assert.equal((await expectError('POST', '/models/nope/predict', 404, 'not_found', { rows: [{ a: 1 }] })).message, 'model nope has no production version');
    assert.equal((await expectError('POST', '/models/nope/rollback', 404, 'not_found', {})).message, 'model not found: nope');
  });

  test('a cursor that does not decode to a page token is a 400', async () => {
    assert.equal((await expectError('GET', '/runs?cursor=A', 400, 'bad_request')).message, 'cursor is not a cursor this API gave out');
  });
});

describe('error filter: HTTP-level errors', () => {
  test('malformed JSON is a 400, too large a body a 413, an unknown charset a 415', async () => {
    const bad = await expectError('POST', '/runs', 400, 'bad_request', '{"pipeline": ');
    assert.match(bad.message, /JSON/);
    const big = await expectError('POST', '/runs', 413, 'entity_too_large', { pipeline: 'p', padding: 'x'.repeat(3000) });
    assert.equal(big.message, 'request entity too large');
    const res = await api.call<ErrorBody>('POST', '/runs', '{}', { 'content-type': 'application/json; charset=latin9' });
    assert.equal(res.status, 415);
    assert.equal(res.body.error.code, 'charset_unsupported');
    assert.equal(api.temporal.workflows.find('ml-p'), undefined);
  });

  test('unknown routes are 404s in the same shape', async () => {
    assert.equal((await expectError('GET', '/nothing-here', 404, 'not_found')).message, 'Cannot GET /nothing-here');
  });

  test('an unexpected error is a 500 that says nothing of its cause, and is logged with the request id', async () => {
    // The server failing a describe in a way the API does not map (a running run whose status query
    // fails is not an error: it is answered from the server's records, see api-runs).
    api.temporal.workflows.add({ workflowId: 'ml-broken', memo: { pipeline: 'broken' }, describeError: new Error('frontend reset the stream of ml-broken') });
    const res = await api.call<ErrorBody>('GET', '/runs/ml-broken', undefined, { 'x-request-id': 'req-500' });
    assert.equal(res.status, 500);
    assert.deepEqual(res.body, { error: { status: 500, code: 'internal_error', message: 'internal error', requestId: 'req-500' } });
    assert.doesNotMatch(res.text, /frontend|stream|ml-broken/);
    const logged = api.logs.find((l) => l.level === 'error' && l.requestId === 'req-500');
    assert.ok(logged, JSON.stringify(api.logs.slice(-3)));
    assert.equal(logged.path, '/runs/ml-broken');
    assert.match(String(logged.error), /frontend reset the stream of ml-broken\n\s+at /);
  });
});

/** A request through node:http, which sends any method (fetch refuses TRACE). */
function rawRequest(method: string, path: string): Promise<{ status: number; allow?: string; body: ErrorBody }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${api.baseUrl}${path}`, { method }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, allow: res.headers.allow, body: JSON.parse(text) as ErrorBody }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('unsupported methods', () => {
  test('TRACE, PUT and PATCH are 405 with Allow and the error body, not 404', async () => {
    for (const method of ['PUT', 'PATCH']) {
      const error = await expectError(method, '/runs', 405, 'method_not_allowed');
      assert.equal(error.message, `method ${method} is not supported on /runs`);
    }
    const trace = await rawRequest('TRACE', '/runs/ml-x');
    assert.equal(trace.status, 405);
    assert.equal(trace.allow, 'GET, HEAD, OPTIONS');
    assert.equal(trace.body.error.code, 'method_not_allowed');
  });

  test('a method another path serves but this one does not is 405 with this path\'s Allow', async () => {
    for (const [method, path, allow] of [
      ['DELETE', '/runs', 'POST, GET, HEAD, OPTIONS'],
      ['POST', '/healthz', 'GET, HEAD, OPTIONS'],
      ['POST', '/models', 'GET, HEAD, OPTIONS'],
      ['DELETE', '/schedules', 'POST, GET, HEAD, OPTIONS'],
    ] as const) {
      const res = await rawRequest(method, path);
      assert.equal(res.status, 405, `${method} ${path}`);
      assert.equal(res.allow, allow, `${method} ${path}`);
      assert.equal(res.body.error.code, 'method_not_allowed');
    }
    assert.equal((await rawRequest('TRACE', '/nowhere')).status, 405, 'no route serves TRACE');
    assert.equal((await rawRequest('DELETE', '/nowhere')).status, 404, 'an unknown path is still a 404');
  });
});
