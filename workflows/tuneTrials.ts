import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { PreprocessResult } from '../activities';
import { FAILURE_TYPES } from '../contract/failureTypes';
import { describeFailure } from '../contract/failures';
import { InvalidParamsError } from '../contract/paramIssues';
import { trialHyperparameters } from '../contract/tuningSpace';
import { type CompletedTrial, type MetricName, type ModelSpec, type PipelineParams, type TrialConfig, type TrialResult, type TuningSpec } from '../contract';
import { MAX_ATTEMPTS, type PipelineSteps } from './steps';
import { type RunState } from './runState';
import { surviveWorkerLoss } from './workerLoss';

/** Failures that belong to one configuration (the data cannot train it), not to the search: recorded, and the search goes on. */
const CONFIGURATION_FAILURES: ReadonlySet<string> = new Set([FAILURE_TYPES.TrainingDataError, FAILURE_TYPES.TooFewClassesError, FAILURE_TYPES.SingularMatrixError]);

function configurationFailure(error: unknown): boolean {
  return error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && CONFIGURATION_FAILURES.has(error.cause.type ?? '');
}

/** A non-retryable InvalidParams failure naming a `tuning` field: what the data showed wrong with the search. */
export const invalidTuning = (field: string, message: string) => {
  const error = new InvalidParamsError([{ field, message }]);
  return ApplicationFailure.create({ type: FAILURE_TYPES.InvalidParams, message: error.message, nonRetryable: true, details: [error.issues] });
};

/** The better of two trials: the higher mean (lower for errors), the earlier trial on a tie. */
export function better(a: CompletedTrial, b: CompletedTrial, minimize: boolean): CompletedTrial {
  if (a.mean === b.mean) return a.trial <= b.trial ? a : b;
  return (minimize ? a.mean < b.mean : a.mean > b.mean) ? a : b;
}

/** One cross-validation to run: a configuration, and for successive halving its rung and resource (training rows). */
export interface TrialJob {
  readonly trial: number;
  readonly config: TrialConfig;
  readonly rung?: number;
  readonly resource?: number;
}

/** What every trial of one search shares. */
export interface TrialRunner {
  readonly state: RunState;
  readonly steps: PipelineSteps;
  readonly params: PipelineParams & { tuning: TuningSpec };
  readonly prepared: PreprocessResult;
  readonly metric: MetricName;
  /** Hears of each finished trial as it ends. */
  readonly record: (result: TrialResult) => void;
}

/**
 * Runs `jobs` as `tuneTrial` activities on the compute pool, at most `maxConcurrency` in flight,
 * and returns their results in job order. A finished trial is in the history, so after a crash
 * only the trials in flight run again. A configuration the data cannot train is a failed trial;
 * any other failure ends the search (and no lane starts another trial).
 */
export async function runTrials(runner: TrialRunner, jobs: readonly TrialJob[]): Promise<TrialResult[]> {
  const { state, steps, params, prepared, metric } = runner;
  const { tuning } = params;
  const results: TrialResult[] = new Array<TrialResult>(jobs.length);
  let next = 0;
  let stopped = false;
  const lane = async (): Promise<void> => {
    while (!stopped && next < jobs.length) {
      const at = next++;
      const { trial, config, rung, resource } = jobs[at];
      const model = { ...params.model, hyperparameters: trialHyperparameters(params.model.hyperparameters, config) } as ModelSpec;
      const where = rung === undefined ? {} : { rung, resource };
      const input = { run: state.run, trial, config, model, train: prepared.train, folds: tuning.folds, seed: tuning.seed, metric, ...where };
      const name = rung === undefined ? `tune trial ${trial}` : `tune trial ${trial} (rung ${rung})`;
      let result: TrialResult;
      try {
        const lost = (round: number) => state.status.warnings.push(`${name}: ${MAX_ATTEMPTS.train * round} attempts ended in lost workers; scheduled again (round ${round + 1})`);
        result = await surviveWorkerLoss(() => steps.tuneTrial(input), lost);
      } catch (error) {
        if (!configurationFailure(error)) {
          stopped = true;
          throw error;
        }
        result = { trial, ...where, config, error: describeFailure(error) };
      }
      results[at] = result;
      runner.record(result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(tuning.maxConcurrency, jobs.length) }, lane));
  return results;
}
