import { type CompletedTrial, type TrialResult } from './tuning';

/** A trial that cross-validated, not one the data could not train. */
export const isCompletedTrial = (t: TrialResult): t is CompletedTrial => !('error' in t);
