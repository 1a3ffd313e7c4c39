import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type RunDetail } from '../../api/runs/runView';
import { type RunComparison } from '../../api/tracking/trackingCompare';
import { type TrackedRunPage } from '../../api/tracking/tracking.service';
import { readExample } from '../helpers/fixtures';
import { pollUntil, startApiStack, type ApiStack } from '../helpers/apiStack';

let stack: ApiStack;
before(async () => {
  stack = await startApiStack();
});
after(async () => {
  await stack?.stop();
});

describe('tracked runs over HTTP', () => {
  test('real runs with different forests are listed by metric, filtered by hyperparameter and compared', async () => {
    const pipeline = `tracked-${randomUUID().slice(0, 8)}`;
    const iris = await readExample('iris.json');
    const trees = [3, 40, 10];
    const started: { workflowId: string; runId: string }[] = [];
    for (const nTrees of trees) {
      const params = { ...iris, pipeline, allowConcurrentRuns: true, model: { type: 'random_forest_classifier', hyperparameters: { nTrees, seed: 1 } } };
      const res = await stack.call<{ workflowId: string; runId: string }>('POST', '/runs', params);
      assert.equal(res.status, 201, res.text);
      started.push(res.body);
    }
    for (const s of started) await pollUntil<RunDetail>(stack, `/runs/${s.workflowId}?runId=${s.runId}`, (r) => r.status !== 'running', 120_000);

    const page = await stack.call<TrackedRunPage>('GET', `/pipelines/${pipeline}/runs?sort=metrics.accuracy:desc,params.model.hyperparameters.nTrees:asc`);
    assert.equal(page.status, 200, page.text);
    assert.equal(page.body.total, 3);
    const accuracies = page.body.runs.map((r) => r.metrics.accuracy);
    assert.deepEqual(accuracies, [...accuracies].sort((a, b) => b - a));
    for (const r of page.body.runs) {
      assert.ok(started.some((s) => s.runId === r.runId && s.workflowId === r.workflowId));
      assert.equal(r.dataset.rows.ingested, 150);
      assert.equal((r.dataset.rows.train ?? 0) + (r.dataset.rows.test ?? 0), 150);
      assert.match(r.dataset.fingerprint ?? '', /^[0-9a-f]{64}$/);
      assert.ok((r.steps.train.seconds ?? -1) >= 0);
      assert.ok(r.artifacts.model);
      assert.ok(r.endedAt >= r.startedAt);
    }

    const big = await stack.call<TrackedRunPage>('GET', `/pipelines/${pipeline}/runs?filter=${encodeURIComponent('params.model.hyperparameters.nTrees>=10')}&sort=params.model.hyperparameters.nTrees`);
    assert.deepEqual(big.body.runs.map((r) => (r.params as { model: { hyperparameters: { nTrees: number } } }).model.hyperparameters.nTrees), [10, 40]);

    const cmp = await stack.call<RunComparison>('GET', `/pipelines/${pipeline}/runs/compare?runs=${started.map((s) => s.runId).join(',')}`);
    assert.equal(cmp.status, 200, cmp.text);
    assert.deepEqual(cmp.body.params.differing, [{ key: 'model.hyperparameters.nTrees', values: trees }]);
    const accuracy = cmp.body.metrics.find((m) => m.key === 'accuracy');
    assert.equal(accuracy?.values.length, 3);
    assert.equal(cmp.body.dataset.find((d) => d.key === 'fingerprint')?.same, true);

    const bad = await stack.call<{ error: { details: { field: string }[] } }>('GET', `/pipelines/${pipeline}/runs?sort=metrics.r2:desc`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.details[0].field, 'sort');
  });

  test('a failed run is tracked too: its outcome, error and the step that failed', async () => {
    const pipeline = `tracked-failed-${randomUUID().slice(0, 8)}`;
    const iris = await readExample('iris.json');
    const params = { ...iris, pipeline, validation: { ...(iris.validation as object), minRows: 1000 } };
    const started = await stack.call<{ workflowId: string; runId: string }>('POST', '/runs', params);
    assert.equal(started.status, 201, started.text);
    await pollUntil<RunDetail>(stack, `/runs/${started.body.workflowId}`, (r) => r.status !== 'running', 120_000);
    const failed = await stack.call<TrackedRunPage>('GET', `/pipelines/${pipeline}/runs?filter=outcome%3Dfailed`);
    assert.equal(failed.status, 200, failed.text);
    assert.equal(failed.body.total, 1);
    const [run] = failed.body.runs;
    assert.equal(run.runId, started.body.runId);
    assert.equal(run.steps.validate.state, 'failed');
    assert.equal(run.steps.train.state, 'skipped');
    assert.match(run.error ?? '', /ValidationFailed/);
    assert.equal(run.dataset.rows.ingested, 150);
  });
});
