/** The bounds and defaults of `tuning`. Zod-free: workflow code plans searches with them. */

/** Most configurations one search runs (a grid's combinations, or random trials). */
export const MAX_TRIALS = 500;
export const DEFAULT_RANDOM_TRIALS = 20;
export const MAX_FOLDS = 20;
/** Points of a range on a grid when `gridPoints` is not set. */
export const DEFAULT_GRID_POINTS = 5;
/** Successive halving: the share of a rung's candidates promoted is 1/eta, and their resource grows eta times. */
export const DEFAULT_ETA = 3;
export const MAX_ETA = 10;
/** Most training rows a rung's cross-validation may start from (a bigger minimum is the whole split anyway). */
export const MAX_MIN_RESOURCE = 1_000_000_000;
