import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { PipelineParamsSchema, SEARCH_ATTRIBUTES, TASK_QUEUES, WORKFLOW_TYPE } from '../../contract';
import { type ScheduleView } from '../../api/schedules/schedules.service';
import { readExample } from '../helpers/fixtures';
import { startTestApi, type TestApi } from '../helpers/apiApp';

let api: TestApi;
before(async () => {
  api = await startTestApi();
});
after(async () => {
  await api?.close();
});

describe('schedules over the fake Temporal', () => {
  test('a cron schedule: the action starts mlPipeline with the parsed params; the view reads back', async () => {
    const params = await readExample('iris.json');
    const res = await api.call<ScheduleView>('POST', '/schedules', { scheduleId: 'nightly', cron: '0 2 * * *', overlap: 'buffer_one', note: 'retrain', params });
    assert.equal(res.status, 201, res.text);
    const { options } = api.temporal.schedules.byId.get('nightly')!;
    assert.deepEqual(options.spec, { cronExpressions: ['0 2 * * *'], intervals: undefined });
    assert.equal(options.policies?.overlap, ScheduleOverlapPolicy.BUFFER_ONE);
    assert.deepEqual(options.state, { paused: false, note: 'retrain' });
    const action = options.action;
    assert.equal(action.workflowType, WORKFLOW_TYPE);
    assert.equal(action.taskQueue, TASK_QUEUES.light);
    assert.equal(action.workflowId, 'ml-iris');
    assert.deepEqual(action.args, [PipelineParamsSchema.parse(params)]);
    assert.equal((action.memo as { pipeline?: string }).pipeline, 'iris');
    const attrs = (action.typedSearchAttributes as { key: { name: string }; value: unknown }[]).map((a) => [a.key.name, a.value]);
    assert.deepEqual(attrs.slice(0, 2), [
      [SEARCH_ATTRIBUTES.pipeline.name, 'iris'],
      [SEARCH_ATTRIBUTES.modelType.name, 'random_forest_classifier'],
    ]);
    assert.deepEqual(
      { ...res.body, nextActionTimes: res.body.nextActionTimes.length },
      { scheduleId: 'nightly', paused: false, note: 'retrain', spec: { cronExpressions: ['0 2 * * *'] }, overlap: 'buffer_one', pipeline: 'iris', workflowType: WORKFLOW_TYPE, nextActionTimes: 1, recentRuns: [] },
    );
  });

  test('an interval schedule is in milliseconds; it can be created paused; the list shows both', async () => {
    const res = await api.call<ScheduleView>('POST', '/schedules', { scheduleId: 'hourly', intervalSeconds: 3600, paused: true, params: await readExample('diabetes.json') });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(api.temporal.schedules.byId.get('hourly')?.options.spec, { cronExpressions: undefined, intervals: [{ every: 3_600_000 }] });
    assert.equal(res.body.paused, true);
    assert.equal(res.body.overlap, 'skip');
    const list = await api.call<{ schedules: { scheduleId: string; paused: boolean }[] }>('GET', '/schedules');
    assert.deepEqual(
      list.body.schedules.map((s) => [s.scheduleId, s.paused]),
      [
        ['nightly', false],
        ['hourly', true],
      ],
    );
  });

  test('pause and unpause with a note; trigger with an overlap; a triggered run shows as a recent run', async () => {
    const paused = await api.call<ScheduleView>('POST', '/schedules/nightly/pause', { note: 'maintenance' });
    assert.deepEqual([paused.status, paused.body.paused, paused.body.note], [201, true, 'maintenance']);
    const unpaused = await api.call<ScheduleView>('POST', '/schedules/nightly/unpause', {});
    assert.equal(unpaused.body.paused, false);
    const trigger = await api.call('POST', '/schedules/nightly/trigger', { overlap: 'allow_all' });
    assert.equal(trigger.status, 202);
    assert.deepEqual(trigger.body, { scheduleId: 'nightly', triggered: true });
    await api.call('POST', '/schedules/nightly/trigger', {});
    assert.deepEqual(api.temporal.schedules.byId.get('nightly')?.triggers, [ScheduleOverlapPolicy.ALLOW_ALL, undefined]);
    const view = await api.call<ScheduleView>('GET', '/schedules/nightly');
    assert.equal(view.body.recentRuns.length, 2);
    assert.match(view.body.recentRuns[0].workflowId, /^ml-iris-\d{4}-/);
    assert.ok(api.temporal.workflows.find(view.body.recentRuns[0].workflowId));
  });

  test('backfill passes the range as dates and defaults to allow_all; delete removes the schedule', async () => {
    const res = await api.call('POST', '/schedules/nightly/backfill', { start: '2026-01-01T00:00:00Z', end: '2026-01-03T00:00:00+01:00' });
    assert.equal(res.status, 202, res.text);
    assert.deepEqual(res.body, { scheduleId: 'nightly', backfill: { start: '2026-01-01T00:00:00Z', end: '2026-01-03T00:00:00+01:00' } });
    assert.deepEqual(api.temporal.schedules.byId.get('nightly')?.backfills, [
      { start: new Date('2026-01-01T00:00:00Z'), end: new Date('2026-01-02T23:00:00Z'), overlap: ScheduleOverlapPolicy.ALLOW_ALL },
    ]);
    const deleted = await api.call('DELETE', '/schedules/nightly');
    assert.deepEqual([deleted.status, deleted.body], [200, { scheduleId: 'nightly', deleted: true }]);
    assert.equal((await api.call('GET', '/schedules/nightly')).status, 404);
  });
});
