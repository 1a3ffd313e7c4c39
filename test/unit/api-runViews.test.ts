import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type RunDetail } from '../../api/runs/runView';
import { type PipelineStatus } from '../../contract';
import { startTestApi, type TestApi } from '../helpers/apiApp';

let api: TestApi;
/** Describe calls made to the fake server, by workflow id. */
const describes: string[] = [];
before(async () => {
  // Long max ages, so that no view expires while a test runs: what is fetched again is what a write dropped.
  api = await startTestApi({ API_RUNNING_VIEW_MAX_AGE_MS: '60000', API_CLOSED_VIEW_MAX_AGE_MS: '60000' });
  const workflows = api.temporal.workflows;
  const handle = workflows.handle.bind(workflows);
  workflows.handle = (workflowId: string, runId?: string) => {
    const h = handle(workflowId, runId);
    return {
      ...h,
      describe: () => {
        describes.push(workflowId);
        return h.describe();
      },
    };
  };
});
after(async () => {
  await api?.close();
});

const status = (stage: PipelineStatus['stage']): PipelineStatus => ({
  pipeline: 'viewed',
  modelType: 'random_forest_classifier',
  stage,
  steps: [{ name: 'train', state: 'running', attempt: 1 }],
  artifacts: {},
  warnings: [],
});

const get = async (path: string) => {
  const res = await api.call<RunDetail>('GET', path);
  assert.equal(res.status, 200, res.text);
  return res.body;
};

describe('GET /runs/:id within the max age', () => {
  test('concurrent and repeated requests for a running run cost one describe; by run id it is a view of its own', async () => {
    const run = api.temporal.workflows.add({ workflowId: 'ml-viewed', memo: { pipeline: 'viewed' }, statusAnswer: status('training') });
    describes.length = 0;
    const views = await Promise.all(Array.from({ length: 5 }, () => get('/runs/ml-viewed')));
    assert.deepEqual(views.map((v) => v.stage), Array(5).fill('training'));
    run.statusAnswer = status('evaluating');
    assert.equal((await get('/runs/ml-viewed')).stage, 'training', 'within the max age, the view fetched before');
    assert.deepEqual(describes, ['ml-viewed']);
    assert.equal((await get(`/runs/ml-viewed?runId=${run.runId}`)).stage, 'evaluating');
    assert.equal(describes.length, 2);
  });

  test("this API's approve, reject and cancel drop the run's views: the next request sees the run as it is", async () => {
    const run = api.temporal.workflows.add({ workflowId: 'ml-decided', memo: { pipeline: 'viewed' }, statusAnswer: status('awaiting_approval') });
    for (const [action, stage] of [['approve', 'deploying'], ['reject', 'not_deployed'], ['cancel', 'reporting']] as const) {
      await get('/runs/ml-decided');
      await get(`/runs/ml-decided?runId=${run.runId}`);
      run.statusAnswer = status(stage);
      const res = await api.call('POST', `/runs/ml-decided/${action}`, action === 'cancel' ? undefined : {});
      assert.equal(res.status, 202, res.text);
      assert.equal((await get('/runs/ml-decided')).stage, stage, action);
      assert.equal((await get(`/runs/ml-decided?runId=${run.runId}`)).stage, stage, `${action}, by run id`);
    }
  });

  test('a closed run asked for by workflow id is kept, and a run this API starts under that id is seen at once', async () => {
    const params = { pipeline: 'rerun', dataset: { source: 'iris.csv', target: 'species' }, model: { type: 'logistic_regression' }, deploy: { metric: 'accuracy', threshold: 0.5 } };
    const first = await api.call<{ workflowId: string; runId: string }>('POST', '/runs', params);
    assert.equal(first.status, 201, first.text);
    const done = api.temporal.workflows.find(first.body.workflowId);
    assert.ok(done);
    Object.assign(done, { status: 'COMPLETED', closeTime: new Date(), result: { ...status('deployed'), outcome: 'deployed' } });
    describes.length = 0;
    assert.equal((await get(`/runs/${first.body.workflowId}`)).status, 'completed');
    assert.equal((await get(`/runs/${first.body.workflowId}`)).status, 'completed');
    assert.equal(describes.length, 1);
    const second = await api.call<{ workflowId: string; runId: string }>('POST', '/runs', params);
    assert.equal(second.status, 201, second.text);
    assert.equal(second.body.workflowId, first.body.workflowId);
    const now = await get(`/runs/${first.body.workflowId}`);
    assert.equal(now.runId, second.body.runId);
    assert.equal(now.status, 'running');
  });
});
