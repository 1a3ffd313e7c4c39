import { ActivityFailure, ApplicationFailure, RetryState, TemporalFailure, TimeoutFailure } from '@temporalio/common';
import { isCancellation, proxyActivities, proxyLocalActivities, type ActivityOptions, type LocalActivityOptions } from '@temporalio/workflow';
import type { PipelineActivities } from '../activities';
import { FAILURE_TYPES } from '../contract/failureTypes';
import { TASK_QUEUES } from '../contract/taskQueues';
import { type SensorSpec, type StepTimeouts } from '../contract';

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
export function pipelineSteps(t: StepTimeouts): PipelineSteps {
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

type Activities = Omit<PipelineActivities, 'notifyRunFinished'> & { notify: PipelineActivities['notifyRunFinished'] };
type StepKey =
  | 'ingest'
  | 'validate'
  | 'preprocess'
  | 'train'
  | 'trainShard'
  | 'tuneTrial'
  | 'mergeForest'
  | 'evaluate'
  | 'compareWithProduction'
  | 'deploy'
  | 'registerCandidate'
  | 'alert'
  | 'report'
  | 'notify'
  | 'emailRunFinished'
  | 'emailAlert'
  | 'trackRun';
/** Each step as the workflow calls it, ordinary or local activity alike. */
export type PipelineSteps = { [K in StepKey]: (...args: Parameters<Activities[K]>) => ReturnType<Activities[K]> };

const retryStateOf = (error: TemporalFailure): RetryState => {
  if (error instanceof ApplicationFailure && error.nonRetryable) return RetryState.NON_RETRYABLE_FAILURE;
  return error instanceof TimeoutFailure ? RetryState.TIMEOUT : RetryState.MAXIMUM_ATTEMPTS_REACHED;
};

/**
 * A local step that fails as an ordinary one does: an ActivityFailure around the step's own error.
 * The SDK hands a local activity's error over unwrapped; the run's failure, its attempt count and
 * the callers reading them expect the same shape whichever way the step ran.
 */
function failingAsActivity<A extends unknown[], R>(activityType: string, call: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await call(...args);
    } catch (error) {
      if (isCancellation(error) || error instanceof ActivityFailure || !(error instanceof TemporalFailure)) throw error;
      throw new ActivityFailure('Local activity failed', activityType, undefined, retryStateOf(error), undefined, error);
    }
  };
}

const local = (options: LocalActivityOptions) => {
  const proxy = proxyLocalActivities<PipelineActivities>(options);
  return <K extends keyof PipelineActivities>(name: K): PipelineActivities[K] => failingAsActivity(name, proxy[name] as (...args: unknown[]) => Promise<unknown>) as PipelineActivities[K];
};
/** A local attempt has no heartbeat: a dead worker is noticed by its workflow task's timeout, and the task's retry runs the step again. */
const localLimits = (t: Limits): LocalActivityOptions => ({ startToCloseTimeout: `${t.startToCloseSeconds}s` });

/**
 * The steps after ingest as local activities, for small data: they run on the workflow's worker
 * inside its workflow task, with the same retries, timeouts and Web UI summaries as `pipelineSteps`.
 */
export function localPipelineSteps(t: StepTimeouts): Pick<PipelineSteps, 'validate' | 'preprocess' | 'train' | 'evaluate' | 'deploy' | 'report'> {
  return {
    validate: local({ summary: 'validate: check every expectation', ...localLimits(t.validate), retry: retry(MAX_ATTEMPTS.validate) })('validate'),
    preprocess: local({ summary: 'preprocess: split and fit transforms', ...localLimits(t.preprocess), retry: retry(MAX_ATTEMPTS.preprocess) })('preprocess'),
    train: local({ summary: 'train the model', ...localLimits(t.train), retry: retry(MAX_ATTEMPTS.train) })('train'),
    evaluate: local({ summary: 'evaluate on the held-out split', ...localLimits(t.evaluate), retry: retry(MAX_ATTEMPTS.evaluate) })('evaluate'),
    deploy: local({ summary: 'deploy: register and promote the model', ...localLimits(t.deploy), retry: retry(MAX_ATTEMPTS.deploy) })('deploy'),
    report: local({ summary: 'report: write Markdown and HTML', ...localLimits(t.report), retry: { maximumAttempts: MAX_ATTEMPTS.report } })('report'),
  };
}

/** Small runs' tracking record, written inside the workflow task that then writes the report: one task round trip fewer. */
export function localTrackRun(): PipelineSteps['trackRun'] {
  return local({ summary: 'track: record the run (and log it to MLflow)', startToCloseTimeout: '10m', retry: retry(MAX_ATTEMPTS.track) })('trackRun');
}

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
