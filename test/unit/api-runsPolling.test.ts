import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type RunDetail } from '../../api/runs/runView';
import { type PipelineStatus } from '../../contract';
import { startTestApi, type TestApi } from '../helpers/apiApp';

let api: TestApi;
/** The order the API's describe and query calls started and ended in. */
const events: string[] = [];
before(async () => {
  // Every poll builds its view here (no max age): what each one asks Temporal is the subject.
  api = await startTestApi({ API_RUNNING_VIEW_MAX_AGE_MS: '0', API_CLOSED_VIEW_MAX_AGE_MS: '0' });
  const workflows = api.temporal.workflows;
  const handle = workflows.handle.bind(workflows);
  workflows.handle = (workflowId: string, runId?: string) => {
    const h = handle(workflowId, runId);
    const traced =
      <A extends unknown[], R>(name: string, call: (...args: A) => Promise<R>) =>
      async (...args: A): Promise<R> => {
        events.push(`${name} start`);
        try {
          return await call(...args);
        } finally {
          events.push(`${name} end`);
        }
      };
    return { ...h, describe: traced('describe', h.describe), query: traced('query', h.query) };
  };
});
after(async () => {
  await api?.close();
});

const status = (stage: PipelineStatus['stage'], state: 'running' | 'completed'): PipelineStatus => ({
  pipeline: 'polled',
  modelType: 'random_forest_classifier',
  stage,
  steps: [{ name: 'train', state, attempt: 1 }],
  artifacts: {},
  warnings: [],
});

describe('GET /runs/:id polled while the run runs', () => {
  test('a run seen running is asked for its status beside the describe, and answers what it says now', async () => {
    const run = api.temporal.workflows.add({ workflowId: 'ml-polled', memo: { pipeline: 'polled' }, statusAnswer: status('training', 'running') });
    events.length = 0;
    const first = await api.call<RunDetail>('GET', '/runs/ml-polled');
    assert.equal(first.body.stage, 'training');
    assert.deepEqual(events, ['describe start', 'describe end', 'query start', 'query end'], 'the first time, the describe says which run runs');

    run.statusAnswer = status('evaluating', 'completed');
    events.length = 0;
    const second = await api.call<RunDetail>('GET', '/runs/ml-polled');
    assert.equal(second.status, 200, second.text);
    assert.equal(second.body.stage, 'evaluating');
    assert.deepEqual(second.body.run, status('evaluating', 'completed'));
    assert.ok(events.indexOf('query start') < events.indexOf('describe end'), events.join(', '));
  });

  test('a run that closed since the last poll is answered from its result, not from the status asked beside the describe', async () => {
    const run = api.temporal.workflows.add({ workflowId: 'ml-closing', memo: { pipeline: 'polled' }, statusAnswer: status('training', 'running') });
    assert.equal((await api.call<RunDetail>('GET', '/runs/ml-closing')).body.status, 'running');
    Object.assign(run, { status: 'COMPLETED', closeTime: new Date(), result: { ...status('deployed', 'completed'), outcome: 'deployed', reportUri: 'file:///r' } });
    const closed = await api.call<RunDetail>('GET', '/runs/ml-closing');
    assert.equal(closed.status, 200, closed.text);
    assert.equal(closed.body.status, 'completed');
    assert.equal(closed.body.stage, 'deployed');
    assert.equal(closed.body.run?.outcome, 'deployed');
  });

  test('a run whose worker stops answering is still a partial view', async () => {
    const run = api.temporal.workflows.add({ workflowId: 'ml-gone', memo: { pipeline: 'polled' }, statusAnswer: status('training', 'running') });
    assert.equal((await api.call<RunDetail>('GET', '/runs/ml-gone')).body.partial, false);
    run.statusAnswer = undefined;
    const partial = await api.call<RunDetail>('GET', '/runs/ml-gone');
    assert.equal(partial.status, 200, partial.text);
    assert.equal(partial.body.partial, true);
    assert.equal(partial.body.run, null);
  });
});
