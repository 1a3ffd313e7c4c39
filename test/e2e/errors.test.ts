import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import { type ErrorBody } from '../../api/common/errorFilter';
import { readExample } from '../helpers/fixtures';
import { API_KEY, request, startApiStack, type ApiStack } from '../helpers/apiStack';

let stack: ApiStack;
before(async () => {
  stack = await startApiStack();
});
after(async () => {
  await stack?.stop();
});

// What only a real Temporal can show: its errors, as the SDK raises them, mapped to answers; readiness;
// the API process. Validation, auth, limits and error mapping themselves: test/unit/api-*.test.ts.
describe('API errors and ops against a real Temporal', () => {
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

  test('readiness and request metrics against the real server', async () => {
    const ready = await stack.call<{ ready: boolean; checks: Record<string, string> }>('GET', '/readyz');
    assert.deepEqual(ready.body, { ready: true, checks: { temporal: 'ok', store: 'ok' } });
    const metrics = await stack.call('GET', '/metrics');
    assert.match(metrics.text, /mlp_api_request_duration_seconds_bucket\{[^}]*route="\/readyz"[^}]*status="200"/);
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
