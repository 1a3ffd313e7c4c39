import { type CompletedTrial, type MetricName, type ModelSpec, type RunRef, type TrialConfig } from '../contract';
import { type ArtifactRef } from '../storage/artifactStore';

/** One trial of a hyperparameter search: one configuration, cross-validated on the training split. */
export interface TuneTrialInput {
  readonly run: RunRef;
  readonly trial: number;
  readonly config: TrialConfig;
  /** The run's model with the configuration's hyperparameters in place. */
  readonly model: ModelSpec;
  /** The preprocessed training split. */
  readonly train: ArtifactRef;
  readonly folds: number;
  readonly seed: number;
  readonly metric: MetricName;
  /** Successive halving: the rung and its resource, the training rows this trial's cross-validation samples. */
  readonly rung?: number;
  readonly resource?: number;
}

export type TuneTrialResult = CompletedTrial;
