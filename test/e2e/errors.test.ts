import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import { readExample } from '../helpers/fixtures';
import { API_KEY, request, startApiStack, type ApiStack } from '../helpers/apiStack';

let stack: ApiStack;
before(async () => {
  stack = await startApiStack({ API_BODY_LIMIT_BYTES: '4096' });
});
after(async () => {
  await stack?.stop();
});

type ErrorBody = { error: { status: number; code: string; message: string; details?: unknown; requestId: string } };

describe('API errors, auth, limits and ops', () => {
  test('a bad body is a 400 naming each bad field, with the same error shape and a request id', async () => {
    const res = await stack.call<ErrorBody>(
      'POST',
      '/runs',
      { pipeline: 'has spaces', dataset: { source: 'iris.csv', target: 'species' }, model: { type: 'svm' }, deploy: { metric: 'accuracy', threshold: 'high' }, extra: 1 },
      { 'x-request-id': 'req-123' },
    );
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'validation_failed');
    assert.equal(res.body.error.requestId, 'req-123');
    assert.equal(res.headers.get('x-request-id'), 'req-123');
    for (const field of ['pipeline', 'model.type', 'deploy.threshold', 'extra']) assert.match(res.body.error.message, new RegExp(`${field.replace('.', '\\.')}:`));
    const fields = (res.body.error.details as { field: string }[]).map((d) => d.field);
    assert.ok(fields.includes('extra'));
  });

  test('bounded numbers and strings are refused, malformed JSON is a 400, too large a body a 413', async () => {
    const iris = await readExample('iris.json');
    const many = await stack.call<ErrorBody>('POST', '/runs', { ...iris, pipeline: 'p', model: { type: 'random_forest_classifier', hyperparameters: { nTrees: 1e9 } } });
    assert.equal(many.status, 400);
    assert.match(many.body.error.message, /model\.hyperparameters\.nTrees/);
    const long = await stack.call<ErrorBody>('POST', '/runs', { ...iris, pipeline: 'x'.repeat(100) });
    assert.equal(long.status, 400);
    const bad = await stack.call<ErrorBody>('POST', '/runs', '{"pipeline": ');
    assert.equal(bad.status, 400);
    assert.ok(bad.body.error.requestId);
    const big = await stack.call<ErrorBody>('POST', '/runs', { ...iris, padding: 'x'.repeat(10_000) });
    assert.equal(big.status, 413);
    const list = await stack.call<ErrorBody>('GET', '/runs?status=sleeping&pageSize=1000');
    assert.equal(list.status, 400);
    assert.match(list.body.error.message, /status/);
    assert.match(list.body.error.message, /pageSize/);
  });

  test('404 for unknown runs, schedules, models and routes; 409 naming the active run', async () => {
    for (const path of ['/runs/ml-nope', '/runs/ml-nope/report', '/schedules/nope', '/models/nope', '/nothing-here']) {
      const res = await stack.call<ErrorBody>('GET', path);
      assert.equal(res.status, 404, `${path}: ${res.text}`);
      assert.ok(res.body.error?.requestId, `${path}: ${res.text}`);
    }
    assert.equal((await stack.call('POST', '/runs/ml-nope/cancel')).status, 404);
    const params = { ...(await readExample('iris-approval.json')), pipeline: `single-${randomUUID().slice(0, 8)}` };
    const first = await stack.call<{ workflowId: string; runId: string }>('POST', '/runs', params);
    assert.equal(first.status, 201);
    const second = await stack.call<ErrorBody>('POST', '/runs', params);
    assert.equal(second.status, 409);
    assert.equal(second.body.error.code, 'run_already_active');
    assert.match(second.body.error.message, new RegExp(first.body.workflowId));
    assert.deepEqual(second.body.error.details, { workflowId: first.body.workflowId, runId: first.body.runId });
    await stack.call('POST', `/runs/${first.body.workflowId}/cancel`);
  });

  test('mutating endpoints need the API key; reads are open', async () => {
    const noKey = await request<ErrorBody>(stack.baseUrl, 'POST', '/runs', await readExample('iris.json'));
    assert.equal(noKey.status, 401);
    assert.match(noKey.body.error.message, /x-api-key/);
    const wrong = await request<ErrorBody>(stack.baseUrl, 'POST', '/models/x/rollback', {}, { 'x-api-key': 'wrong-key-0000000000' });
    assert.equal(wrong.status, 401);
    for (const path of ['/schedules/x/pause', '/runs/x/approve', '/models/x/predict']) {
      assert.equal((await request(stack.baseUrl, 'POST', path, {})).status, 401, path);
    }
    assert.equal((await request(stack.baseUrl, 'DELETE', '/schedules/x')).status, 401);
    assert.equal((await request(stack.baseUrl, 'GET', '/runs')).status, 200);
    const closedReads = await stack.extraApi({ API_READ_REQUIRES_KEY: 'true' });
    try {
      assert.equal((await request(closedReads.baseUrl, 'GET', '/runs')).status, 401);
      assert.equal((await request(closedReads.baseUrl, 'GET', '/runs', undefined, { 'x-api-key': API_KEY })).status, 200);
      assert.equal((await request(closedReads.baseUrl, 'GET', '/healthz')).status, 200);
    } finally {
      await closedReads.close();
    }
    const keyless = await stack.extraApi({ API_KEY: undefined });
    try {
      const res = await request<ErrorBody>(keyless.baseUrl, 'POST', '/runs', {}, { 'x-api-key': API_KEY });
      assert.equal(res.status, 401);
      assert.match(res.body.error.message, /none is configured/);
    } finally {
      await keyless.close();
    }
  });

  test('POST /runs and predict are rate limited per client', async () => {
    const limited = await stack.extraApi({ API_RUNS_PER_MINUTE: '2', API_PREDICTIONS_PER_MINUTE: '1' });
    try {
      const headers = { 'x-api-key': API_KEY };
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await request(limited.baseUrl, 'POST', '/runs', { bad: true }, headers)).status);
      assert.deepEqual(statuses, [400, 400, 429]);
      const predict = [];
      for (let i = 0; i < 2; i++) predict.push(await request<ErrorBody>(limited.baseUrl, 'POST', '/models/x/predict', { rows: [{ a: 1 }] }, headers));
      assert.deepEqual(predict.map((r) => r.status), [404, 429]);
      assert.ok(Number(predict[1].headers.get('retry-after')) > 0);
      assert.equal((await request(limited.baseUrl, 'GET', '/runs')).status, 200);
    } finally {
      await limited.close();
    }
  });

  test('security headers, health, readiness, metrics and the OpenAPI document from the zod schemas', async () => {
    const health = await stack.call('GET', '/healthz');
    assert.equal(health.status, 200);
    assert.equal(health.headers.get('x-content-type-options'), 'nosniff');
    assert.ok(health.headers.get('content-security-policy'));
    const ready = await stack.call<{ ready: boolean; checks: Record<string, string> }>('GET', '/readyz');
    assert.deepEqual(ready.body, { ready: true, checks: { temporal: 'ok', store: 'ok' } });
    const metrics = await stack.call('GET', '/metrics');
    assert.match(metrics.text, /mlp_api_request_duration_seconds_bucket\{[^}]*route="\/healthz"[^}]*status="200"/);
    assert.match(metrics.text, /mlp_api_process_cpu_seconds_total/);
    const doc = await stack.call<{ openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, { properties?: Record<string, unknown> }> } }>(
      'GET',
      '/docs-json',
    );
    assert.match(doc.body.openapi, /^3\./);
    for (const path of ['/runs', '/runs/{id}', '/runs/{id}/approve', '/schedules', '/schedules/{id}/backfill', '/models/{name}/predict', '/readyz']) {
      assert.ok(doc.body.paths[path], `missing ${path}`);
    }
    const runBody = doc.body.components.schemas.CreateRunDto;
    assert.ok(runBody?.properties?.pipeline && runBody.properties.model && runBody.properties.deploy, JSON.stringify(runBody).slice(0, 300));
    const ui = await stack.call('GET', '/docs');
    assert.equal(ui.status, 200);
    assert.match(ui.text, /swagger/i);
  });
});

describe('API process', () => {
  test('logs JSON lines with the request id and workflow id, and exits cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'api/main.ts'], {
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', API_KEY, TEMPORAL_ADDRESS: stack.env.address, ARTIFACT_ROOT: stack.sandbox.artifactRoot },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    try {
      const deadline = Date.now() + 30_000;
      while (!/"API listening"/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const url = (JSON.parse(out.split('\n').find((l) => l.includes('API listening'))!) as { url: string }).url.replace('[::1]', '127.0.0.1');
      const started = await request<{ workflowId: string }>(url, 'POST', '/runs', { ...(await readExample('iris-alert.json')), pipeline: `proc-${randomUUID().slice(0, 8)}` }, {
        'x-api-key': API_KEY,
        'x-request-id': 'proc-req-1',
      });
      assert.equal(started.status, 201, started.text);
      await new Promise((r) => setTimeout(r, 100));
      const line = out.split('\n').find((l) => l.includes('"proc-req-1"'));
      assert.ok(line, out);
      const entry = JSON.parse(line) as Record<string, unknown>;
      assert.deepEqual([entry.level, entry.method, entry.status, entry.workflowId], ['info', 'POST', 201, started.body.workflowId]);
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      assert.equal(code, 0, out);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
