import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { PipelineActivities } from '../activities';
import { TASK_QUEUES, type SensorSpec, type StepTimeouts } from '../contract';

type RetryPolicy = NonNullable<ActivityOptions['retry']>;

const retry = (maximumAttempts: number): RetryPolicy => ({
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '30s',
  maximumAttempts,
});

const light = (options: ActivityOptions) => proxyActivities<PipelineActivities>({ taskQueue: TASK_QUEUES.light, ...options });
const compute = (options: ActivityOptions) => proxyActivities<PipelineActivities>({ taskQueue: TASK_QUEUES.compute, ...options });

type Limits = StepTimeouts[keyof StepTimeouts];

const limits = (t: Limits): ActivityOptions => ({ startToCloseTimeout: `${t.startToCloseSeconds}s`, heartbeatTimeout: `${t.heartbeatSeconds}s` });

/**
 * One proxy per step: each step has its own timeouts (from the run's params), retries and Web UI
 * summary. Every step has a heartbeat timeout: its worker heartbeats every second, so a dead
 * worker is noticed within seconds, not at the end of the start-to-close timeout.
 */
export function pipelineSteps(t: StepTimeouts) {
  return {
    ingest: light({ summary: 'ingest: read and parse the dataset', ...limits(t.ingest), retry: retry(5) }).ingest,
    validate: light({ summary: 'validate: check every expectation', ...limits(t.validate), retry: retry(3) }).validate,
    preprocess: light({ summary: 'preprocess: split and fit transforms', ...limits(t.preprocess), retry: retry(3) }).preprocess,
    train: compute({ summary: 'train the model', ...limits(t.train), retry: retry(3) }).train,
    evaluate: compute({ summary: 'evaluate on the held-out split', ...limits(t.evaluate), retry: retry(3) }).evaluate,
    deploy: light({ summary: 'deploy: register and promote the model', ...limits(t.deploy), retry: retry(5) }).deploy,
    alert: light({ summary: 'alert: raise a retrain alert', ...limits(t.alert), retry: retry(5) }).alert,
    // A report that cannot be written fails at once: a retry would only hide the cause.
    report: light({ summary: 'report: write Markdown and HTML', ...limits(t.report), retry: { maximumAttempts: 1 } }).report,
    notify: light({ summary: 'notify: send the run summary', ...limits(t.notify), retry: retry(5) }).notifyRunFinished,
  };
}

export type PipelineSteps = ReturnType<typeof pipelineSteps>;

/** Poke: one long activity that heartbeats; a crashed worker's attempt resumes from its heartbeat details. */
export function pokeSensor(spec: SensorSpec) {
  return light({
    summary: 'waitForData: poke for the marker',
    startToCloseTimeout: `${spec.timeoutSeconds + 60}s`,
    heartbeatTimeout: '30s',
    retry: { ...retry(10), nonRetryableErrorTypes: ['SensorTimeout'] },
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
