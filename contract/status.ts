import { type ClassReport } from './classReport';
import { type DriftSummary } from './drift';
import { type FeatureImportances } from './importance';
import { type MetricName } from './params';
import { type TuningSummary } from './tuning';

export const STEP_NAMES = [
  'waitForData',
  'ingest',
  'validate',
  'preprocess',
  'train',
  'evaluate',
  'compare',
  'approval',
  'deploy',
  'register',
  'alert',
  'report',
] as const;

/** A training run with `tuning` searches its hyperparameters between preprocess and train. */
export const TUNED_STEP_NAMES = [...STEP_NAMES.slice(0, STEP_NAMES.indexOf('train')), 'tune', ...STEP_NAMES.slice(STEP_NAMES.indexOf('train'))] as const;

/** The steps of a batch inference run (`mlInference`), in order. */
export const INFERENCE_STEP_NAMES = ['waitForData', 'ingest', 'validate', 'predict', 'evaluate', 'drift', 'alert', 'report'] as const;

export type StepName = (typeof STEP_NAMES)[number] | (typeof INFERENCE_STEP_NAMES)[number] | 'tune';

export type StepState = 'pending' | 'running' | 'completed' | 'failed' | 'skipped' | 'cancelled';

export interface StepProgress {
  /** 0..1 when the step knows how far it is. */
  readonly fraction?: number;
  readonly message?: string;
}

export interface StepStatus {
  readonly name: StepName;
  state: StepState;
  /**
   * Attempt of the step's activity, from Temporal's activity info: a retry announces itself, and a
   * step whose retries ran out shows the last attempt. The API also takes the server's count of a
   * pending activity.
   */
  attempt: number;
  /** ISO-8601 times of the workflow clock. */
  startedAt?: string;
  endedAt?: string;
  progress?: StepProgress;
  summary?: string;
  error?: string;
}

/** Where the run is: `stage` is also the MlStage search attribute. */
export type Stage =
  | 'waiting_for_data'
  | 'ingesting'
  | 'validating'
  | 'preprocessing'
  | 'tuning'
  | 'training'
  | 'evaluating'
  | 'comparing'
  | 'predicting'
  | 'checking_drift'
  | 'awaiting_approval'
  | 'deploying'
  | 'registering'
  | 'alerting'
  | 'reporting'
  | 'deployed'
  | 'not_deployed'
  | 'scored'
  | 'skipped'
  | 'failed'
  | 'cancelled';

export type Approval = 'not_required' | 'approved' | 'rejected' | 'timed_out';

/** One metric requirement of the gate, as the run met it. */
export interface GateResult {
  readonly metric: MetricName;
  readonly value: number;
  readonly threshold: number;
  readonly passed: boolean;
}

/**
 * The new model against the production version, both scored on this run's held-out rows (each
 * through its own saved transform). Without a serving version, or one that cannot score these
 * rows, it passes and `note` says why.
 */
export interface ProductionComparison {
  readonly metric: MetricName;
  readonly margin: number;
  /** The new model's score. */
  readonly candidate: number;
  /** The production version's score; absent when none could be computed. */
  readonly production?: number;
  readonly productionVersion?: string;
  /** candidate - production for scores, production - candidate for errors: positive when the new model is better. */
  readonly improvement?: number;
  readonly passed: boolean;
  readonly note?: string;
  /** Held-out rows both were scored on; absent when nothing was scored. */
  readonly rows?: number;
}

export interface Decision {
  /** The first gate (the only one of params written before gates). */
  readonly metric: MetricName;
  readonly value: number;
  readonly threshold: number;
  /** Whether every gate passed (and the production comparison, when asked for). */
  readonly passed: boolean;
  /** Every metric requirement; absent from runs recorded before several gates. */
  readonly gates?: GateResult[];
  readonly production?: ProductionComparison;
  approval: Approval;
  /** deploy: the model went to production; alert: a retrain alert was raised. */
  action: 'deploy' | 'alert';
  reason: string;
}

/** A retraining run started by drift (its workflow id), or the reason none was started (cool-down, one already running). */
export type RetrainOutcome =
  | { readonly started: true; readonly workflowId: string; readonly runId: string; readonly reason: string }
  | { readonly started: false; readonly reason: string };

/** `scored`: an inference run wrote its predictions. */
export type Outcome = 'deployed' | 'not_deployed' | 'scored' | 'skipped' | 'failed' | 'cancelled';

export interface PipelineStatus {
  readonly pipeline: string;
  /** An inference run learns it from the registry at validation. */
  modelType: string;
  stage: Stage;
  currentStep?: StepName;
  steps: StepStatus[];
  metrics?: Record<string, number>;
  /** A classifier's per-class precision, recall, F1 and support, and its confusion matrix. */
  classReport?: ClassReport;
  /** Permutation importance of the input features on the held-out split, largest first (training runs). */
  featureImportances?: FeatureImportances;
  decision?: Decision;
  /** Artifact kind (ingested, validation, model, ...) to URI. */
  artifacts: Record<string, string>;
  modelVersion?: string;
  /** The version a model that was not deployed was registered as (not serving; promote it through the API). */
  candidateVersion?: string;
  outcome?: Outcome;
  error?: string;
  /** The drift step's summary, in runs that compare a batch with its model's training profile (inference). */
  drift?: DriftSummary;
  /** What drift's retraining loop did: a started training run, or why none was started. */
  retrain?: RetrainOutcome;
  /** The hyperparameter search of a run with `tuning`: every finished trial, and the configuration refit. */
  tuning?: TuningSummary;
  /** Problems that did not fail the run, e.g. a webhook that could not be reached. */
  warnings: string[];
}

/** What `mlPipeline` returns; also in the report. */
export interface PipelineResult extends PipelineStatus {
  outcome: Outcome;
  reportUri: string;
}

/** What an activity sends with the `stepProgress` signal. */
export interface StepProgressUpdate {
  readonly step: StepName;
  readonly attempt: number;
  readonly progress?: StepProgress;
}
