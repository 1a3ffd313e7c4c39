import { type HalvingRung, type TuningSpec } from './tuning';
import { DEFAULT_ETA } from './tuningLimits';

/**
 * The rung schedule of a successive-halving search, as scikit-learn's HalvingRandomSearchCV plans
 * it with resource="n_samples": the resource is the training rows a candidate's cross-validation
 * uses (a seeded, stratified sample of the training split), which cuts the cost of a forest's
 * every tree and of scoring it, whatever the hyperparameters; the number of trees, the other
 * choice, would leave the rows (and the cost of each tree) whole, and could not be searched itself.
 * Pure: the workflow plans with it, and tests check it against known answers.
 */

export interface HalvingInput {
  /** First-rung candidates. */
  readonly candidates: number;
  readonly eta: number;
  /** Training rows: the most a rung can use. */
  readonly maxResource: number;
  /** Set by the params; the "exhaust" default when undefined. */
  readonly minResource?: number;
  readonly folds: number;
  /** Classes of a classifier's target; 0 for a regressor. */
  readonly classes: number;
}

export interface HalvingPlan {
  readonly minResource: number;
  readonly maxResource: number;
  readonly rungs: HalvingRung[];
}

/** The largest k with eta^k <= n: floor(log_eta(n)) in integers (a float logarithm is off by one at exact powers, e.g. 243 = 3^5). */
export function floorLog(n: number, eta: number): number {
  let k = 0;
  for (let p = eta; p <= n; p *= eta) k++;
  return k;
}

/** scikit-learn's "smallest" resource: two rows per fold (and per class for a classifier), so every fold can train and validate. */
export function smallestResource(folds: number, classes: number): number {
  return 2 * folds * Math.max(1, classes);
}

/** Why a minResource set in the params cannot run on this data (a message for tuning.minResource), or undefined. */
export function halvingProblem(input: HalvingInput): string | undefined {
  const { minResource, maxResource, folds, classes } = input;
  if (minResource === undefined) return undefined;
  if (minResource > maxResource) return `minResource ${minResource} is more than the ${maxResource} training rows`;
  const stratifiable = Math.max(2 * folds, folds * classes);
  if (minResource < stratifiable) return `minResource ${minResource} cannot hold ${folds} folds${classes ? ` with each of the ${classes} classes in every fold` : ''}: use at least ${stratifiable}`;
  return undefined;
}

/**
 * Rung i cross-validates its candidates on min(minResource x eta^i, maxResource) rows and promotes
 * ceil(candidates / eta) of them. Rungs: as many as it takes to leave fewer than eta candidates
 * (1 + floor(log_eta(n))), and no more than the rows allow (1 + floor(log_eta(max / min))). The
 * default minResource is scikit-learn's "exhaust": maxResource / eta^(rungs - 1), so the last rung
 * uses about the whole split, never below the smallest resource nor above the split (a split that
 * small gets one rung: every candidate on all its rows). Call halvingProblem first.
 */
export function halvingSchedule(input: HalvingInput): HalvingPlan {
  const { candidates, eta, maxResource } = input;
  const required = 1 + floorLog(candidates, eta);
  const smallest = smallestResource(input.folds, input.classes);
  const minResource = input.minResource ?? Math.min(maxResource, Math.max(smallest, Math.floor(maxResource / eta ** (required - 1))));
  const possible = 1 + floorLog(Math.floor(maxResource / minResource), eta);
  const rungs: HalvingRung[] = [];
  let left = candidates;
  for (let rung = 0; rung < Math.min(required, possible); rung++) {
    rungs.push({ rung, candidates: left, resource: Math.min(maxResource, minResource * eta ** rung) });
    left = Math.ceil(left / eta);
  }
  return { minResource, maxResource, rungs };
}

/** The schedule's eta (the params' or the default). */
export const etaOf = (tuning: TuningSpec): number => tuning.eta ?? DEFAULT_ETA;
