import { type ArtifactRef } from '../storage/artifactStore';
import { type InferenceParams, type MetricName, type ModelType, type PipelineStatus, type PredictionFormat, type RunRef, type Task } from '../contract';
import { type IssueCounts } from '../ml/preprocess';

export interface CheckBatchInput {
  readonly run: RunRef;
  readonly table: ArtifactRef;
  readonly model: { readonly name: string; readonly version?: string };
  readonly label?: string;
  readonly passThrough: readonly string[];
  /** Check the feature columns and the label against the model (validation.checkModelFeatures). */
  readonly checkFeatures: boolean;
}
/** The model version the run scores with, resolved once so a deploy during the run changes nothing. */
export interface CheckBatchResult {
  readonly modelName: string;
  readonly version: string;
  readonly modelType: ModelType;
  readonly task: Task;
  readonly classes?: readonly string[];
  readonly features: readonly string[];
  readonly rows: number;
}

export interface PredictInput {
  readonly run: RunRef;
  readonly table: ArtifactRef;
  readonly modelName: string;
  readonly version: string;
  readonly passThrough: readonly string[];
  readonly format: PredictionFormat;
  /** Absent in runs recorded before row warnings: off. */
  readonly rowWarnings?: boolean;
}
export interface PredictResult {
  readonly predictions: ArtifactRef;
  /** The raw predictions (class indices or values) that evaluation compares with the labels. */
  readonly raw: ArtifactRef;
  readonly rows: number;
  readonly format: PredictionFormat;
  readonly classes?: readonly string[];
  /** Missing features and unseen categories over the batch; absent in results recorded before them. */
  readonly issues?: IssueCounts;
}

export interface EvaluateBatchInput {
  readonly run: RunRef;
  readonly table: ArtifactRef;
  readonly raw: ArtifactRef;
  readonly label: string;
  readonly task: Task;
  readonly classes?: readonly string[];
}
export interface EvaluateBatchResult {
  readonly evaluation: ArtifactRef;
  readonly metrics: Partial<Record<MetricName, number>>;
}

export interface InferenceReportInput {
  readonly run: RunRef;
  readonly status: PipelineStatus;
  readonly params: InferenceParams;
}
