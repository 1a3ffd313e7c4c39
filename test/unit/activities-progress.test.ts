import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type Client } from '@temporalio/client';
import { createActivities } from '../../activities';
import { stepProgressSignal, type StepProgressUpdate } from '../../contract';
import { testDeps } from '../helpers/fixtures';
import { activityEnv, activitySandbox, newRun, type ActivitySandbox } from '../helpers/activities';

interface SentSignal {
  readonly workflowId: string;
  readonly runId?: string;
  readonly name: string;
  readonly update: StepProgressUpdate;
}

/**
 * Stands in for the worker's Temporal client: records the `stepProgress` signals an activity sends
 * (or refuses them, as a server does when the workflow is gone).
 */
function signalClient(refuse = false): { client: Client; signals: SentSignal[] } {
  const signals: SentSignal[] = [];
  const fake = {
    withAbortSignal: <R>(_signal: AbortSignal, fn: () => Promise<R>): Promise<R> => fn(),
    workflow: {
      getHandle: (workflowId: string, runId?: string) => ({
        signal: (def: { name: string }, update: StepProgressUpdate): Promise<void> => {
          if (refuse) return Promise.reject(new Error('workflow execution already completed'));
          signals.push({ workflowId, runId, name: def.name, update });
          return Promise.resolve();
        },
      }),
    },
  };
  return { client: fake as unknown as Client, signals };
}

const EXECUTION = { workflowId: 'ml-iris', runId: 'wf-run-1' };

describe('activity progress signals', () => {
  let box: ActivitySandbox;
  before(async () => {
    box = await activitySandbox();
  });
  after(async () => {
    await box.sandbox.remove();
  });

  test('without a client (MockActivityEnvironment) a retried step logs a warning and completes', async () => {
    const { call, logger, heartbeats } = activityEnv({ attempt: 2 });
    const result = await call(box.activities.ingest, { run: newRun(), source: 'iris.csv' });
    assert.equal(result.rows, 150);
    const warnings = logger.entries.filter((e) => e.level === 'WARN' && e.message === 'progress signal not delivered');
    assert.ok(warnings.length >= 1, JSON.stringify(logger.entries));
    assert.equal(warnings[0].meta?.step, 'ingest');
    assert.ok(heartbeats.length >= 1, 'progress still heartbeats');
  });

  test('a retried step signals its attempt at once', async () => {
    const activities = createActivities(testDeps(box.sandbox, { progressIntervalMs: 60_000 }));
    const { client, signals } = signalClient();
    await activityEnv({ attempt: 3, workflowExecution: EXECUTION }, client).call(activities.ingest, { run: newRun(), source: 'iris.csv' });
    assert.deepEqual(signals, [{ ...EXECUTION, name: stepProgressSignal.name, update: { step: 'ingest', attempt: 3, progress: { message: 'attempt 3' } } }]);
  });

  test('a short first attempt sends no signal', async () => {
    const activities = createActivities(testDeps(box.sandbox, { progressIntervalMs: 60_000 }));
    const { client, signals } = signalClient();
    const { call, heartbeats } = activityEnv({ attempt: 1, workflowExecution: EXECUTION }, client);
    await call(activities.ingest, { run: newRun(), source: 'iris.csv' });
    assert.deepEqual(signals, []);
    assert.ok(heartbeats.length >= 1, 'it heartbeats all the same');
  });

  test('progress is signalled once the interval has passed', async () => {
    const activities = createActivities(testDeps(box.sandbox, { progressIntervalMs: 0 }));
    const { client, signals } = signalClient();
    await activityEnv({ attempt: 1, workflowExecution: EXECUTION }, client).call(activities.ingest, { run: newRun(), source: 'iris.csv' });
    assert.equal(signals.length, 1);
    assert.equal(signals[0].update.step, 'ingest');
    assert.equal(signals[0].update.progress?.fraction, 0.5);
  });

  test('a refused signal does not fail the step', async () => {
    const activities = createActivities(testDeps(box.sandbox, { progressIntervalMs: 0 }));
    const { client } = signalClient(true);
    const { call, logger } = activityEnv({ attempt: 2, workflowExecution: EXECUTION }, client);
    const result = await call(activities.ingest, { run: newRun(), source: 'iris.csv' });
    assert.equal(result.rows, 150);
    const warnings = logger.entries.filter((e) => e.level === 'WARN' && e.message === 'progress signal not delivered');
    assert.equal(warnings.length, 2, 'the attempt signal and the progress signal were both attempted');
    assert.match(String(warnings[0].meta?.error), /already completed/);
  });
});
