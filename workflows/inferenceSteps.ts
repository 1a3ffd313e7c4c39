import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { PipelineActivities } from '../activities';
import { TASK_QUEUES } from '../contract/taskQueues';
import { type InferenceStepTimeouts } from '../contract';
import { MAX_ATTEMPTS } from './steps';

type Limits = InferenceStepTimeouts[keyof InferenceStepTimeouts];

const limits = (t: Limits): ActivityOptions => ({ startToCloseTimeout: `${t.startToCloseSeconds}s`, heartbeatTimeout: `${t.heartbeatSeconds}s` });
const retry = (maximumAttempts: number): NonNullable<ActivityOptions['retry']> => ({ initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts });

const light = (options: ActivityOptions) => proxyActivities<PipelineActivities>({ taskQueue: TASK_QUEUES.light, ...options });
const compute = (options: ActivityOptions) => proxyActivities<PipelineActivities>({ taskQueue: TASK_QUEUES.compute, ...options });

/** Scoring is CPU work like evaluation: the same attempts. */
const PREDICT_ATTEMPTS = MAX_ATTEMPTS.evaluate;

/** One proxy per step of a batch inference run; ingest, validate, report and notify are the training run's activities. */
export function inferenceSteps(t: InferenceStepTimeouts) {
  return {
    ingest: light({ summary: 'ingest: read and parse the batch', ...limits(t.ingest), retry: retry(MAX_ATTEMPTS.ingest) }).ingest,
    validate: light({ summary: 'validate: check every expectation', ...limits(t.validate), retry: retry(MAX_ATTEMPTS.validate) }).validate,
    checkBatch: light({ summary: "validate: check the batch against the model's features", ...limits(t.validate), retry: retry(MAX_ATTEMPTS.validate) }).checkBatch,
    predict: compute({ summary: 'predict: score the batch and write the predictions', ...limits(t.predict), retry: retry(PREDICT_ATTEMPTS) }).predict,
    evaluate: compute({ summary: 'evaluate the model on the labelled batch', ...limits(t.evaluate), retry: retry(MAX_ATTEMPTS.evaluate) }).evaluateBatch,
    drift: compute({ summary: 'drift: compare the batch with the training profile', ...limits(t.drift), retry: retry(MAX_ATTEMPTS.evaluate) }).drift,
    trainingParams: light({ summary: "drift: read the model version's training params", ...limits(t.alert), retry: retry(MAX_ATTEMPTS.deploy) }).trainingParams,
    alert: light({ summary: 'alert: raise a drift or retrain alert', ...limits(t.alert), retry: retry(MAX_ATTEMPTS.alert) }).alert,
    emailAlert: light({ summary: 'alert: email the drift or retrain alert', ...limits(t.alert), retry: retry(MAX_ATTEMPTS.email) }).emailAlert,
    emailRunFinished: light({ summary: 'notify: email the run summary', ...limits(t.notify), retry: retry(MAX_ATTEMPTS.email) }).emailRunFinished,
    report: light({ summary: 'report: write Markdown and HTML', ...limits(t.report), retry: { maximumAttempts: MAX_ATTEMPTS.report } }).reportInference,
    notify: light({ summary: 'notify: send the run summary', ...limits(t.notify), retry: retry(MAX_ATTEMPTS.notify) }).notifyRunFinished,
  };
}

export type InferenceSteps = ReturnType<typeof inferenceSteps>;
