import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
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
