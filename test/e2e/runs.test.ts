import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
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

const unique = (name: string) => `${name}-${randomUUID().slice(0, 8)}`;
const closed = (r: RunDetail) => r.status !== 'running';

describe('runs over HTTP', () => {
  test('start a run, poll it to completion, read its report and artifacts', async () => {
    const pipeline = unique('iris');
    const started = await stack.call<{ workflowId: string; runId: string; links: { self: string; webUi: string } }>('POST', '/runs', {
      ...(await readExample('iris.json')),
      pipeline,
    });
    assert.equal(started.status, 201, started.text);
    assert.equal(started.body.workflowId, `ml-${pipeline}`);
    assert.match(started.body.links.webUi, new RegExp(`/namespaces/default/workflows/ml-${pipeline}/${started.body.runId}/history$`));
    // No report link before the report exists: the link would answer 404.
    assert.equal('report' in started.body.links, false);
    const run = await pollUntil<RunDetail>(stack, `/runs/${started.body.workflowId}`, closed);
    assert.equal(run.status, 'completed');
    assert.equal(run.run?.outcome, 'deployed');
    assert.ok(run.run.metrics!.accuracy >= 0.9);
    assert.equal(run.pipeline, pipeline);
    assert.ok(run.links.report, 'a finished run links its report');
    const report = await stack.call('GET', run.links.report.replace(/\?.*/, ''));
    assert.equal(report.status, 200);
    assert.match(report.headers.get('content-type') ?? '', /text\/html/);
    assert.match(report.text, /Outcome: deployed/);
    assert.match(report.text, /<figure class="chart"><figcaption>Confusion matrix[^<]*<\/figcaption><svg /, 'the report draws its charts inline');
    assert.deepEqual(run.run.featureImportances?.features.map((f) => f.feature).sort(), ['petal_length', 'petal_width', 'sepal_length', 'sepal_width']);
    assert.equal(run.run.featureImportances?.method, 'permutation');
    const evaluation = await stack.call<{ confusionMatrix: number[][] }>('GET', run.links.artifacts.evaluation);
    assert.equal(evaluation.status, 200, evaluation.text);
    assert.equal(evaluation.body.confusionMatrix.length, 3);
  });

  test('list and filter runs, page by page with a cursor', async () => {
    const pipeline = unique('listing');
    const params = { ...(await readExample('iris-alert.json')), pipeline, allowConcurrentRuns: true };
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await stack.call<{ workflowId: string }>('POST', '/runs', params)).body.workflowId);
    for (const id of ids) await pollUntil<RunDetail>(stack, `/runs/${id}`, closed);
    type Page = { runs: { workflowId: string; pipeline: string; status: string }[]; nextCursor: string | null };
    const all = await pollUntil<Page>(stack, `/runs?pipeline=${pipeline}&status=completed`, (p) => p.runs.length === 3);
    assert.deepEqual(all.runs.map((r) => r.workflowId).sort(), [...ids].sort());
    assert.ok(all.runs.every((r) => r.pipeline === pipeline && r.status === 'completed'));
    const first = await stack.call<Page>('GET', `/runs?pipeline=${pipeline}&pageSize=2`);
    assert.equal(first.body.runs.length, 2);
    assert.ok(first.body.nextCursor);
    const second = await stack.call<Page>('GET', `/runs?pipeline=${pipeline}&pageSize=2&cursor=${first.body.nextCursor}`);
    assert.equal(second.body.runs.length, 1);
    const seen = [...first.body.runs, ...second.body.runs].map((r) => r.workflowId).sort();
    assert.deepEqual(seen, [...ids].sort());
    const none = await stack.call<Page>('GET', `/runs?pipeline=${pipeline}&modelType=linear_regression`);
    assert.equal(none.body.runs.length, 0);
  });

  test('a cursor that is no page token of the server is a 400 naming cursor', async () => {
    // Matches the cursor pattern, so only the real server can tell it is no token (it answered 500).
    const res = await stack.call<{ error: { status: number; code: string; message: string } }>('GET', '/runs?cursor=abc');
    assert.equal(res.status, 400, res.text);
    assert.equal(res.body.error.status, 400);
    assert.match(res.body.error.message, /cursor/);
  });

  test('approve one gated run and reject another', async () => {
    const params = await readExample('iris-approval.json');
    const a = (await stack.call<{ workflowId: string }>('POST', '/runs', { ...params, pipeline: unique('gate-a') })).body.workflowId;
    const r = (await stack.call<{ workflowId: string }>('POST', '/runs', { ...params, pipeline: unique('gate-r') })).body.workflowId;
    for (const id of [a, r]) await pollUntil<RunDetail>(stack, `/runs/${id}`, (d) => d.run?.stage === 'awaiting_approval');
    assert.equal((await stack.call('POST', `/runs/${a}/approve`, { by: 'alice' })).status, 202);
    assert.equal((await stack.call('POST', `/runs/${r}/reject`, { by: 'bob', comment: 'not now' })).status, 202);
    const approved = await pollUntil<RunDetail>(stack, `/runs/${a}`, closed);
    const rejected = await pollUntil<RunDetail>(stack, `/runs/${r}`, closed);
    assert.equal(approved.run?.outcome, 'deployed');
    assert.equal(approved.run?.decision?.approval, 'approved');
    assert.equal(rejected.run?.outcome, 'not_deployed');
    assert.match(rejected.run?.decision?.reason ?? '', /rejected by bob: not now/);
    const again = await stack.call<{ error: { code: string } }>('POST', `/runs/${a}/approve`, {});
    assert.equal(again.status, 409);
  });

  test('cancel a run mid-way: it ends cancelled with a report that says so', async () => {
    const id = (await stack.call<{ workflowId: string }>('POST', '/runs', { ...(await readExample('iris-approval.json')), pipeline: unique('cancel') })).body
      .workflowId;
    await pollUntil<RunDetail>(stack, `/runs/${id}`, (d) => d.run?.stage === 'awaiting_approval');
    const cancel = await stack.call('POST', `/runs/${id}/cancel`);
    assert.equal(cancel.status, 202, cancel.text);
    const run = await pollUntil<RunDetail>(stack, `/runs/${id}`, closed);
    assert.equal(run.status, 'cancelled');
    assert.equal(run.run?.outcome, 'cancelled');
    const report = await stack.call('GET', `/runs/${id}/report`);
    assert.match(report.text, /Outcome: cancelled/);
  });

  test('a run that fails validation shows as failed with every failed expectation', async () => {
    const id = (
      await stack.call<{ workflowId: string }>('POST', '/runs', { ...(await readExample('iris.json')), pipeline: unique('invalid'), validation: { minRows: 5000, notNull: ['nope'] } })
    ).body.workflowId;
    const run = await pollUntil<RunDetail>(stack, `/runs/${id}`, closed);
    assert.equal(run.status, 'failed');
    assert.match(run.failure ?? '', /at least 5000 rows/);
    assert.match(run.failure ?? '', /nope/);
    assert.equal(run.run?.outcome, 'failed');
  });
});
