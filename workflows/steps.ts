import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { PipelineActivities } from '../activities';
import { FAILURE_TYPES, TASK_QUEUES, type SensorSpec } from '../contract';

type RetryPolicy = NonNullable<ActivityOptions['retry']>;

const retry = (maximumAttempts: number): RetryPolicy => ({
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '30s',
  maximumAttempts,
});

const light = (options: ActivityOptions) => proxyActivities<PipelineActivities>({ taskQueue: TASK_QUEUES.light, ...options });
const compute = (options: ActivityOptions) => proxyActivities<PipelineActivities>({ taskQueue: TASK_QUEUES.compute, ...options });

/** One proxy per step: each step has its own timeouts, retries and Web UI summary. */
export const steps = {
  ingest: light({ summary: 'ingest: read and parse the dataset', startToCloseTimeout: '15m', retry: retry(5) }).ingest,
  validate: light({ summary: 'validate: check every expectation', startToCloseTimeout: '10m', retry: retry(3) }).validate,
  preprocess: light({ summary: 'preprocess: split and fit transforms', startToCloseTimeout: '15m', retry: retry(3) }).preprocess,
  train: compute({ summary: 'train the model', startToCloseTimeout: '4h', heartbeatTimeout: '20s', retry: retry(3) }).train,
  evaluate: compute({ summary: 'evaluate on the held-out split', startToCloseTimeout: '30m', heartbeatTimeout: '60s', retry: retry(3) }).evaluate,
  deploy: light({ summary: 'deploy: register and promote the model', startToCloseTimeout: '5m', retry: retry(5) }).deploy,
  alert: light({ summary: 'alert: raise a retrain alert', startToCloseTimeout: '1m', retry: retry(5) }).alert,
  // A report that cannot be written fails at once: a retry would only hide the cause.
  report: light({ summary: 'report: write Markdown and HTML', startToCloseTimeout: '2m', retry: { maximumAttempts: 1 } }).report,
  notify: light({ summary: 'notify: send the run summary', startToCloseTimeout: '1m', retry: retry(5) }).notifyRunFinished,
};

/** Poke: one long activity that heartbeats; a crashed worker's attempt resumes from its heartbeat details. */
export function pokeSensor(spec: SensorSpec) {
  return light({
    summary: 'waitForData: poke for the marker',
    startToCloseTimeout: `${spec.timeoutSeconds + 60}s`,
    heartbeatTimeout: '30s',
    retry: { ...retry(10), nonRetryableErrorTypes: [FAILURE_TYPES.SensorTimeout] },
  }).waitForDataPoke;
}

/** Reschedule: each check is an attempt; the retry interval is the poke interval, bounded by the sensor timeout. */
export function rescheduleSensor(spec: SensorSpec) {
  return light({
    summary: 'waitForData: check the marker (reschedule)',
    startToCloseTimeout: '1m',
    scheduleToCloseTimeout: `${spec.timeoutSeconds}s`,
    retry: { initialInterval: `${spec.pokeIntervalSeconds}s`, backoffCoefficient: 1, maximumInterval: `${spec.pokeIntervalSeconds}s` },
  }).checkDataReady;
}
