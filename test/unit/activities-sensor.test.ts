import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout } from 'node:timers/promises';
import { ApplicationFailure, ApplicationFailureCategory, CancelledFailure } from '@temporalio/common';
import { FAILURE_TYPES } from '../../contract';
import { startHttpServer } from '../helpers/httpServer';
import { activityEnv, activitySandbox, assertNonRetryable, rejectionOf, type ActivitySandbox } from '../helpers/activities';

interface PokeState {
  readonly firstCheckAt: number;
  readonly checks: number;
}

function isPokeState(value: unknown): value is PokeState {
  return typeof value === 'object' && value !== null && typeof (value as PokeState).firstCheckAt === 'number' && typeof (value as PokeState).checks === 'number';
}

describe('sensor activities', () => {
  let box: ActivitySandbox;
  before(async () => {
    box = await activitySandbox();
  });
  after(async () => {
    await box.sandbox.remove();
  });

  describe('poke mode (waitForDataPoke)', () => {
    test('finds a marker that appears while it waits, after several checks', async () => {
      const { call } = activityEnv();
      const marker = 'ready-later.marker';
      const created = setTimeout(300).then(() => writeFile(join(box.sandbox.dataRoot, marker), ''));
      const result = await call(box.activities.waitForDataPoke, { marker, pokeIntervalSeconds: 0.1, timeoutSeconds: 10 });
      await created;
      assert.equal(result.found, true);
      assert.ok(result.checks >= 2, `expected at least 2 checks, got ${result.checks}`);
      assert.ok(result.waitedSeconds > 0);
    });

    test('finds a marker that is already there at the first check', async () => {
      const { call } = activityEnv();
      await writeFile(join(box.sandbox.dataRoot, 'ready-now.marker'), '');
      const result = await call(box.activities.waitForDataPoke, { marker: 'ready-now.marker', pokeIntervalSeconds: 0.1, timeoutSeconds: 10 });
      assert.deepEqual({ found: result.found, checks: result.checks }, { found: true, checks: 1 });
    });

    test('times out with a non-retryable SensorTimeout', async () => {
      const { call } = activityEnv();
      const error = await rejectionOf(call(box.activities.waitForDataPoke, { marker: 'never.marker', pokeIntervalSeconds: 0.1, timeoutSeconds: 0.3 }));
      const failure = assertNonRetryable(error, FAILURE_TYPES.SensorTimeout);
      assert.equal(FAILURE_TYPES.SensorTimeout, 'SensorTimeout');
      assert.match(failure.message, /never\.marker/);
      const checks = Number(/\((\d+) checks\)/.exec(failure.message)?.[1]);
      assert.ok(checks >= 2, `expected several checks before the timeout: ${failure.message}`);
    });

    test('resumes from heartbeat details: the deadline counts from the first check of the earlier attempt', async () => {
      const firstCheckAt = Date.now() - 10_000;
      const { call, heartbeats } = activityEnv({ attempt: 2, heartbeatDetails: { firstCheckAt, checks: 7 } });
      const error = await rejectionOf(call(box.activities.waitForDataPoke, { marker: 'never.marker', pokeIntervalSeconds: 0.1, timeoutSeconds: 5 }));
      const failure = assertNonRetryable(error, FAILURE_TYPES.SensorTimeout);
      assert.match(failure.message, /\(8 checks\)/);
      // It failed at its first check: one heartbeat, carrying the earlier attempt's start and the next count.
      assert.deepEqual(heartbeats, [{ firstCheckAt, checks: 8 }]);
    });

    test('heartbeats {firstCheckAt, checks} with a growing count and a fixed start', async () => {
      const { call, heartbeats } = activityEnv();
      const before = Date.now();
      await rejectionOf(call(box.activities.waitForDataPoke, { marker: 'never.marker', pokeIntervalSeconds: 0.1, timeoutSeconds: 0.3 }));
      assert.ok(heartbeats.length >= 2, `expected several heartbeats, got ${heartbeats.length}`);
      assert.ok(heartbeats.every(isPokeState), `heartbeat details: ${JSON.stringify(heartbeats)}`);
      const states = heartbeats;
      const starts = new Set(states.map((s) => s.firstCheckAt));
      assert.equal(starts.size, 1, 'firstCheckAt stays the same across heartbeats');
      assert.ok(states[0].firstCheckAt >= before && states[0].firstCheckAt <= Date.now());
      assert.equal(states[0].checks, 1);
      for (let i = 1; i < states.length; i++) assert.ok(states[i].checks >= states[i - 1].checks, 'checks never go down');
      assert.ok(states[states.length - 1].checks >= 2);
    });

    test('finds an http marker once the server stops answering 404', async () => {
      let requests = 0;
      const server = await startHttpServer((_req, res) => {
        requests += 1;
        res.statusCode = requests <= 3 ? 404 : 200;
        res.end();
      });
      try {
        const { call } = activityEnv();
        const result = await call(box.activities.waitForDataPoke, { marker: server.url('/data/_SUCCESS'), pokeIntervalSeconds: 0.05, timeoutSeconds: 10 });
        assert.equal(result.found, true);
        assert.equal(result.checks, 4);
        assert.ok(server.requests.every((r) => r.method === 'HEAD' && r.url === '/data/_SUCCESS'), JSON.stringify(server.requests));
      } finally {
        await server.close();
      }
    });

    test('a marker path escaping the data root fails without retry', async () => {
      const { call } = activityEnv();
      const error = await rejectionOf(call(box.activities.waitForDataPoke, { marker: '../x', pokeIntervalSeconds: 0.1, timeoutSeconds: 10 }));
      assertNonRetryable(error, FAILURE_TYPES.PathOutsideDataRootError);
    });

    test('cancellation while waiting ends the activity with a CancelledFailure', async () => {
      const { env, call, heartbeats } = activityEnv();
      const running = call(box.activities.waitForDataPoke, { marker: 'never.marker', pokeIntervalSeconds: 0.1, timeoutSeconds: 60 });
      // Cancel once it is in its loop (a heartbeat after its first sleep), as a server would on a heartbeat.
      while (heartbeats.length < 2) await setTimeout(5);
      env.cancel();
      const error = await rejectionOf(running);
      assert.ok(error instanceof CancelledFailure, `expected a CancelledFailure, got ${String(error)}`);
    });
  });

  describe('newerThan', () => {
    test('a local marker counts only once its modification time is after newerThan', async () => {
      const marker = 'dated.marker';
      await writeFile(join(box.sandbox.dataRoot, marker), '');
      const input = { marker, newerThan: '2024-06-01T12:00:00Z', pokeIntervalSeconds: 1, timeoutSeconds: 10 };
      await utimes(join(box.sandbox.dataRoot, marker), new Date('2024-06-01T11:00:00Z'), new Date('2024-06-01T11:00:00Z'));
      const error = await rejectionOf(activityEnv().call(box.activities.checkDataReady, input));
      assert.match((error as Error).message, /dated\.marker newer than 2024-06-01T12:00:00Z not there yet/);
      await utimes(join(box.sandbox.dataRoot, marker), new Date('2024-06-01T12:00:01Z'), new Date('2024-06-01T12:00:01Z'));
      assert.equal((await activityEnv().call(box.activities.checkDataReady, input)).found, true);
    });

    test('an http marker is judged by Last-Modified; without one, newerThan cannot be checked and fails without retry', async () => {
      const server = await startHttpServer((req, res) => {
        if (req.url === '/dated') res.setHeader('last-modified', 'Sat, 01 Jun 2024 12:00:05 GMT');
        res.end();
      });
      try {
        const at = (path: string, newerThan: string) => ({ marker: server.url(path), newerThan, pokeIntervalSeconds: 1, timeoutSeconds: 10 });
        assert.equal((await activityEnv().call(box.activities.checkDataReady, at('/dated', '2024-06-01T12:00:00Z'))).found, true);
        assert.equal((await rejectionOf(activityEnv().call(box.activities.checkDataReady, at('/dated', '2024-06-01T12:00:05Z'))) as { type?: string }).type, FAILURE_TYPES.DataNotReady);
        assertNonRetryable(await rejectionOf(activityEnv().call(box.activities.checkDataReady, at('/undated', '2024-06-01T12:00:00Z'))), FAILURE_TYPES.MarkerTimeUnknownError);
        // Without newerThan a missing Last-Modified does not matter.
        assert.equal((await activityEnv().call(box.activities.checkDataReady, { marker: server.url('/undated'), pokeIntervalSeconds: 1, timeoutSeconds: 10 })).found, true);
      } finally {
        await server.close();
      }
    });
  });

  describe('reschedule mode (checkDataReady)', () => {
    test('an absent marker is a retryable, benign DataNotReady failure naming the attempt', async () => {
      const { call } = activityEnv({ attempt: 3 });
      const error = await rejectionOf(call(box.activities.checkDataReady, { marker: 'absent.marker', pokeIntervalSeconds: 1, timeoutSeconds: 10 }));
      assert.ok(error instanceof ApplicationFailure, String(error));
      assert.equal(error.type, FAILURE_TYPES.DataNotReady);
      assert.equal(error.type, 'DataNotReady');
      assert.notEqual(error.nonRetryable, true, 'not ready must be retried: the retry policy is the poll interval');
      assert.equal(error.category, ApplicationFailureCategory.BENIGN, 'a poll is not a failure: no warning, no failure metrics');
      assert.match(error.message, /absent\.marker.*check 3/);
    });

    test('a present marker returns found, with the attempt as the check count', async () => {
      await writeFile(join(box.sandbox.dataRoot, 'present.marker'), 'ok');
      const { call } = activityEnv({ attempt: 4 });
      const result = await call(box.activities.checkDataReady, { marker: 'present.marker', pokeIntervalSeconds: 1, timeoutSeconds: 10 });
      assert.equal(result.found, true);
      assert.equal(result.checks, 4);
    });

    test('a marker path escaping the data root fails without retry', async () => {
      const { call } = activityEnv();
      const error = await rejectionOf(call(box.activities.checkDataReady, { marker: '../x', pokeIntervalSeconds: 1, timeoutSeconds: 10 }));
      assertNonRetryable(error, FAILURE_TYPES.PathOutsideDataRootError);
    });
  });
});
