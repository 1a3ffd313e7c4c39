import { type Context } from '@temporalio/activity';
import { ApplicationFailure, ApplicationFailureCategory, CancelledFailure } from '@temporalio/common';
import { type ActivityInterceptors } from '@temporalio/worker';
import { type ClaimRetrainInput, type ClaimRetrainResult, type DriftResult, type EvaluateResult, type IngestResult, type ValidationFailureDetails } from '../activities';
import { FAILURE_TYPES, stepOfActivity, type RunRef } from '../contract';
import { type WorkerMetrics } from './metrics';

type Outcome = 'completed' | 'failed' | 'cancelled' | 'benign';

/** A benign failure (a sensor's "not there yet") is an expected answer, kept apart from the failures. */
function outcomeOf(error: unknown, ctx: Context): Outcome {
  if (error instanceof CancelledFailure || ctx.cancellationSignal.aborted) return 'cancelled';
  return error instanceof ApplicationFailure && error.category === ApplicationFailureCategory.BENIGN ? 'benign' : 'failed';
}

/** Pipeline steps take one argument whose `run` names the pipeline; the sensor's has none. */
function pipelineOf(args: readonly unknown[]): string | undefined {
  const run = (args[0] as { run?: Partial<RunRef> } | undefined)?.run;
  return typeof run?.pipeline === 'string' ? run.pipeline : undefined;
}

/** Drift's scores and retrain grants belong to a model, not a pipeline: recorded whatever the input's run says. */
function recordModelResult(metrics: WorkerMetrics, activityType: string, args: readonly unknown[], result: unknown): void {
  if (activityType === 'drift') {
    const { modelName, worst, predictions } = result as DriftResult;
    for (const score of [...worst, ...(predictions ? [predictions] : [])]) metrics.driftScore.set({ model: modelName, feature: score.feature }, score.psi);
  } else if (activityType === 'claimRetrain' && (result as ClaimRetrainResult).granted) {
    metrics.retrainsStarted.inc({ model: (args[0] as ClaimRetrainInput).modelName });
  }
}

/** What a completed step tells: rows from ingest, the model's metrics from evaluate. */
function recordResult(metrics: WorkerMetrics, activityType: string, pipeline: string, result: unknown, now: Date): void {
  if (activityType === 'ingest') {
    const { rows, sourceBytes } = result as IngestResult;
    metrics.rowsIngested.inc({ pipeline }, rows);
    metrics.bytesIngested.inc({ pipeline }, sourceBytes);
  } else if (activityType === 'evaluate') {
    for (const [metric, value] of Object.entries((result as EvaluateResult).metrics)) {
      if (typeof value === 'number' && Number.isFinite(value)) metrics.modelMetric.set({ pipeline, metric }, value);
    }
    metrics.modelEvaluatedAt.set({ pipeline }, now.getTime() / 1000);
  }
}

/** A failed validation gate carries its failed expectations in the failure's details. */
function recordFailure(metrics: WorkerMetrics, pipeline: string, error: unknown): void {
  if (!(error instanceof ApplicationFailure) || error.type !== FAILURE_TYPES.ValidationFailed) return;
  const details = error.details?.[0] as Partial<ValidationFailureDetails> | undefined;
  for (const { expectation } of details?.failed ?? []) metrics.validationFailures.inc({ pipeline, expectation });
}

/**
 * Measures every activity attempt where it runs: its duration by step and outcome, and what its
 * result says. Counted per attempt by the worker that ran it, so a retry is a new sample and a
 * replay (which runs no activity) adds nothing.
 */
export function activityMetricsInterceptor(metrics: WorkerMetrics) {
  return (ctx: Context): ActivityInterceptors => ({
    inbound: {
      execute: async (input, next) => {
        const { activityType } = ctx.info;
        const step = stepOfActivity(activityType);
        const pipeline = pipelineOf(input.args);
        const stop = metrics.stepDuration.startTimer({ step });
        try {
          const result = await next(input);
          stop({ outcome: 'completed' });
          if (pipeline !== undefined) recordResult(metrics, activityType, pipeline, result, new Date());
          recordModelResult(metrics, activityType, input.args, result);
          return result;
        } catch (error) {
          stop({ outcome: outcomeOf(error, ctx) });
          if (pipeline !== undefined) recordFailure(metrics, pipeline, error);
          throw error;
        }
      },
    },
  });
}
