import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { contentTypeOf } from '../../api/common/contentType';
import { runKey } from '../../contract';
import { startTestApi, type TestApi } from '../helpers/apiApp';

let api: TestApi;
before(async () => {
  api = await startTestApi();
});
after(async () => {
  await api?.close();
});

describe('content types and security headers', () => {
  test('artifacts are served by extension, anything else as opaque bytes', async () => {
    const run = api.temporal.workflows.add({ workflowId: 'ml-types', memo: { pipeline: 'types' } });
    const ref = { pipeline: 'types', workflowId: 'ml-types', runId: run.runId };
    const files: [kind: 'report' | 'evaluation' | 'ingested' | 'model', file: string, type: string][] = [
      ['report', 'report.html', 'text/html; charset=utf-8'],
      ['report', 'report.md', 'text/markdown; charset=utf-8'],
      ['evaluation', 'evaluation.json', 'application/json; charset=utf-8'],
      ['ingested', 'rows.csv', 'text/csv; charset=utf-8'],
      ['ingested', 'data.parquet', 'application/octet-stream'],
      ['model', 'model.bin', 'application/octet-stream'],
    ];
    for (const [kind, file] of files) await api.store.put(runKey(ref, kind, file), Buffer.from(kind === 'evaluation' ? '{"a":1}' : `${file} bytes`));
    for (const [kind, file, type] of files) {
      const res = await api.call('GET', `/runs/ml-types/artifacts/${kind}/${file}`);
      assert.equal(res.status, 200, `${file}: ${res.text}`);
      assert.equal(res.headers.get('content-type'), type, file);
    }
    const report = await api.call('GET', '/runs/ml-types/report');
    assert.equal(report.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(report.text, 'report.html bytes');
  });

  test('contentTypeOf knows html, md, json and csv only', () => {
    assert.equal(contentTypeOf('a.tar.gz'), 'application/octet-stream');
    assert.equal(contentTypeOf('noextension'), 'application/octet-stream');
    assert.equal(contentTypeOf('x.JSON'), 'application/octet-stream');
  });

  test('JSON answers, Prometheus text, the docs page; helmet headers on all of them', async () => {
    const answers: [path: string, type: RegExp][] = [
      ['/runs', /^application\/json; charset=utf-8$/],
      ['/healthz', /^application\/json; charset=utf-8$/],
      ['/runs/ml-missing', /^application\/json; charset=utf-8$/],
      ['/metrics', /^text\/plain; charset=utf-8; version=0\.0\.4$/],
      ['/docs-json', /^application\/json/],
      ['/docs', /^text\/html/],
    ];
    for (const [path, type] of answers) {
      const res = await api.call('GET', path);
      assert.match(res.headers.get('content-type') ?? '', type, path);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
      assert.ok(res.headers.get('content-security-policy'), path);
      assert.equal(res.headers.get('x-powered-by'), null, path);
    }
  });
});

describe('health and readiness', () => {
  test('healthz is always ok; readyz is 200 while Temporal and the store answer, 503 naming what does not', async () => {
    assert.deepEqual((await api.anonymous('GET', '/healthz')).body, { status: 'ok' });
    const ready = await api.anonymous('GET', '/readyz');
    assert.deepEqual([ready.status, ready.body], [200, { ready: true, checks: { temporal: 'ok', store: 'ok' } }]);
    api.temporal.unreachable = new Error('14 UNAVAILABLE: connection refused');
    try {
      const down = await api.anonymous('GET', '/readyz');
      assert.deepEqual([down.status, down.body], [503, { ready: false, checks: { temporal: '14 UNAVAILABLE: connection refused', store: 'ok' } }]);
    } finally {
      api.temporal.unreachable = undefined;
    }
  });
});
