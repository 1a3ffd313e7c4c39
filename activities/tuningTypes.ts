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
}

export type TuneTrialResult = CompletedTrial;
