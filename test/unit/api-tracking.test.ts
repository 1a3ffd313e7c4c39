import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { buildTrackingRecord } from '../../activities/tracking/record';
import { type RunComparison } from '../../api/tracking/trackingCompare';
import { type TrackedRunPage, type TrackedRunView } from '../../api/tracking/tracking.service';
import { parsePipelineParams, trackingKeys, type Outcome, type TrackingRecord } from '../../contract';
import { readExample } from '../helpers/fixtures';
import { startTestApi, type ErrorBody, type TestApi } from '../helpers/apiApp';

let api: TestApi;
before(async () => {
  api = await startTestApi();
});
after(async () => {
  await api?.close();
});

interface Spec {
  readonly pipeline: string;
  readonly nTrees: number;
  readonly accuracy: number;
  readonly day: number;
  readonly outcome?: Outcome;
}

/** A record as the trackRun activity builds it, for a run of the iris example with its own trees, score and day. */
async function tracked(spec: Spec): Promise<TrackingRecord> {
  const iris = await readExample('iris.json');
  const params = parsePipelineParams({ ...iris, pipeline: spec.pipeline, model: { type: 'random_forest_classifier', hyperparameters: { nTrees: spec.nTrees, seed: 1 } } });
  const run = { pipeline: spec.pipeline, workflowId: `ml-${spec.pipeline}`, runId: randomUUID() };
  const startedAt = `2026-12-0${spec.day}T10:00:00.000Z`;
  const record = buildTrackingRecord({
    run,
    params,
    status: {
      pipeline: spec.pipeline,
      modelType: 'random_forest_classifier',
      stage: 'deployed',
      steps: [{ name: 'train', state: 'completed', attempt: 1, startedAt, endedAt: `2026-12-0${spec.day}T10:00:02.500Z` }],
      metrics: { accuracy: spec.accuracy, f1_macro: spec.accuracy - 0.01 },
      artifacts: { model: `file:///store/runs/${spec.pipeline}/model.json` },
      outcome: spec.outcome ?? 'deployed',
      warnings: [],
    },
    facts: { dataset: { fingerprint: 'abc', sourceBytes: 4000, rows: 150, columns: 5, format: 'csv' }, split: { train: 105, test: 45, dropped: 0, features: 4 } },
    startedAt,
    endedAt: `2026-12-0${spec.day}T10:00:05.000Z`,
  });
  await api.store.put(trackingKeys.run(spec.pipeline, run.runId), JSON.stringify(record));
  return record;
}

const err = (body: unknown) => (body as ErrorBody).error;

describe('GET /pipelines/:pipeline/runs', () => {
  const pipeline = 'forest';
  const records: TrackingRecord[] = [];
  before(async () => {
    records.push(await tracked({ pipeline, nTrees: 50, accuracy: 0.91, day: 1 }));
    records.push(await tracked({ pipeline, nTrees: 100, accuracy: 0.95, day: 2 }));
    records.push(await tracked({ pipeline, nTrees: 200, accuracy: 0.93, day: 3, outcome: 'not_deployed' }));
    await tracked({ pipeline: 'other', nTrees: 10, accuracy: 0.5, day: 1 });
  });

  test('newest first by default, with ids, params, metrics, data and links', async () => {
    const res = await api.call<TrackedRunPage>('GET', `/pipelines/${pipeline}/runs`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.total, 3);
    assert.deepEqual(res.body.runs.map((r) => r.runId), [records[2].runId, records[1].runId, records[0].runId]);
    const run = res.body.runs[2];
    assert.equal((run.params as { model: { hyperparameters: { nTrees: number } } }).model.hyperparameters.nTrees, 50);
    assert.deepEqual(run.dataset.rows, { ingested: 150, train: 105, test: 45, dropped: 0 });
    assert.equal(run.steps.train.seconds, 2.5);
    assert.equal(run.durationSeconds, 5);
    assert.equal(run.links.self, `/pipelines/${pipeline}/runs/${records[0].runId}`);
    assert.equal(run.links.run, `/runs/ml-${pipeline}?runId=${records[0].runId}`);
  });

  test('sorted by a metric, filtered by a hyperparameter and the outcome, paged', async () => {
    const best = await api.call<TrackedRunPage>('GET', `/pipelines/${pipeline}/runs?sort=metrics.accuracy:desc`);
    assert.deepEqual(best.body.runs.map((r) => r.metrics.accuracy), [0.95, 0.93, 0.91]);
    const big = await api.call<TrackedRunPage>('GET', `/pipelines/${pipeline}/runs?sort=metrics.accuracy&filter=${encodeURIComponent('params.model.hyperparameters.nTrees>=100')}`);
    assert.deepEqual(big.body.runs.map((r) => r.metrics.accuracy), [0.93, 0.95]);
    const both = await api.call<TrackedRunPage>('GET', `/pipelines/${pipeline}/runs?filter=${encodeURIComponent('params.model.hyperparameters.nTrees>=100')}&filter=outcome%3Ddeployed`);
    assert.deepEqual(both.body.runs.map((r) => r.runId), [records[1].runId]);
    const page = await api.call<TrackedRunPage>('GET', `/pipelines/${pipeline}/runs?sort=startedAt:asc&limit=2&offset=1`);
    assert.equal(page.body.total, 3);
    assert.deepEqual(page.body.runs.map((r) => r.runId), [records[1].runId, records[2].runId]);
    const since = await api.call<TrackedRunPage>('GET', `/pipelines/${pipeline}/runs?filter=${encodeURIComponent('startedAt>=2026-12-02')}`);
    assert.equal(since.body.total, 2);
  });

  test('a pipeline without tracked runs is a 404', async () => {
    const res = await api.call('GET', '/pipelines/never-ran/runs?sort=metrics.r2:desc');
    assert.equal(res.status, 404, res.text);
    assert.equal(err(res.body).code, 'tracked_pipeline_not_found');
  });

  test('bad sort and filter keys are 400s naming the parameter', async () => {
    const cases: [string, string, RegExp][] = [
      ['sort=nonsense.r2', 'sort', /unknown field "nonsense.r2"/],
      ['sort=metrics.r2:desc', 'sort', /no tracked run of this pipeline has the field "metrics.r2"; fields under metrics: metrics.accuracy, metrics.f1_macro/],
      ['sort=metrics.accuracy:up', 'sort', /not <field>\[:asc\|:desc\]/],
      [`filter=${encodeURIComponent('params.model.hyperparameters.trees>=100')}`, 'filter', /no tracked run of this pipeline has the field "params.model.hyperparameters.trees"/],
      [`filter=${encodeURIComponent('metrics.accuracy>=high')}`, 'filter', /metrics.accuracy is a number, "high" is not/],
      ['filter=metrics.accuracy', 'filter', /is not <field><op><value>/],
      ['limit=0', 'limit', /./],
    ];
    for (const [query, field, message] of cases) {
      const res = await api.call('GET', `/pipelines/${pipeline}/runs?${query}`);
      assert.equal(res.status, 400, `${query}: ${res.text}`);
      const issue = (err(res.body).details as { field: string; message: string }[])[0];
      assert.equal(issue.field, field, query);
      assert.match(issue.message, message, query);
    }
    assert.equal((await api.call('GET', '/pipelines/bad%20name/runs')).status, 400);
  });

  test('one tracked run, and 404 for a run the pipeline never tracked', async () => {
    const one = await api.call<TrackedRunView>('GET', `/pipelines/${pipeline}/runs/${records[0].runId}`);
    assert.equal(one.status, 200, one.text);
    assert.equal(one.body.metrics.accuracy, 0.91);
    const unknown = randomUUID();
    const res = await api.call('GET', `/pipelines/${pipeline}/runs/${unknown}`);
    assert.equal(res.status, 404);
    assert.equal(err(res.body).code, 'tracked_run_not_found');
    assert.match(err(res.body).message, new RegExp(unknown));
  });
});

describe('GET /pipelines/:pipeline/runs/compare', () => {
  const pipeline = 'compared';
  let a: TrackingRecord;
  let b: TrackingRecord;
  let c: TrackingRecord;
  before(async () => {
    a = await tracked({ pipeline, nTrees: 50, accuracy: 0.91, day: 1 });
    b = await tracked({ pipeline, nTrees: 100, accuracy: 0.95, day: 2 });
    c = await tracked({ pipeline, nTrees: 100, accuracy: 0.93, day: 3 });
  });

  test('params that differ, metrics side by side with the best, in the order asked', async () => {
    const res = await api.call<RunComparison>('GET', `/pipelines/${pipeline}/runs/compare?runs=${c.runId},${a.runId},${b.runId}`);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.runs.map((r) => r.runId), [c.runId, a.runId, b.runId]);
    assert.deepEqual(res.body.params.differing, [{ key: 'model.hyperparameters.nTrees', values: [100, 50, 100] }]);
    assert.ok(res.body.params.same > 10);
    const accuracy = res.body.metrics.find((m) => m.key === 'accuracy');
    assert.deepEqual(accuracy, { key: 'accuracy', values: [0.93, 0.91, 0.95], best: 2 });
    assert.deepEqual(res.body.dataset.find((d) => d.key === 'fingerprint'), { key: 'fingerprint', values: ['abc', 'abc', 'abc'], same: true });
    assert.deepEqual(res.body.stepSeconds, [{ key: 'train', values: [2.5, 2.5, 2.5] }]);
  });

  test('unknown runs are a 404 naming them; one run or a malformed id a 400 naming runs', async () => {
    const ghost = randomUUID();
    const missing = await api.call('GET', `/pipelines/${pipeline}/runs/compare?runs=${a.runId},${ghost}`);
    assert.equal(missing.status, 404, missing.text);
    assert.deepEqual(err(missing.body).details, { pipeline, runIds: [ghost] });
    for (const runs of [a.runId, `${a.runId},${a.runId}`, `${a.runId},not-a-run`]) {
      const res = await api.call('GET', `/pipelines/${pipeline}/runs/compare?runs=${runs}`);
      assert.equal(res.status, 400, `${runs}: ${res.text}`);
      assert.equal((err(res.body).details as { field: string }[])[0].field, 'runs');
    }
  });
});
