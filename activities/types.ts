import { type ArtifactRef } from '../storage/artifactStore';
import { type CheckpointRef } from './checkpoints';
import {
  type ClassReport,
  type DatasetFormat,
  type FeatureImportances,
  type MetricName,
  type ModelSpec,
  type PipelineParams,
  type PipelineStatus,
  type PreprocessingSpec,
  type RunRef,
  type SplitSpec,
  type Task,
  type TreeRange,
  type ValidationRules,
} from '../contract';
import { type DriftSpec, type DriftSummary } from '../contract/drift';
import { type ColumnRefs } from '../ml/data/columnCheck';

export type { ArtifactRef };

export interface SensorInput {
  readonly marker: string;
  /** ISO date-time: only a marker written after it counts. */
  readonly newerThan?: string;
  readonly pokeIntervalSeconds: number;
  readonly timeoutSeconds: number;
}
export interface SensorResult {
  readonly found: true;
  readonly checks: number;
  readonly waitedSeconds: number;
}

export interface IngestInput {
  readonly run: RunRef;
  readonly source: string;
  readonly format?: DatasetFormat;
  readonly compression?: PipelineParams['dataset']['compression'];
  readonly delimiter?: string;
  readonly sheet?: string;
  /** dataset.missingValues: texts that mean no value, in any format. */
  readonly missingValues?: readonly string[];
  /** The columns the params name, checked against the ingested schema (absent from inputs recorded before the check). */
  readonly columns?: ColumnRefs;
}
export interface IngestResult {
  readonly table: ArtifactRef;
  readonly format: DatasetFormat;
  readonly rows: number;
  readonly columns: number;
  /**
   * The inferred schema (`{ rows, columns: ColumnSchema[] }`) in the store: its size grows with the
   * columns, and activity results must stay small whatever the data. Results recorded before it
   * carried the schema inline as `schema`; nothing in the workflow reads either.
   */
  readonly schemaRef: ArtifactRef;
  /** sha256 of the source bytes: the dataset's identity in model lineage. */
  readonly fingerprint: string;
  readonly sourceBytes: number;
}

export interface ValidateInput {
  readonly run: RunRef;
  readonly table: ArtifactRef;
  readonly rules: ValidationRules;
}
export interface ValidateResult {
  readonly report: ArtifactRef;
  readonly passed: true;
  readonly expectations: number;
  /** Rows set aside by quarantine policies; absent when none were. */
  readonly quarantined?: number;
  /** The quarantined rows with their reasons (JSON lines). */
  readonly quarantine?: ArtifactRef;
  /** The ingested table without the quarantined rows: what the later steps read instead. */
  readonly table?: ArtifactRef;
  /** For the run's warnings. */
  readonly warnings?: string[];
}

export interface PreprocessInput {
  readonly run: RunRef;
  readonly table: ArtifactRef;
  readonly target: string;
  readonly features?: string[];
  readonly task: Task;
  readonly preprocessing: PreprocessingSpec;
  readonly split: SplitSpec;
  /** Set for forests: the splits are stored binned (histories recorded before it prepared dense splits). */
  readonly forest?: { readonly maxBins: number };
}
export interface PreprocessResult {
  readonly train: ArtifactRef;
  readonly test: ArtifactRef;
  readonly transform: ArtifactRef;
  readonly trainRows: number;
  readonly testRows: number;
  /** Rows without a target value, left out of both splits. */
  readonly droppedRows: number;
  readonly featureCount: number;
  readonly classes?: string[];
  /**
   * Each column's role, why, and whether it is a feature (`ColumnSummary[]`, ml/preprocess) in the
   * store, as its size grows with the columns. Absent from results recorded before roles.
   */
  readonly columns?: ArtifactRef;
  /** The run's warnings: columns left out of the features by their role, rows left out for want of a target; a few lines at most. */
  readonly warnings?: string[];
}

export interface TrainInput {
  readonly run: RunRef;
  readonly model: ModelSpec;
  readonly train: ArtifactRef;
  readonly transform: ArtifactRef;
  readonly target: string;
  /** A checkpoint of an earlier activity of this step whose workers were lost: resumed from when no attempt of this one has heartbeated one. */
  readonly resume?: CheckpointRef;
}
export interface TrainResult {
  readonly model: ArtifactRef;
  readonly fitSeconds: number;
}

export interface TrainShardInput {
  readonly run: RunRef;
  readonly model: ModelSpec;
  readonly train: ArtifactRef;
  /** The forest's trees this shard grows. */
  readonly range: TreeRange;
  /** This shard's checkpoint from an earlier activity whose workers were lost: resumed from when no attempt of this one has heartbeated one. */
  readonly resume?: CheckpointRef;
}
export interface TrainShardResult {
  readonly shard: ArtifactRef;
  readonly fitSeconds: number;
  /** Trees of the range taken from a checkpoint rather than grown by this attempt (0: none). */
  readonly resumedFrom?: number;
}

export interface MergeForestInput {
  readonly run: RunRef;
  readonly model: ModelSpec;
  /** The shards' forests, in tree order. */
  readonly shards: ArtifactRef[];
  readonly transform: ArtifactRef;
  readonly target: string;
}

export interface EvaluateInput {
  readonly run: RunRef;
  readonly model: ArtifactRef;
  readonly test: ArtifactRef;
}
export interface EvaluateResult {
  readonly evaluation: ArtifactRef;
  /** Every scalar metric of the task, e.g. accuracy and f1_macro, or r2 and rmse. */
  readonly metrics: Partial<Record<MetricName, number>>;
  /** Classifiers: per-class results and the confusion matrix, bounded in size (CLASS_REPORT_MAX_CLASSES). */
  readonly classReport?: ClassReport;
  /** Permutation importance on the held-out split, the largest FEATURE_IMPORTANCE_MAX features (absent from results recorded before it). */
  readonly featureImportances?: FeatureImportances;
}

export interface DeployInput {
  readonly run: RunRef;
  readonly modelName: string;
  readonly version?: string;
  readonly model: ArtifactRef;
  readonly params: PipelineParams;
  readonly datasetFingerprint: string;
  readonly metrics: Partial<Record<MetricName, number>>;
}
export interface DeployResult {
  readonly modelName: string;
  readonly version: string;
  readonly uri: string;
  /** The version serving after this deploy: ours, unless a newer one was promoted meanwhile. */
  readonly production: string;
  readonly previousVersion?: string;
}

export interface CompareInput {
  readonly run: RunRef;
  /** The registry name whose production version the run's model is compared with. */
  readonly modelName: string;
  readonly model: ArtifactRef;
  /** The table preprocess split, and how: the held-out rows are found again from them. */
  readonly table: ArtifactRef;
  readonly target: string;
  readonly task: Task;
  readonly split: SplitSpec;
}
export interface CompareResult {
  /** The production version compared with; absent when none serves. */
  readonly productionVersion?: string;
  /** Held-out rows both were scored on (absent when nothing was scored). */
  readonly rows?: number;
  /** Every metric of each, on the same rows through each one's own transform. */
  readonly candidate?: Partial<Record<MetricName, number>>;
  readonly production?: Partial<Record<MetricName, number>>;
  /** Why there is no production score: none serves, or it cannot score these rows. */
  readonly note?: string;
  readonly comparison?: ArtifactRef;
}

/** A model the gate kept out of production, registered as a candidate version (not serving). */
export interface RegisterCandidateInput extends DeployInput {
  /** Why it was not deployed (the decision's reason), kept in its lineage. */
  readonly reason: string;
}
export interface RegisterCandidateResult {
  readonly modelName: string;
  readonly version: string;
  readonly uri: string;
}

export interface AlertInput {
  readonly run: RunRef;
  /** `retrain_alert` when omitted (the training run's deploy gate); inference runs also raise `drift_alert`. */
  readonly kind?: 'retrain_alert' | 'drift_alert';
  readonly reason: string;
  readonly details: Record<string, unknown>;
  readonly webhooks: string[];
}

/** An email of the run's summary or its retrain alert: the same input as the webhook's, to addresses. */
export type EmailRunFinishedInput = Omit<NotifyInput, 'webhooks'> & { readonly to: string[] };
export type EmailAlertInput = Omit<AlertInput, 'webhooks'> & { readonly to: string[] };

/** Whether a mail left; unsent when the worker has no SMTP server (not a failure: a warning). */
export interface EmailResult {
  readonly sent: boolean;
  readonly note?: string;
}

/** One earlier (or this) run of the pipeline and its value of the history's metric. */
export interface RunHistoryPoint {
  readonly runId: string;
  /** ISO-8601. */
  readonly startedAt: string;
  readonly value: number;
}
/** The pipeline's metric across its recent runs (from run tracking), for the report's chart. */
export interface ReportHistory {
  readonly metric: string;
  readonly runs: readonly RunHistoryPoint[];
}
/** A hyperparameter search's trials (cross-validated score, mean and standard deviation over folds), for the report's chart. */
export interface ReportTuning {
  readonly metric: string;
  readonly trials: readonly { readonly params: Readonly<Record<string, unknown>>; readonly mean: number; readonly std: number; readonly rung?: number; readonly resource?: number }[];
  /** Index into `trials` of the configuration refitted (halving: its last-rung trial). */
  readonly best?: number;
}

export interface ReportInput {
  readonly run: RunRef;
  readonly status: PipelineStatus;
  readonly params: PipelineParams;
  /** Charted when present: the metric across the pipeline's recent runs. */
  readonly history?: ReportHistory;
  /** Charted when present: the run's tuning trials. */
  readonly tuning?: ReportTuning;
}
export interface ReportResult {
  readonly markdown: ArtifactRef;
  readonly html: ArtifactRef;
}

export interface NotifyInput {
  readonly run: RunRef;
  readonly status: PipelineStatus;
  readonly reportUri: string;
  readonly webhooks: string[];
}

/**
 * The batch's predictions for the drift step: counts per predicted class (classifiers), or the
 * predict step's raw predictions (`PredictResult.raw`: class indices into `classes`, or values).
 */
export type DriftPredictions = { readonly classCounts: Readonly<Record<string, number>> } | { readonly raw: ArtifactRef; readonly classes?: readonly string[] };

export interface DriftInput {
  readonly run: RunRef;
  readonly modelName: string;
  /** The version that scored the batch (its profile is the reference). */
  readonly version: string;
  /** The batch as ingest stored it (`IngestResult.table`). */
  readonly table: ArtifactRef;
  readonly predictions?: DriftPredictions;
  /** The evaluate step's metrics, when the batch carried labels. */
  readonly labelledMetrics?: Partial<Record<MetricName, number>>;
  readonly spec: DriftSpec;
}
export type DriftResult = DriftSummary;

export interface ClaimRetrainInput {
  readonly modelName: string;
  readonly cooldownSeconds: number;
  /** The run asking, recorded with the claim. */
  readonly run: RunRef;
}
export interface TrainingParamsInput {
  readonly modelName: string;
  readonly version: string;
}
export interface TrainingParamsResult {
  /** As the training run parsed them; the workflow parses them again before reusing them. */
  readonly params: unknown;
}
export interface ClaimRetrainResult {
  readonly granted: boolean;
  /** The last granted claim (this one when granted). */
  readonly lastClaimAt?: string;
  /** When refused: the earliest time a new claim can be granted. */
  readonly nextAllowedAt?: string;
}
