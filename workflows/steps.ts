import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { PipelineActivities } from '../activities';
import { FAILURE_TYPES, TASK_QUEUES, type SensorSpec, type StepTimeouts } from '../contract';

type RetryPolicy = NonNullable<ActivityOptions['retry']>;

const retry = (maximumAttempts: number): RetryPolicy => ({
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '30s',
  maximumAttempts,
});

const light = (options: ActivityOptions) => proxyActivities<PipelineActivities>({ taskQueue: TASK_QUEUES.light, ...options });
const compute = (options: ActivityOptions) => proxyActivities<PipelineActivities>({ taskQueue: TASK_QUEUES.compute, ...options });

/** Attempts per step; the report does not retry: a report that cannot be written would only hide the cause. */
export const MAX_ATTEMPTS = { ingest: 5, validate: 3, preprocess: 3, train: 3, evaluate: 3, compare: 3, deploy: 5, register: 5, alert: 5, report: 1, notify: 5, email: 5, track: 3 } as const;

type Limits = StepTimeouts[keyof StepTimeouts];

const limits = (t: Limits): ActivityOptions => ({ startToCloseTimeout: `${t.startToCloseSeconds}s`, heartbeatTimeout: `${t.heartbeatSeconds}s` });

/**
 * One proxy per step: each step has its own timeouts (from the run's params), retries and Web UI
 * summary. Every step has a heartbeat timeout: its worker heartbeats every second, so a dead
 * worker is noticed within seconds, not at the end of the start-to-close timeout.
 */
export function pipelineSteps(t: StepTimeouts) {
  return {
    ingest: light({ summary: 'ingest: read and parse the dataset', ...limits(t.ingest), retry: retry(MAX_ATTEMPTS.ingest) }).ingest,
    validate: light({ summary: 'validate: check every expectation', ...limits(t.validate), retry: retry(MAX_ATTEMPTS.validate) }).validate,
    preprocess: light({ summary: 'preprocess: split and fit transforms', ...limits(t.preprocess), retry: retry(MAX_ATTEMPTS.preprocess) }).preprocess,
    train: compute({ summary: 'train the model', ...limits(t.train), retry: retry(MAX_ATTEMPTS.train) }).train,
    trainShard: compute({ summary: 'train: grow a shard of the forest', ...limits(t.train), retry: retry(MAX_ATTEMPTS.train) }).trainShard,
    tuneTrial: compute({ summary: 'tune: cross-validate one configuration', ...limits(t.train), retry: retry(MAX_ATTEMPTS.train) }).tuneTrial,
    mergeForest: compute({ summary: 'train: merge the forest shards', ...limits(t.train), retry: retry(MAX_ATTEMPTS.train) }).mergeForest,
    evaluate: compute({ summary: 'evaluate on the held-out split', ...limits(t.evaluate), retry: retry(MAX_ATTEMPTS.evaluate) }).evaluate,
    compareWithProduction: compute({ summary: 'compare: score production on the held-out rows', ...limits(t.evaluate), retry: retry(MAX_ATTEMPTS.compare) }).compareWithProduction,
    deploy: light({ summary: 'deploy: register and promote the model', ...limits(t.deploy), retry: retry(MAX_ATTEMPTS.deploy) }).deploy,
    registerCandidate: light({ summary: 'register: keep the model as a candidate version', ...limits(t.deploy), retry: retry(MAX_ATTEMPTS.register) }).registerCandidate,
    alert: light({ summary: 'alert: raise a retrain alert', ...limits(t.alert), retry: retry(MAX_ATTEMPTS.alert) }).alert,
    report: light({ summary: 'report: write Markdown and HTML', ...limits(t.report), retry: { maximumAttempts: MAX_ATTEMPTS.report } }).report,
    notify: light({ summary: 'notify: send the run summary', ...limits(t.notify), retry: retry(MAX_ATTEMPTS.notify) }).notifyRunFinished,
    emailRunFinished: light({ summary: 'email: mail the run summary', ...limits(t.notify), retry: retry(MAX_ATTEMPTS.email) }).emailRunFinished,
    emailAlert: light({ summary: 'email: mail the retrain alert', ...limits(t.alert), retry: retry(MAX_ATTEMPTS.email) }).emailAlert,
    // Fixed limits, not params: room for MLflow's own bounded retries (worker config) on top of the store write.
    trackRun: light({ summary: 'track: record the run (and log it to MLflow)', startToCloseTimeout: '10m', heartbeatTimeout: '30s', retry: retry(MAX_ATTEMPTS.track) }).trackRun,
  };
}

export type PipelineSteps = ReturnType<typeof pipelineSteps>;

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
