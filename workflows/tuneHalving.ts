import type { PreprocessResult } from '../activities';
import { isCompletedTrial } from '../contract/trials';
import { etaOf, halvingProblem, halvingSchedule } from '../contract/tuningHalving';
import { type CompletedTrial, type HalvingPlan, type TuningSpec } from '../contract';
import { better, invalidTuning, runTrials, type TrialJob, type TrialRunner } from './tuneTrials';

/** The rung schedule for this training split; a minResource the data cannot meet fails the run, naming it. */
export function planHalving(tuning: TuningSpec, candidates: number, prepared: PreprocessResult): HalvingPlan {
  const input = { candidates, eta: etaOf(tuning), maxResource: prepared.trainRows, minResource: tuning.minResource, folds: tuning.folds, classes: prepared.classes?.length ?? 0 };
  const problem = halvingProblem(input);
  if (problem) throw invalidTuning('tuning.minResource', problem);
  return halvingSchedule(input);
}

/**
 * Successive halving, as scikit-learn's HalvingRandomSearchCV: each rung cross-validates its
 * candidates (in parallel, as any search's trials) on its resource, training rows sampled from
 * the split; the best ceil(n / eta) by the rung's mean score (the earlier trial on a tie) go on
 * to the next rung. A candidate the rung's rows cannot train is not promoted. Returns the best
 * of the last rung (undefined when a rung trained none), which the train step refits.
 */
export async function halvingSearch(runner: TrialRunner, candidates: readonly TrialJob[], plan: HalvingPlan, minimize: boolean): Promise<CompletedTrial | undefined> {
  const eta = etaOf(runner.params.tuning);
  let alive = candidates;
  let ranked: CompletedTrial[] = [];
  for (const { rung, resource } of plan.rungs) {
    const results = await runTrials(runner, alive.map(({ trial, config }) => ({ trial, config, rung, resource })));
    ranked = results.filter(isCompletedTrial).sort((a, b) => (better(a, b, minimize) === a ? -1 : 1));
    if (ranked.length === 0) return undefined;
    alive = ranked.slice(0, Math.ceil(alive.length / eta));
  }
  return ranked[0];
}
