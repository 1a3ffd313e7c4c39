import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, test } from 'node:test';
import { type Context } from '@temporalio/activity';
import { ApplicationFailure, ApplicationFailureCategory, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { type ActivityExecuteInput } from '@temporalio/worker';
import { FAILURE_TYPES } from '../../contract';
import { activityLogInterceptor } from '../../worker/activityLogInterceptor';
import { stepOfActivity } from '../../contract';
import { WorkerMetrics } from '../../worker/metrics';
import { activityMetricsInterceptor } from '../../worker/metricsInterceptor';
import { startMetricsServer } from '../../worker/metricsServer';
import { activityInterceptors } from '../../worker/workers';
import { activitySandbox, RecordingLogger, rejectionOf } from '../helpers/activities';
import { parseExposition, valueOf } from '../helpers/prometheus';

/** Just what the interceptors read from the activity context. */
function fakeContext(activityType: string, aborted = false): Context {
  return { info: { activityType }, cancellationSignal: { aborted } } as unknown as Context;
}

const run = { pipeline: 'iris', workflowId: 'ml-iris', runId: 'r1' };

async function execute(metrics: WorkerMetrics, ctx: Context, args: unknown[], next: () => Promise<unknown>): Promise<unknown> {
  const interceptor = activityMetricsInterceptor(metrics)(ctx).inbound!.execute!;
  const input: ActivityExecuteInput = { args, headers: {} };
  return interceptor(input, next);
}

const samples = async (metrics: WorkerMetrics) => parseExposition(await metrics.registry.metrics());

describe('activity steps', () => {
  test('activity types map to the status query step names', () => {
    assert.equal(stepOfActivity('waitForDataPoke'), 'waitForData');
    assert.equal(stepOfActivity('checkDataReady'), 'waitForData');
    assert.equal(stepOfActivity('notifyRunFinished'), 'notify');
    assert.equal(stepOfActivity('train'), 'train');
    assert.equal(stepOfActivity('somethingNew'), 'somethingNew');
  });

  test('the log interceptor adds the step to the SDK attributes', () => {
    const outbound = activityLogInterceptor(fakeContext('checkDataReady')).outbound!;
    const attributes = outbound.getLogAttributes!({ workflowId: 'w', attempt: 2 }, (a) => a);
    assert.deepEqual(attributes, { workflowId: 'w', attempt: 2, step: 'waitForData' });
  });
});

describe('activity metrics interceptor', () => {
  test('a completed ingest: one duration sample, its rows and bytes', async () => {
    const metrics = new WorkerMetrics();
    const result = { rows: 150, sourceBytes: 4551 };
    assert.equal(await execute(metrics, fakeContext('ingest'), [{ run }], () => Promise.resolve(result)), result);
    const m = await samples(metrics);
    assert.equal(valueOf(m, 'mlp_step_duration_seconds_count', { step: 'ingest', outcome: 'completed' }), 1);
    assert.equal(valueOf(m, 'mlp_rows_ingested_total', { pipeline: 'iris' }), 150);
    assert.equal(valueOf(m, 'mlp_ingested_bytes_total', { pipeline: 'iris' }), 4551);
  });

  test('a completed evaluate sets every finite metric and the evaluation time', async () => {
    const metrics = new WorkerMetrics();
    await execute(metrics, fakeContext('evaluate'), [{ run }], () => Promise.resolve({ metrics: { accuracy: 0.96, f1_macro: 0.95, odd: Number.NaN } }));
    const m = await samples(metrics);
    assert.equal(valueOf(m, 'mlp_model_metric', { pipeline: 'iris', metric: 'accuracy' }), 0.96);
    assert.equal(valueOf(m, 'mlp_model_metric', { pipeline: 'iris', metric: 'f1_macro' }), 0.95);
    assert.equal(valueOf(m, 'mlp_model_metric', { metric: 'odd' }), undefined);
    assert.ok(valueOf(m, 'mlp_model_evaluated_timestamp_seconds', { pipeline: 'iris' })! > 1.7e9);
  });

  test('a failed validation counts each failed expectation and rethrows the failure unchanged', async () => {
    const metrics = new WorkerMetrics();
    const failure = ApplicationFailure.create({
      type: FAILURE_TYPES.ValidationFailed,
      nonRetryable: true,
      details: [{ report: 'file:///r.json', failures: ['a', 'b', 'c'], failed: [{ expectation: 'range', column: 'x' }, { expectation: 'range', column: 'y' }, { expectation: 'notNull', column: 'x' }] }],
    });
    await assert.rejects(execute(metrics, fakeContext('validate'), [{ run }], () => Promise.reject(failure)), (e) => e === failure);
    const m = await samples(metrics);
    assert.equal(valueOf(m, 'mlp_step_duration_seconds_count', { step: 'validate', outcome: 'failed' }), 1);
    assert.equal(valueOf(m, 'mlp_validation_failures_total', { pipeline: 'iris', expectation: 'range' }), 2);
    assert.equal(valueOf(m, 'mlp_validation_failures_total', { pipeline: 'iris', expectation: 'notNull' }), 1);
  });

  test('a cancelled attempt is labelled cancelled; the sensor (no run in its input) is still timed', async () => {
    const metrics = new WorkerMetrics();
    await assert.rejects(execute(metrics, fakeContext('train', true), [{ run }], () => Promise.reject(new CancelledFailure('cancelled'))));
    await execute(metrics, fakeContext('waitForDataPoke'), [{ marker: 'ready.txt' }], () => Promise.resolve({ found: true }));
    const m = await samples(metrics);
    assert.equal(valueOf(m, 'mlp_step_duration_seconds_count', { step: 'train', outcome: 'cancelled' }), 1);
    assert.equal(valueOf(m, 'mlp_step_duration_seconds_count', { step: 'waitForData', outcome: 'completed' }), 1);
  });

  test('a benign failure is counted as benign, not failed', async () => {
    const metrics = new WorkerMetrics();
    const poll = ApplicationFailure.create({ type: FAILURE_TYPES.DataNotReady, message: 'not yet', category: ApplicationFailureCategory.BENIGN });
    await assert.rejects(execute(metrics, fakeContext('checkDataReady'), [{ marker: 'ready.txt' }], () => Promise.reject(poll)), (e) => e === poll);
    const m = await samples(metrics);
    assert.equal(valueOf(m, 'mlp_step_duration_seconds_count', { step: 'waitForData', outcome: 'benign' }), 1);
    assert.equal(valueOf(m, 'mlp_step_duration_seconds_count', { outcome: 'failed' }), undefined);
  });

  test('default process metrics carry the worker prefix', async () => {
    const m = await samples(new WorkerMetrics());
    assert.ok(valueOf(m, 'mlp_worker_process_cpu_seconds_total') !== undefined);
  });
});

describe('worker metrics server', () => {
  test('serves /metrics, /healthz and /readyz (following the workers), refuses other methods and paths', async () => {
    const metrics = new WorkerMetrics();
    let ready = false;
    const server = await startMetricsServer(metrics.registry, { host: '127.0.0.1', port: 0, ready: () => ready });
    const url = (path: string) => `http://127.0.0.1:${server.port}${path}`;
    try {
      const res = await fetch(url('/metrics'));
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /text\/plain/);
      assert.match(await res.text(), /# TYPE mlp_step_duration_seconds histogram/);
      assert.equal((await fetch(url('/healthz'))).status, 200);
      assert.equal((await fetch(url('/readyz'))).status, 503);
      ready = true;
      assert.equal((await fetch(url('/readyz'))).status, 200);
      assert.equal((await fetch(url('/metrics'), { method: 'POST' })).status, 405);
      assert.equal((await fetch(url('/other'))).status, 404);
    } finally {
      await server.close();
    }
  });

  test('a taken port fails the start with EADDRINUSE', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      await assert.rejects(startMetricsServer(new WorkerMetrics().registry, { host: '127.0.0.1', port, ready: () => true }), { code: 'EADDRINUSE' });
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });
});

/**
 * The reschedule sensor's check run by the SDK's own activity runner with the worker's
 * interceptors: what a poll that finds nothing leaves in the worker's logs and metrics.
 */
describe('a reschedule-sensor poll through the worker', () => {
  async function check(marker: string) {
    const box = await activitySandbox();
    const metrics = new WorkerMetrics();
    const logger = new RecordingLogger();
    const env = new MockActivityEnvironment({ activityType: 'checkDataReady', attempt: 2 }, { logger, interceptors: activityInterceptors(metrics) });
    try {
      const error = await rejectionOf(env.run(box.activities.checkDataReady, { marker, pokeIntervalSeconds: 1, timeoutSeconds: 10 }));
      return { error, logs: logger.entries, m: await samples(metrics) };
    } finally {
      await box.sandbox.remove();
    }
  }

  test('not ready yet: a benign failure, logged at debug only and counted as benign, not failed', async () => {
    const { error, logs, m } = await check('absent.marker');
    assert.ok(error instanceof ApplicationFailure && error.category === ApplicationFailureCategory.BENIGN, String(error));
    assert.deepEqual(logs.filter((l) => l.level === 'WARN' || l.level === 'ERROR'), []);
    const failed = logs.filter((l) => l.message === 'Activity failed');
    assert.deepEqual(failed.map((l): unknown[] => [l.level, l.meta?.step]), [['DEBUG', 'waitForData']]);
    assert.equal(valueOf(m, 'mlp_step_duration_seconds_count', { step: 'waitForData', outcome: 'benign' }), 1);
    assert.equal(valueOf(m, 'mlp_step_duration_seconds_count', { step: 'waitForData', outcome: 'failed' }), undefined);
  });

  test('a marker outside the data root is a real failure: a warning, counted as failed', async () => {
    const { error, logs, m } = await check('../outside.marker');
    assert.ok(error instanceof ApplicationFailure && error.category === undefined, String(error));
    assert.deepEqual(logs.filter((l) => l.message === 'Activity failed').map((l) => l.level), ['WARN']);
    assert.equal(valueOf(m, 'mlp_step_duration_seconds_count', { step: 'waitForData', outcome: 'failed' }), 1);
    assert.equal(valueOf(m, 'mlp_step_duration_seconds_count', { step: 'waitForData', outcome: 'benign' }), undefined);
  });
});
