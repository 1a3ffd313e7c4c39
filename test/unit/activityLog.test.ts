import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { log } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { activityLogInterceptor } from '../../worker/activityLogInterceptor';
import { RecordingLogger } from '../helpers/activities';

const TASK_TOKEN = Buffer.alloc(300, 7);

/** Runs `body` as an activity of `activityType` with the worker's log interceptor; returns what it logged. */
async function logsOf(activityType: string, body: () => void): Promise<RecordingLogger> {
  const logger = new RecordingLogger();
  const env = new MockActivityEnvironment({ activityType, activityId: '3', taskToken: TASK_TOKEN }, { logger, interceptors: [activityLogInterceptor] });
  await env.run(() => Promise.resolve(body()));
  return logger;
}

describe('activity log lines', () => {
  test('carry the step and the ids of the attempt, not the task token', async () => {
    const logger = await logsOf('checkDataReady', () => {
      log.info('marker not there yet');
    });
    const meta = logger.entries.find((e) => e.message === 'marker not there yet')?.meta;
    assert.ok(meta, JSON.stringify(logger.entries));
    assert.equal(meta.step, 'waitForData');
    assert.equal(meta.activityId, '3');
    assert.equal(meta.activityType, 'checkDataReady');
    assert.ok('workflowId' in meta && 'attempt' in meta, JSON.stringify(meta));
    assert.equal('taskToken' in meta, false, JSON.stringify(meta));
    assert.doesNotMatch(JSON.stringify(meta), new RegExp(TASK_TOKEN.toString('base64').slice(0, 40)));
  });

  test("the SDK's own lines about the activity leave it out too", async () => {
    const logger = await logsOf('ingest', () => undefined);
    const sdkLines = logger.entries.filter((e) => e.meta?.activityType === 'ingest');
    assert.ok(sdkLines.length > 0, JSON.stringify(logger.entries));
    for (const line of sdkLines) assert.equal('taskToken' in (line.meta ?? {}), false, JSON.stringify(line));
  });
});
