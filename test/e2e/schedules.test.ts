import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { SEARCH_ATTRIBUTES } from '../../contract';
import { findBinary } from '../../tools/temporal';
import { readExample } from '../helpers/fixtures';
import { pollUntil, startApiStack, type ApiStack } from '../helpers/apiStack';

const exec = promisify(execFile);

let stack: ApiStack;
before(async () => {
  stack = await startApiStack();
});
after(async () => {
  await stack?.stop();
});

interface ScheduleView {
  scheduleId: string;
  paused: boolean;
  pipeline?: string;
  recentRuns: { workflowId: string }[];
}

describe('schedules over HTTP (Temporal Schedules)', () => {
  test('create, trigger (a run appears), pause, list with the CLI, backfill, delete', async () => {
    const scheduleId = `nightly-${randomUUID().slice(0, 8)}`;
    const pipeline = `sched-${randomUUID().slice(0, 8)}`;
    const params = { ...(await readExample('iris-alert.json')), pipeline };
    const created = await stack.call<ScheduleView>('POST', '/schedules', { scheduleId, intervalSeconds: 86_400, params });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.pipeline, pipeline);
    assert.equal(created.body.paused, false);

    assert.equal((await stack.call('POST', `/schedules/${scheduleId}/trigger`, {})).status, 202);
    const runs = await pollUntil<{ runs: { workflowId: string }[] }>(stack, `/runs?pipeline=${pipeline}`, (p) => p.runs.length >= 1);
    assert.match(runs.runs[0].workflowId, new RegExp(`^ml-${pipeline}`));
    await pollUntil<ScheduleView>(stack, `/schedules/${scheduleId}`, (s) => s.recentRuns.length >= 1);

    const paused = await stack.call<ScheduleView>('POST', `/schedules/${scheduleId}/pause`, { note: 'maintenance' });
    assert.equal(paused.status, 201);
    assert.equal(paused.body.paused, true);

    const listed = await stack.call<{ schedules: { scheduleId: string }[] }>('GET', '/schedules');
    assert.ok(listed.body.schedules.some((s) => s.scheduleId === scheduleId));
    const cli = await findBinary('cli');
    assert.ok(cli);
    const { stdout } = await exec(cli, ['schedule', 'list', '--address', stack.env.address, '--output', 'json']);
    assert.ok((JSON.parse(stdout) as { scheduleId: string }[]).some((s) => s.scheduleId === scheduleId), stdout);

    const backfill = await stack.call('POST', `/schedules/${scheduleId}/backfill`, { start: '2026-01-01T00:00:00Z', end: '2026-01-02T12:00:00Z' });
    assert.equal(backfill.status, 202, backfill.text);
    const badRange = await stack.call<{ error: { message: string } }>('POST', `/schedules/${scheduleId}/backfill`, { start: '2026-01-02T00:00:00Z', end: '2026-01-01T00:00:00Z' });
    assert.equal(badRange.status, 400);
    assert.match(badRange.body.error.message, /end: start must be before end/);

    assert.equal((await stack.call('DELETE', `/schedules/${scheduleId}`)).status, 200);
    assert.equal((await stack.call('GET', `/schedules/${scheduleId}`)).status, 404);
  });

  test('scheduled runs follow allowConcurrentRuns and carry the same metadata as API runs', async () => {
    const pipeline = `ids-${randomUUID().slice(0, 8)}`;
    const example = { ...(await readExample('iris-alert.json')), pipeline };
    const runOf = async (params: object): Promise<string> => {
      const scheduleId = `ids-${randomUUID().slice(0, 8)}`;
      const created = await stack.call<ScheduleView>('POST', '/schedules', { scheduleId, intervalSeconds: 86_400, params, paused: true });
      assert.equal(created.status, 201, created.text);
      assert.equal((await stack.call('POST', `/schedules/${scheduleId}/trigger`, {})).status, 202);
      const { recentRuns } = await pollUntil<ScheduleView>(stack, `/schedules/${scheduleId}`, (s) => s.recentRuns.length >= 1);
      assert.equal((await stack.call('DELETE', `/schedules/${scheduleId}`)).status, 200);
      return recentRuns[0].workflowId;
    };
    // Temporal appends the scheduled time to the action's workflow id: `<id>-2026-01-01T00:00:00Z`.
    const at = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ';
    const single = await runOf(example);
    assert.match(single, new RegExp(`^ml-${pipeline}-${at}$`), 'without allowConcurrentRuns: the pipeline id');
    const own = new RegExp(`^(ml-${pipeline}-[0-9a-f-]{36})-${at}$`);
    const bases = [];
    for (let i = 0; i < 2; i++) {
      const id = await runOf({ ...example, allowConcurrentRuns: true });
      assert.match(id, own, 'with allowConcurrentRuns: an id of its own');
      bases.push(own.exec(id)![1]);
    }
    assert.notEqual(bases[0], bases[1]);

    const description = await stack.env.client.workflow.getHandle(single).describe();
    assert.deepEqual(description.memo, { pipeline, model: 'logistic_regression', dataset: 'iris.csv', target: 'species' });
    assert.equal(description.typedSearchAttributes.get(SEARCH_ATTRIBUTES.pipeline), pipeline);
    assert.equal(await description.staticSummary(), `${pipeline}: logistic_regression on iris.csv`);
  });

  test('a schedule needs exactly one of cron and interval, and a valid cron', async () => {
    const params = await readExample('iris.json');
    const both = await stack.call<{ error: { message: string } }>('POST', '/schedules', { scheduleId: 'x1', cron: '0 2 * * *', intervalSeconds: 60, params });
    assert.equal(both.status, 400);
    assert.match(both.body.error.message, /exactly one of cron and intervalSeconds/);
    const cron = await stack.call<{ error: { message: string } }>('POST', '/schedules', { scheduleId: 'x2', cron: 'rm -rf /; echo', params });
    assert.equal(cron.status, 400);
    assert.match(cron.body.error.message, /cron/);
    const ok = await stack.call<ScheduleView>('POST', '/schedules', { scheduleId: `cron-${randomUUID().slice(0, 8)}`, cron: '0 2 * * *', params, paused: true });
    assert.equal(ok.status, 201, ok.text);
    assert.equal(ok.body.paused, true);
    const dup = await stack.call('POST', '/schedules', { scheduleId: ok.body.scheduleId, cron: '0 3 * * *', params });
    assert.equal(dup.status, 409);
  });
});
