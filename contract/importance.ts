/** One input feature's permutation importance: the drop of the score when its values are shuffled. */
export interface FeatureImportance {
  readonly feature: string;
  /** Mean drop over the repeats; negative when shuffling happened to help. */
  readonly mean: number;
  readonly std: number;
}

/** At most this many features in a run's status and result; the evaluation artifact holds them all. */
export const FEATURE_IMPORTANCE_MAX = 30;

/**
 * Permutation importance on the held-out split (as scikit-learn's permutation_importance): each
 * input column (all its one-hot or datetime outputs together) is shuffled across a seeded sample of
 * rows, a few times, and the model's score drop is its importance.
 */
export interface FeatureImportances {
  readonly method: 'permutation';
  /** The score whose drop is measured: accuracy for classifiers, r2 for regressors. */
  readonly scoring: 'accuracy' | 'r2';
  /** Held-out rows sampled, shuffles per feature, and the seed of both. */
  readonly rows: number;
  readonly repeats: number;
  readonly seed: number;
  /** The score on the unshuffled sample. */
  readonly baseline: number;
  /** Largest mean first. */
  readonly features: FeatureImportance[];
  /** Features left out of `features` (beyond FEATURE_IMPORTANCE_MAX). */
  readonly omitted?: number;
}
