import type { PreprocessResult } from '../activities';
import { gateMetricProblem, lowerIsBetter } from '../contract/gateMetrics';
import { deployGates } from '../contract/gates';
import { isCompletedTrial } from '../contract/trials';
import { searchConfigurations, trialHyperparameters } from '../contract/tuningSpace';
import { type CompletedTrial, type MetricName, type ModelSpec, type PipelineParams, type TrialResult, type TuningSpec, type TuningSummary } from '../contract';
import { type PipelineSteps } from './steps';
import { type RunState } from './runState';
import { halvingSearch, planHalving } from './tuneHalving';
import { better, invalidTuning, runTrials, type TrialRunner } from './tuneTrials';
import { established } from './patches';

/** Marks runs that search hyperparameters; only runs with `tuning` ask for it, so other runs' commands are unchanged. */
export const HYPERPARAMETER_SEARCH_PATCH = 'hyperparameter-search';
/** Marks searches by successive halving; only runs with `strategy: 'halving'` ask for it. */
export const SUCCESSIVE_HALVING_PATCH = 'successive-halving';

/** The metric a search optimises and the field that names it: its own, else the first deploy gate's. */
export function tuningMetric(params: PipelineParams & { tuning: TuningSpec }): { metric: MetricName; field: string } {
  if (params.tuning.metric !== undefined) return { metric: params.tuning.metric as MetricName, field: 'tuning.metric' };
  const [first] = deployGates(params.deploy);
  return { metric: first.metric, field: first.field };
}

/** Trials in the summary's order: by rung (halving), then by trial. */
const trialOrder = (a: TrialResult, b: TrialResult) => (a.rung ?? 0) - (b.rung ?? 0) || a.trial - b.trial;

/**
 * The hyperparameter search: every configuration drawn from the space (seeded, here in workflow
 * code) is one `tuneTrial` activity on the compute pool, at most `maxConcurrency` in flight
 * (runTrials). Random and grid search cross-validate each configuration once on the whole
 * training split; successive halving (tuneHalving.ts) in rungs of growing samples of it. Returns
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
  const halving = tuning.strategy === 'halving' && established(SUCCESSIVE_HALVING_PATCH) ? planHalving(tuning, configs.length, prepared) : undefined;
  const minimize = lowerIsBetter(metric);
  const planned = halving ? halving.rungs.reduce((n, r) => n + r.candidates, 0) : configs.length;
  const summary: TuningSummary = {
    strategy: tuning.strategy,
    metric,
    direction: minimize ? 'minimize' : 'maximize',
    folds: tuning.folds,
    planned,
    ...(halving && { rungs: halving.rungs }),
    trials: [],
  };
  state.status.tuning = summary;
  const step = state.stepOf('tune');
  let leader: CompletedTrial | undefined;
  const record = (result: TrialResult) => {
    summary.trials = [...summary.trials, result].sort(trialOrder);
    if (isCompletedTrial(result)) leader = leader && leader.rung === result.rung ? better(leader, result, minimize) : result;
    const lead = leader ? `, best ${metric} ${leader.mean.toFixed(4)} (trial ${leader.trial}${leader.rung === undefined ? '' : `, rung ${leader.rung}`})` : '';
    step.progress = { fraction: summary.trials.length / planned, message: `${summary.trials.length}/${planned} trials${lead}` };
  };
  const runner: TrialRunner = { state, steps, params, prepared, metric, record };

  const jobs = configs.map((config, trial) => ({ trial, config }));
  const best = halving ? await halvingSearch(runner, jobs, halving, minimize) : bestOf(await runTrials(runner, jobs), minimize);
  if (!best) {
    const reasons = [...new Set(summary.trials.map((t) => (isCompletedTrial(t) ? '' : t.error)))].slice(0, 3).join('; ');
    throw invalidTuning('tuning.space', `no configuration of the search could be trained: ${reasons}`);
  }
  const hyperparameters = trialHyperparameters(params.model.hyperparameters, best.config);
  const where = best.rung === undefined ? {} : { rung: best.rung, resource: best.resource };
  summary.best = { trial: best.trial, ...where, config: best.config, hyperparameters, mean: best.mean, std: best.std };
  const failed = summary.trials.length - summary.trials.filter(isCompletedTrial).length;
  const what = halving ? `${failed} of ${summary.trials.length} trials` : `${failed} of ${configs.length} configurations`;
  if (failed > 0) state.status.warnings.push(`tuning: ${what} could not be trained (see tuning.trials)`);
  return { ...params.model, hyperparameters } as ModelSpec;
}

/** The best completed trial of `results`; undefined when none completed. */
export function bestOf(results: readonly TrialResult[], minimize: boolean): CompletedTrial | undefined {
  return results.filter(isCompletedTrial).reduce<CompletedTrial | undefined>((a, b) => (a ? better(a, b, minimize) : b), undefined);
}

/** The tune step's one-line summary. */
export function describeSearch(summary: TuningSummary | undefined): string {
  const best = summary?.best;
  if (!summary || !best) return 'no search';
  const score = `best ${summary.metric} ${best.mean.toFixed(4)} +/- ${best.std.toFixed(4)} (trial ${best.trial}: ${JSON.stringify(best.config)})`;
  const { rungs } = summary;
  if (rungs && rungs.length > 0) {
    const schedule = rungs.map((r) => `${r.candidates} x ${r.resource} rows`).join(', ');
    return `successive halving, ${rungs.length} rungs (${schedule}) x ${summary.folds} folds; ${score}`;
  }
  return `${summary.trials.length} configurations x ${summary.folds} folds; ${score}`;
}
