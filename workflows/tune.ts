import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { PreprocessResult } from '../activities';
import {
  deployGates,
  describeFailure,
  FAILURE_TYPES,
  gateMetricProblem,
  InvalidParamsError,
  isCompletedTrial,
  lowerIsBetter,
  searchConfigurations,
  trialHyperparameters,
  type CompletedTrial,
  type MetricName,
  type ModelSpec,
  type PipelineParams,
  type TrialResult,
  type TuningSpec,
  type TuningSummary,
} from '../contract';
import { MAX_ATTEMPTS, type PipelineSteps } from './steps';
import { type RunState } from './runState';
import { surviveWorkerLoss } from './workerLoss';

/** Marks runs that search hyperparameters; only runs with `tuning` ask for it, so other runs' commands are unchanged. */
export const HYPERPARAMETER_SEARCH_PATCH = 'hyperparameter-search';

/** Failures that belong to one configuration (the data cannot train it), not to the search: recorded, and the search goes on. */
const CONFIGURATION_FAILURES: ReadonlySet<string> = new Set([FAILURE_TYPES.TrainingDataError, FAILURE_TYPES.TooFewClassesError, FAILURE_TYPES.SingularMatrixError]);

function configurationFailure(error: unknown): boolean {
  return error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && CONFIGURATION_FAILURES.has(error.cause.type ?? '');
}

const invalidTuning = (field: string, message: string) => {
  const error = new InvalidParamsError([{ field, message }]);
  return ApplicationFailure.create({ type: FAILURE_TYPES.InvalidParams, message: error.message, nonRetryable: true, details: [error.issues] });
};

/** The metric a search optimises and the field that names it: its own, else the first deploy gate's. */
export function tuningMetric(params: PipelineParams & { tuning: TuningSpec }): { metric: MetricName; field: string } {
  if (params.tuning.metric !== undefined) return { metric: params.tuning.metric as MetricName, field: 'tuning.metric' };
  const [first] = deployGates(params.deploy);
  return { metric: first.metric, field: first.field };
}

/** The better of two trials: the higher mean (lower for errors), the earlier trial on a tie. */
function better(a: CompletedTrial, b: CompletedTrial, minimize: boolean): CompletedTrial {
  if (a.mean === b.mean) return a.trial <= b.trial ? a : b;
  return (minimize ? a.mean < b.mean : a.mean > b.mean) ? a : b;
}

/**
 * The hyperparameter search: every configuration drawn from the space (seeded, here in workflow
 * code) is one `tuneTrial` activity on the compute pool, at most `maxConcurrency` in flight. A
 * finished trial is in the history, so after a crash only the trials in flight run again. Returns
 * the run's model with the best configuration's hyperparameters, which the train step refits on
 * the whole training split.
 */
export async function searchHyperparameters(
  state: RunState,
  steps: PipelineSteps,
  params: PipelineParams & { tuning: TuningSpec },
  prepared: PreprocessResult,
): Promise<ModelSpec> {
  const { tuning } = params;
  const { metric, field } = tuningMetric(params);
  const problem = prepared.classes && gateMetricProblem(metric, prepared.classes.length);
  if (problem) throw invalidTuning(field, problem);

  const configs = searchConfigurations(tuning);
  const minimize = lowerIsBetter(metric);
  const summary: TuningSummary = { strategy: tuning.strategy, metric, direction: minimize ? 'minimize' : 'maximize', folds: tuning.folds, planned: configs.length, trials: [] };
  state.status.tuning = summary;
  const step = state.stepOf('tune');
  let best: CompletedTrial | undefined;
  const record = (result: TrialResult) => {
    summary.trials = [...summary.trials, result].sort((a, b) => a.trial - b.trial);
    if (isCompletedTrial(result)) best = best ? better(best, result, minimize) : result;
    const leader = best ? `, best ${metric} ${best.mean.toFixed(4)} (trial ${best.trial})` : '';
    step.progress = { fraction: summary.trials.length / configs.length, message: `${summary.trials.length}/${configs.length} trials${leader}` };
  };

  let next = 0;
  // Once a trial fails the search, no lane starts another while the run ends.
  let stopped = false;
  const lane = async (): Promise<void> => {
    while (!stopped && next < configs.length) {
      const trial = next++;
      const config = configs[trial];
      const model = { ...params.model, hyperparameters: trialHyperparameters(params.model.hyperparameters, config) } as ModelSpec;
      const input = { run: state.run, trial, config, model, train: prepared.train, folds: tuning.folds, seed: tuning.seed, metric };
      try {
        const lost = (round: number) => state.status.warnings.push(`tune trial ${trial}: ${MAX_ATTEMPTS.train * round} attempts ended in lost workers; scheduled again (round ${round + 1})`);
        record(await surviveWorkerLoss(() => steps.tuneTrial(input), lost));
      } catch (error) {
        if (!configurationFailure(error)) {
          stopped = true;
          throw error;
        }
        record({ trial, config, error: describeFailure(error) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(tuning.maxConcurrency, configs.length) }, lane));

  if (!best) {
    const reasons = [...new Set(summary.trials.map((t) => (isCompletedTrial(t) ? '' : t.error)))].slice(0, 3).join('; ');
    throw invalidTuning('tuning.space', `no configuration of the search could be trained: ${reasons}`);
  }
  const hyperparameters = trialHyperparameters(params.model.hyperparameters, best.config);
  summary.best = { trial: best.trial, config: best.config, hyperparameters, mean: best.mean, std: best.std };
  const failed = summary.trials.length - summary.trials.filter(isCompletedTrial).length;
  if (failed > 0) state.status.warnings.push(`tuning: ${failed} of ${configs.length} configurations could not be trained (see tuning.trials)`);
  return { ...params.model, hyperparameters } as ModelSpec;
}

/** The tune step's one-line summary. */
export function describeSearch(summary: TuningSummary | undefined): string {
  const best = summary?.best;
  if (!summary || !best) return 'no search';
  return `${summary.trials.length} configurations x ${summary.folds} folds; best ${summary.metric} ${best.mean.toFixed(4)} +/- ${best.std.toFixed(4)} (trial ${best.trial}: ${JSON.stringify(best.config)})`;
}
