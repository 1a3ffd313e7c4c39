import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type ScheduleView } from '../../api/schedules/schedules.service';
import { INFERENCE_WORKFLOW_TYPE, InferenceParamsSchema, runKey, SEARCH_ATTRIBUTES, WORKFLOW_TYPE } from '../../contract';
import { ModelRegistry } from '../../storage/modelRegistry';
import { readExample } from '../helpers/fixtures';
import { startTestApi, type ErrorBody, type TestApi } from '../helpers/apiApp';

let api: TestApi;
before(async () => {
  api = await startTestApi();
  // A registered iris model in production: what the inference routes check names against.
  const registry = new ModelRegistry(api.store);
  const run = { pipeline: 'iris', workflowId: 'ml-iris', runId: 'r1' };
  const version = await registry.claimVersion({ model: 'iris', run, datasetFingerprint: 'x', params: {}, metrics: {}, registeredAt: new Date().toISOString() });
  await registry.putModel('iris', version, Buffer.from('{}'));
  await registry.promote('iris', version, new Date(), run);
});
after(async () => {
  await api?.close();
});

const fields = (body: ErrorBody): string[] => ((body.error.details ?? []) as { field: string }[]).map((d) => d.field);

describe('POST /inference-runs', () => {
  test('starts mlInference with the parsed params, its memo and the inference kind', async () => {
    const params = await readExample('iris-inference.json');
    const res = await api.call<{ workflowId: string }>('POST', '/inference-runs', params);
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.workflowId, 'ml-infer-iris-scoring');
    const run = api.temporal.workflows.find('ml-infer-iris-scoring')!;
    assert.equal(run.type, INFERENCE_WORKFLOW_TYPE);
    assert.deepEqual(run.args, [InferenceParamsSchema.parse(params)]);
    assert.equal((run.memo as { kind?: string }).kind, 'inference');
    assert.deepEqual(
      run.searchAttributes.map((a) => [a.key.name, a.value]),
      [
        [SEARCH_ATTRIBUTES.pipeline.name, 'iris-scoring'],
        [SEARCH_ATTRIBUTES.kind.name, 'inference'],
      ],
    );
  });

  test('a model the registry does not have is a 400 naming model.name; a missing pinned version names model.version', async () => {
    const unknown = await api.call<ErrorBody>('POST', '/inference-runs', { pipeline: 'p1', model: { name: 'nope' }, dataset: { source: 'iris-batch.csv' } });
    assert.equal(unknown.status, 400, unknown.text);
    assert.deepEqual(fields(unknown.body), ['model.name']);
    const version = await api.call<ErrorBody>('POST', '/inference-runs', { pipeline: 'p2', model: { name: 'iris', version: '9' }, dataset: { source: 'iris-batch.csv' } });
    assert.equal(version.status, 400, version.text);
    assert.deepEqual(fields(version.body), ['model.version']);
    assert.equal(api.temporal.workflows.find('ml-infer-p1'), undefined, 'nothing started');
  });

  test('an output format we do not write is a 400 naming output.format', async () => {
    const res = await api.call<ErrorBody>('POST', '/inference-runs', { pipeline: 'p3', model: { name: 'iris' }, dataset: { source: 'iris-batch.csv' }, output: { format: 'xlsx' } });
    assert.equal(res.status, 400, res.text);
    assert.deepEqual(fields(res.body), ['output.format']);
  });
});

describe('GET /inference-runs and predictions', () => {
  test('lists only inference runs (by workflow type); /runs keeps listing training runs', async () => {
    api.temporal.workflows.add({ workflowId: 'ml-train-only', type: WORKFLOW_TYPE });
    const res = await api.call<{ runs: { workflowId: string }[] }>('GET', '/inference-runs');
    assert.equal(res.status, 200, res.text);
    const ids = res.body.runs.map((r) => r.workflowId);
    assert.ok(ids.includes('ml-infer-iris-scoring'));
    assert.ok(!ids.includes('ml-train-only'));
    const training = await api.call<{ runs: { workflowId: string }[] }>('GET', '/runs');
    assert.ok(!training.body.runs.some((r) => r.workflowId === 'ml-infer-iris-scoring'));
  });

  test("streams the run's predictions file from the store with its content type; 404 before there is one", async () => {
    const run = api.temporal.workflows.add({ workflowId: 'ml-infer-done', type: INFERENCE_WORKFLOW_TYPE, memo: { pipeline: 'done' } });
    const missing = await api.call<ErrorBody>('GET', '/inference-runs/ml-infer-done/predictions');
    assert.equal(missing.status, 404, missing.text);
    const csv = `id,prediction\n${Array.from({ length: 50_000 }, (_, i) => `${i},setosa`).join('\n')}\n`;
    await api.store.put(runKey({ pipeline: 'done', workflowId: 'ml-infer-done', runId: run.runId }, 'predictions', 'predictions.csv'), csv);
    const res = await api.call('GET', '/inference-runs/ml-infer-done/predictions');
    assert.equal(res.status, 200);
    assert.match(String(res.headers.get('content-type')), /^text\/csv/);
    assert.match(String(res.headers.get('content-disposition')), /predictions\.csv/);
    assert.equal(res.text, csv);
  });

  test('a training run has no predictions route', async () => {
    api.temporal.workflows.add({ workflowId: 'ml-a-training', type: WORKFLOW_TYPE, memo: { pipeline: 'a' } });
    const res = await api.call<ErrorBody>('GET', '/inference-runs/ml-a-training/predictions');
    assert.equal(res.status, 404);
  });
});

describe('schedules of either workflow', () => {
  test('inferenceParams schedule mlInference runs; giving both params and inferenceParams is a 400', async () => {
    const inferenceParams = await readExample('iris-inference.json');
    const res = await api.call<ScheduleView>('POST', '/schedules', { scheduleId: 'nightly-scoring', cron: '0 3 * * *', inferenceParams });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.workflowType, INFERENCE_WORKFLOW_TYPE);
    assert.equal(res.body.pipeline, 'iris-scoring');
    const both = await api.call<ErrorBody>('POST', '/schedules', { scheduleId: 'both', cron: '0 3 * * *', inferenceParams, params: await readExample('iris.json') });
    assert.equal(both.status, 400);
    assert.deepEqual(fields(both.body), ['params']);
  });
});
