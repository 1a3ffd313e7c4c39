import assert from 'node:assert/strict';
import { after, before, describe, mock, test } from 'node:test';
import { startTestApi, type ErrorBody, type TestApi } from '../helpers/apiApp';

let api: TestApi;
before(async () => {
  api = await startTestApi({ API_RUNS_PER_MINUTE: '2', API_PREDICTIONS_PER_MINUTE: '1' });
});
after(async () => {
  await api?.close();
});

const statuses = async (n: number, method: string, path: string, body?: unknown): Promise<number[]> => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await api.call(method, path, body)).status);
  return out;
};

describe('rate limits (API_RUNS_PER_MINUTE, API_PREDICTIONS_PER_MINUTE)', () => {
  test('POST /runs and predict each have their own budget per client and minute; other routes none', async () => {
    mock.timers.enable({ apis: ['Date'], now: Date.now() });
    try {
      // Refused bodies count: the limit guards the API, whatever the request holds.
      assert.deepEqual(await statuses(3, 'POST', '/runs', { bad: true }), [400, 400, 429]);
      assert.deepEqual(await statuses(2, 'POST', '/models/x/predict', { rows: [{ a: 1 }] }), [404, 429]);
      assert.deepEqual(await statuses(3, 'GET', '/runs'), [200, 200, 200]);
      assert.deepEqual(await statuses(3, 'POST', '/schedules', { bad: true }), [400, 400, 400]);

      const limited = await api.call<ErrorBody>('POST', '/runs', { bad: true }, { 'x-request-id': 'limited-1' });
      assert.equal(limited.status, 429);
      assert.deepEqual(Object.keys(limited.body.error).sort(), ['code', 'message', 'requestId', 'status']);
      assert.equal(limited.body.error.code, 'too_many_requests');
      assert.equal(limited.body.error.requestId, 'limited-1');
      const retryAfter = Number(limited.headers.get('retry-after'));
      assert.ok(retryAfter > 0 && retryAfter <= 60, `retry-after ${retryAfter}`);
      assert.equal(limited.body.error.message, `rate limit exceeded; retry in ${retryAfter} s`);

      mock.timers.tick(61_000);
      assert.deepEqual(await statuses(3, 'POST', '/runs', { bad: true }), [400, 400, 429], 'a new minute, a new budget');
      assert.deepEqual(await statuses(1, 'POST', '/models/x/predict', { rows: [{ a: 1 }] }), [404]);
    } finally {
      mock.timers.reset();
    }
  });
});
