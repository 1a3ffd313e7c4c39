import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { API_KEY, startTestApi, type ErrorBody, type TestApi } from '../helpers/apiApp';

type OpenApi = { paths: Record<string, Record<string, unknown>> };

/** Every mutating route the app documents, with its path parameters filled in. */
async function mutatingRoutes(api: TestApi): Promise<{ method: string; path: string }[]> {
  const doc = (await api.anonymous<OpenApi>('GET', '/docs-json')).body;
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops)
      .filter((m) => m !== 'get')
      .map((m) => ({ method: m.toUpperCase(), path: path.replace(/\{(\w+)\}/g, 'x') })),
  );
}

let api: TestApi;
before(async () => {
  api = await startTestApi();
});
after(async () => {
  await api?.close();
});

describe('API key guard', () => {
  test('every mutating route refuses a missing or wrong key with 401 before doing anything', async () => {
    const routes = await mutatingRoutes(api);
    for (const known of ['POST /runs', 'POST /runs/x/cancel', 'POST /schedules', 'DELETE /schedules/x', 'POST /models/x/predict']) {
      assert.ok(routes.some((r) => `${r.method} ${r.path}` === known), known);
    }
    for (const { method, path } of routes) {
      const missing = await api.anonymous<ErrorBody>(method, path, {});
      assert.equal(missing.status, 401, `${method} ${path}: ${missing.text}`);
      assert.deepEqual([missing.body.error.code, missing.body.error.message], ['unauthorized', 'missing x-api-key header'], `${method} ${path}`);
      const wrong = await api.anonymous<ErrorBody>(method, path, {}, { 'x-api-key': `${API_KEY.slice(0, -1)}X` });
      assert.equal(wrong.status, 401, `${method} ${path}`);
      assert.equal(wrong.body.error.message, 'invalid x-api-key', `${method} ${path}`);
      const shorter = await api.anonymous<ErrorBody>(method, path, {}, { 'x-api-key': API_KEY.slice(0, 8) });
      assert.equal(shorter.status, 401, `${method} ${path}`);
    }
    assert.equal(api.temporal.workflows.all.length, 0);
    assert.equal(api.temporal.schedules.byId.size, 0);
  });

  test('the right key passes the guard on every mutating route', async () => {
    for (const { method, path } of await mutatingRoutes(api)) {
      const res = await api.call(method, path, {});
      assert.notEqual(res.status, 401, `${method} ${path}: ${res.text}`);
    }
  });

  test('reads are open by default, and an API key in a read is not checked', async () => {
    for (const path of ['/runs', '/schedules', '/models', '/healthz', '/docs-json']) {
      assert.equal((await api.anonymous('GET', path)).status, 200, path);
    }
    assert.equal((await api.anonymous('GET', '/runs', undefined, { 'x-api-key': 'wrong' })).status, 200);
  });
});

describe('API key in the OpenAPI document', () => {
  test('the apiKey scheme and a 401 are on every operation that needs the key, and on no open read', async () => {
    type Op = { security?: Record<string, string[]>[]; responses?: Record<string, unknown> };
    const doc = (await api.anonymous<{ paths: Record<string, Record<string, Op>> }>('GET', '/docs-json')).body;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const needsKey = method !== 'get' || path.includes('/artifacts/') || path.endsWith('/predictions');
        const secured = (op.security ?? []).some((s) => Object.hasOwn(s, 'apiKey'));
        assert.equal(secured, needsKey, `${method.toUpperCase()} ${path}`);
        assert.equal(Object.hasOwn(op.responses ?? {}, '401'), needsKey, `${method.toUpperCase()} ${path}: 401`);
      }
    }
  });
});

describe('API key guard, other settings', () => {
  test('with API_READ_REQUIRES_KEY reads need the key too, except the health probes', async () => {
    const closed = await startTestApi({ API_READ_REQUIRES_KEY: 'true' });
    try {
      for (const path of ['/runs', '/schedules', '/models', '/metrics']) {
        const res = await closed.anonymous<ErrorBody>('GET', path);
        assert.equal(res.status, 401, path);
        assert.equal(res.body.error.code, 'unauthorized');
        assert.equal((await closed.call('GET', path)).status, 200, path);
      }
      assert.equal((await closed.anonymous('GET', '/healthz')).status, 200);
      assert.equal((await closed.anonymous('GET', '/readyz')).status, 200);
    } finally {
      await closed.close();
    }
  });

  test('without a configured key, writes are closed whatever key is sent', async () => {
    const keyless = await startTestApi({ API_KEY: undefined });
    try {
      const res = await keyless.call<ErrorBody>('POST', '/runs', {});
      assert.equal(res.status, 401);
      assert.match(res.body.error.message, /none is configured \(set API_KEY\)/);
      assert.equal((await keyless.anonymous('GET', '/runs')).status, 200);
    } finally {
      await keyless.close();
    }
  });
});
