import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ApplicationFailure, WorkflowIdConflictPolicy } from '@temporalio/common';
import { type RunDetail, type RunSummary } from '../../api/runs/runView';
import { PipelineParamsSchema, SEARCH_ATTRIBUTES, TASK_QUEUES, WORKFLOW_TYPE, runKey, type PipelineResult, type PipelineStatus } from '../../contract';
import { ModelRegistry } from '../../storage/modelRegistry';
import { readExample } from '../helpers/fixtures';
import { API_KEY, startTestApi, type ErrorBody, type TestApi } from '../helpers/apiApp';

let api: TestApi;
before(async () => {
  api = await startTestApi();
});
after(async () => {
  await api?.close();
});

type Started = { workflowId: string; runId: string; links: RunDetail['links'] };
type Page = { runs: RunSummary[]; nextCursor: string | null };

function status(pipeline: string, overrides: Partial<PipelineStatus> = {}): PipelineStatus {
  return {
    pipeline,
    modelType: 'random_forest_classifier',
    stage: 'training',
    currentStep: 'train',
    steps: [{ name: 'train', state: 'running', attempt: 2, progress: { fraction: 0.5, message: 'tree 50/100' } }],
    artifacts: { ingested: `file:///store/runs/${pipeline}/ingested/data.parquet` },
    warnings: [],
    ...overrides,
  };
}

describe('POST /runs', () => {
  test('starts mlPipeline with the parsed params (defaults filled), memo, search attributes and the one-active-run id', async () => {
    const iris = await readExample('iris.json');
    const res = await api.call<Started>('POST', '/runs', iris);
    assert.equal(res.status, 201, res.text);
    const run = api.temporal.workflows.find('ml-iris');
    assert.ok(run?.startOptions);
    assert.equal(run.type, WORKFLOW_TYPE);
    assert.equal(run.taskQueue, TASK_QUEUES.light);
    assert.equal(run.startOptions.workflowIdConflictPolicy, WorkflowIdConflictPolicy.FAIL);
    assert.deepEqual(run.args, [PipelineParamsSchema.parse(iris)]);
    assert.deepEqual(run.memo, { pipeline: 'iris', model: 'random_forest_classifier', dataset: 'iris.csv', target: 'species' });
    assert.deepEqual(
      run.searchAttributes.map((a) => [a.key.name, a.value]),
      [
        [SEARCH_ATTRIBUTES.pipeline.name, 'iris'],
        [SEARCH_ATTRIBUTES.modelType.name, 'random_forest_classifier'],
        [SEARCH_ATTRIBUTES.kind.name, 'training'],
      ],
    );
    assert.deepEqual(res.body, {
      workflowId: 'ml-iris',
      runId: run.runId,
      links: {
        self: `/runs/ml-iris?runId=${run.runId}`,
        webUi: `http://ui.test:8233/namespaces/default/workflows/ml-iris/${run.runId}/history`,
        artifacts: {},
      },
    });
  });

  test('with allowConcurrentRuns each run gets its own workflow id', async () => {
    const params = { ...(await readExample('iris-alert.json')), pipeline: 'many', allowConcurrentRuns: true };
    const a = await api.call<Started>('POST', '/runs', params);
    const b = await api.call<Started>('POST', '/runs', params);
    assert.deepEqual([a.status, b.status], [201, 201]);
    assert.match(a.body.workflowId, /^ml-many-[0-9a-f-]{36}$/);
    assert.notEqual(a.body.workflowId, b.body.workflowId);
  });
});

describe('GET /runs/:id', () => {
  test('a running run whose status query gets no answer is a partial view from the server, never a 5xx', async () => {
    api.temporal.workflows.add({
      workflowId: 'ml-busy',
      memo: { pipeline: 'busy', model: 'random_forest_regressor' },
      searchAttributes: [{ key: SEARCH_ATTRIBUTES.stage, value: 'training' }],
    });
    const res = await api.call<RunDetail>('GET', '/runs/ml-busy');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.partial, true);
    assert.equal(res.body.run, null);
    assert.deepEqual([res.body.pipeline, res.body.modelType, res.body.stage], ['busy', 'random_forest_regressor', 'training']);
    assert.deepEqual(res.body.pending, []);
  });

  test('a running run is its status query: steps, progress, stage, artifact links, memo fields', async () => {
    const run = api.temporal.workflows.add({ workflowId: 'ml-live', memo: { pipeline: 'live', model: 'random_forest_classifier' }, statusAnswer: status('live') });
    const res = await api.call<RunDetail>('GET', '/runs/ml-live');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.status, 'running');
    assert.deepEqual([res.body.pipeline, res.body.modelType, res.body.stage, res.body.runId], ['live', 'random_forest_classifier', 'training', run.runId]);
    assert.equal(res.body.startTime, run.startTime.toISOString());
    assert.equal(res.body.closeTime, undefined);
    assert.deepEqual(res.body.run, status('live'));
    assert.deepEqual(res.body.links.artifacts, { ingested: `/runs/ml-live/artifacts/ingested/data.parquet?runId=${run.runId}` });
  });

  test('artifact links name the folder an artifact is in, whatever the status calls it', async () => {
    const artifacts = { ingested: 'file:///a/runs/p/ml-named/r/ingested/table.bin', comparison: 's3://b/runs/p/ml-named/r/evaluation/comparison.json' };
    const run = api.temporal.workflows.add({ workflowId: 'ml-named', memo: { pipeline: 'p', model: 'logistic_regression' }, statusAnswer: { ...status('p'), artifacts } });
    const res = await api.call<RunDetail>('GET', '/runs/ml-named');
    assert.deepEqual(res.body.links.artifacts, {
      ingested: `/runs/ml-named/artifacts/ingested/table.bin?runId=${run.runId}`,
      comparison: `/runs/ml-named/artifacts/evaluation/comparison.json?runId=${run.runId}`,
    });
  });

  test('URLs with credentials in a run (warnings, errors) are answered redacted', async () => {
    const leaky = status('leaky', { warnings: ['run summary not delivered: POST https://alice:pw@hooks.example.com/x?token=t0k failed'], error: 'GET https://data.example.com/a.csv?X-Amz-Signature=abc: 403' });
    api.temporal.workflows.add({ workflowId: 'ml-leaky', memo: { pipeline: 'leaky' }, statusAnswer: leaky });
    const res = await api.call<RunDetail>('GET', '/runs/ml-leaky');
    assert.equal(res.status, 200, res.text);
    assert.ok(!/alice|pw@|t0k|=abc/.test(res.text), res.text);
    assert.deepEqual(res.body.run?.warnings, ['run summary not delivered: POST https://***:***@hooks.example.com/x?token=*** failed']);
    assert.equal(res.body.run?.error, 'GET https://data.example.com/a.csv?X-Amz-Signature=***: 403');
  });

  test('a completed run is its result, asked for once: closed runs never change', async () => {
    const { currentStep: _, ...closed } = status('done', { stage: 'deployed', metrics: { accuracy: 0.97 } });
    const result: PipelineResult = {
      ...closed,
      decision: { metric: 'accuracy', value: 0.97, threshold: 0.9, passed: true, approval: 'not_required', action: 'deploy', reason: 'accuracy 0.97 >= 0.9' },
      outcome: 'deployed',
      reportUri: 'file:///store/report.html',
    };
    const run = api.temporal.workflows.add({ workflowId: 'ml-done', memo: { pipeline: 'done' }, status: 'COMPLETED', closeTime: new Date(), result });
    const first = await api.call<RunDetail>('GET', '/runs/ml-done');
    assert.equal(first.body.status, 'completed');
    assert.deepEqual(first.body.run, result);
    assert.equal(first.body.primaryMetric, 0.97);
    assert.equal(first.body.stage, 'deployed');
    run.result = { ...result, outcome: 'failed' };
    const again = await api.call<RunDetail>('GET', '/runs/ml-done');
    assert.equal(again.body.run?.outcome, 'deployed');
  });

  test('a closed run asked for by its run id is answered without a call to Temporal, and only under its own workflow id', async () => {
    const run = api.temporal.workflows.add({ workflowId: 'ml-kept', memo: { pipeline: 'kept' }, status: 'COMPLETED', closeTime: new Date(), result: status('kept', { stage: 'deployed' }) });
    assert.equal((await api.call<RunDetail>('GET', '/runs/ml-kept')).body.stage, 'deployed');
    run.describeError = new Error('the server is gone');
    const kept = await api.call<RunDetail>('GET', `/runs/ml-kept?runId=${run.runId}`);
    assert.equal(kept.status, 200, kept.text);
    assert.deepEqual([kept.body.runId, kept.body.stage], [run.runId, 'deployed']);
    const elsewhere = await api.call<RunDetail>('GET', `/runs/ml-other?runId=${run.runId}`);
    assert.equal(elsewhere.status, 404, elsewhere.text);
  });

  test('a failed run shows why (type and message of the cause) and the last status a worker gives', async () => {
    api.temporal.workflows.add({
      workflowId: 'ml-bad',
      memo: { pipeline: 'bad' },
      status: 'FAILED',
      closeTime: new Date(),
      failure: ApplicationFailure.nonRetryable('at least 5000 rows expected, got 150', 'DataValidationError'),
      statusAnswer: status('bad', { stage: 'failed', outcome: 'failed' }),
    });
    const res = await api.call<RunDetail>('GET', '/runs/ml-bad');
    assert.equal(res.body.status, 'failed');
    assert.equal(res.body.failure, 'DataValidationError: at least 5000 rows expected, got 150');
    assert.equal(res.body.run?.outcome, 'failed');
  });

  test('a closed run no worker can replay still shows its failure, with no status', async () => {
    api.temporal.workflows.add({ workflowId: 'ml-orphan', status: 'TERMINATED', closeTime: new Date(), failure: new Error('Terminated by operator') });
    const res = await api.call<RunDetail>('GET', '/runs/ml-orphan');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.status, 'terminated');
    assert.equal(res.body.run, null);
    assert.equal(res.body.failure, 'Terminated by operator');
  });

  test('?runId= picks an earlier run of the same workflow id', async () => {
    const old = api.temporal.workflows.add({ workflowId: 'ml-twice', status: 'COMPLETED', closeTime: new Date(), result: status('twice', { stage: 'not_deployed' }) });
    api.temporal.workflows.add({ workflowId: 'ml-twice', statusAnswer: status('twice') });
    assert.equal((await api.call<RunDetail>('GET', '/runs/ml-twice')).body.stage, 'training');
    const earlier = await api.call<RunDetail>('GET', `/runs/ml-twice?runId=${old.runId}`);
    assert.deepEqual([earlier.body.runId, earlier.body.stage], [old.runId, 'not_deployed']);
  });
});

describe('GET /runs', () => {
  test('filters become a visibility query; summaries come from search attributes; pages follow the cursor', async () => {
    const sa = (stage: string, metric: number) => [
      { key: SEARCH_ATTRIBUTES.pipeline, value: 'listed' },
      { key: SEARCH_ATTRIBUTES.modelType, value: 'logistic_regression' },
      { key: SEARCH_ATTRIBUTES.stage, value: stage },
      { key: SEARCH_ATTRIBUTES.primaryMetric, value: metric },
    ];
    for (let i = 0; i < 3; i++) {
      api.temporal.workflows.add({ workflowId: `ml-listed-${i}`, status: 'COMPLETED', startTime: new Date(Date.UTC(2026, 0, 1 + i)), closeTime: new Date(Date.UTC(2026, 0, 1 + i, 1)), searchAttributes: sa('deployed', 0.9 + i / 100) });
    }
    api.temporal.workflows.add({ workflowId: 'ml-listed-live', searchAttributes: sa('training', 0) });

    const first = await api.call<Page>('GET', '/runs?pipeline=listed&status=completed&modelType=logistic_regression&pageSize=2');
    assert.equal(first.status, 200, first.text);
    assert.equal(
      api.temporal.workflows.listRequests.at(-1)?.query,
      'WorkflowType = "mlPipeline" AND MlPipeline = "listed" AND MlModelType = "logistic_regression" AND ExecutionStatus = "Completed"',
    );
    assert.deepEqual(first.body.runs[0], {
      workflowId: 'ml-listed-2',
      runId: api.temporal.workflows.find('ml-listed-2')?.runId,
      status: 'completed',
      startTime: '2026-01-03T00:00:00.000Z',
      closeTime: '2026-01-03T01:00:00.000Z',
      pipeline: 'listed',
      modelType: 'logistic_regression',
      stage: 'deployed',
      primaryMetric: 0.92,
    });
    assert.ok(first.body.nextCursor);
    const second = await api.call<Page>('GET', `/runs?pipeline=listed&status=completed&pageSize=2&cursor=${first.body.nextCursor}`);
    assert.deepEqual(second.body.runs.map((r) => r.workflowId), ['ml-listed-0']);
    assert.equal(second.body.nextCursor, null);
    const running = await api.call<Page>('GET', '/runs?pipeline=listed&status=running');
    assert.deepEqual(running.body.runs.map((r) => [r.workflowId, r.status, r.stage]), [['ml-listed-live', 'running', 'training']]);
  });
});

describe('controlling a run', () => {
  test('cancel, approve and reject reach the running workflow; they answer 202', async () => {
    const run = api.temporal.workflows.add({ workflowId: 'ml-gate', memo: { pipeline: 'gate' } });
    const approve = await api.call('POST', '/runs/ml-gate/approve', { by: 'alice', comment: 'looks good' });
    assert.equal(approve.status, 202);
    assert.deepEqual(approve.body, { workflowId: 'ml-gate', decision: 'approved' });
    const reject = await api.call('POST', '/runs/ml-gate/reject', {});
    assert.deepEqual(reject.body, { workflowId: 'ml-gate', decision: 'rejected' });
    assert.deepEqual(run.signals, [
      { name: 'approveDeploy', args: [{ by: 'alice', comment: 'looks good' }] },
      { name: 'rejectDeploy', args: [{}] },
    ]);
    const cancel = await api.call('POST', '/runs/ml-gate/cancel');
    assert.equal(cancel.status, 202);
    assert.deepEqual(cancel.body, { workflowId: 'ml-gate', cancelRequested: true });
    assert.equal(run.cancelRequested, true);
  });
});

describe('reports and artifacts', () => {
  test("are read from the run's folder in the store, found by the memo's pipeline and the run id", async () => {
    const run = api.temporal.workflows.add({ workflowId: 'ml-art', memo: { pipeline: 'art' } });
    const ref = { pipeline: 'art', workflowId: 'ml-art', runId: run.runId };
    await api.store.put(runKey(ref, 'report', 'report.html'), Buffer.from('<h1>Outcome: deployed</h1>'));
    await api.store.put(runKey(ref, 'evaluation', 'evaluation.json'), Buffer.from('{"accuracy":0.97}'));
    const report = await api.call('GET', '/runs/ml-art/report');
    assert.equal(report.text, '<h1>Outcome: deployed</h1>');
    const evaluation = await api.call<{ accuracy: number }>('GET', '/runs/ml-art/artifacts/evaluation/evaluation.json');
    assert.deepEqual(evaluation.body, { accuracy: 0.97 });
  });

  test('run details, the report and artifacts are never cached (Cache-Control: no-store)', async () => {
    const run = api.temporal.workflows.add({ workflowId: 'ml-nostore', memo: { pipeline: 'nostore' } });
    const ref = { pipeline: 'nostore', workflowId: 'ml-nostore', runId: run.runId };
    await api.store.put(runKey(ref, 'report', 'report.html'), Buffer.from('<h1>r</h1>'));
    await api.store.put(runKey(ref, 'evaluation', 'evaluation.json'), Buffer.from('{}'));
    for (const path of ['/runs/ml-nostore', '/runs/ml-nostore/report', '/runs/ml-nostore/artifacts/evaluation/evaluation.json']) {
      const res = await api.call('GET', path);
      assert.equal(res.status, 200, `${path}: ${res.text}`);
      assert.equal(res.headers.get('cache-control'), 'no-store', path);
    }
  });

  test('an artifact is streamed with its length and type, and needs the API key unless reads are opened', async () => {
    const run = api.temporal.workflows.add({ workflowId: 'ml-data', memo: { pipeline: 'data' } });
    const ref = { pipeline: 'data', workflowId: 'ml-data', runId: run.runId };
    const table = Buffer.alloc(3 * 1024 * 1024 + 7, 'ab');
    await api.store.put(runKey(ref, 'ingested', 'table.bin'), table);
    const path = '/runs/ml-data/artifacts/ingested/table.bin';

    const anonymous = await api.anonymous<ErrorBody>('GET', path);
    assert.equal(anonymous.status, 401, anonymous.text);
    assert.equal(anonymous.body.error.message, 'missing x-api-key header');
    const wrong = await api.anonymous('GET', path, undefined, { 'x-api-key': 'wrong-key-0123456789' });
    assert.equal(wrong.status, 401);

    const res = await fetch(`${api.baseUrl}${path}`, { headers: { 'x-api-key': API_KEY } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-length'), String(table.length));
    assert.equal(res.headers.get('content-type'), 'application/octet-stream');
    assert.ok(Buffer.from(await res.arrayBuffer()).equals(table));
    const head = await fetch(`${api.baseUrl}${path}`, { method: 'HEAD', headers: { 'x-api-key': API_KEY } });
    assert.equal(head.headers.get('content-length'), String(table.length));

    const missing = await api.call<ErrorBody>('GET', '/runs/ml-data/artifacts/ingested/absent.bin');
    assert.equal(missing.status, 404, missing.text);

    // The report is the page people open from the run: it stays a plain read.
    await api.store.put(runKey(ref, 'report', 'report.html'), '<h1>ok</h1>');
    assert.equal((await api.anonymous('GET', '/runs/ml-data/report')).status, 200);

    const open = await startTestApi({ API_OPEN_READS: 'true' });
    try {
      const openRun = open.temporal.workflows.add({ workflowId: 'ml-data', memo: { pipeline: 'data' } });
      await open.store.put(runKey({ ...ref, runId: openRun.runId }, 'ingested', 'table.bin'), table);
      const opened = await open.anonymous('GET', path);
      assert.equal(opened.status, 200);
    } finally {
      await open.close();
    }
  });
});

describe('GET /models/:name', () => {
  test('the lineage params are answered with their URLs redacted', async () => {
    const registry = new ModelRegistry(api.store);
    const run = { pipeline: 'leaky', workflowId: 'ml-leaky-train', runId: 'r1' };
    const params = { dataset: { source: 'https://bob:hunter2@data.example.com/d.csv' }, notifications: { webhooks: ['https://hooks.example.com/x?secret=s3' ] } };
    await registry.claimVersion({ model: 'leaky', run, datasetFingerprint: 'x', params, metrics: {}, registeredAt: new Date().toISOString() });
    const res = await api.call<{ versions: { params: typeof params }[] }>('GET', '/models/leaky');
    assert.equal(res.status, 200, res.text);
    assert.ok(!/bob|hunter2|=s3/.test(res.text), res.text);
    assert.deepEqual(res.body.versions[0].params, { dataset: { source: 'https://***:***@data.example.com/d.csv' }, notifications: { webhooks: ['https://hooks.example.com/x?secret=***'] } });
  });
});
