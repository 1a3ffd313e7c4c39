import { type Decision, type Outcome, type StepState } from './status';
import { type HalvingRung } from './tuning';

/** What the training workflow learns along the way that its status does not keep: the tracking record's inputs. */
export interface RunFacts {
  dataset?: { readonly fingerprint: string; readonly sourceBytes: number; readonly rows: number; readonly columns: number; readonly format: string };
  quarantined?: number;
  split?: { readonly train: number; readonly test: number; readonly dropped: number; readonly features: number };
  deployed?: { readonly version: string; readonly uri: string; readonly serving: boolean };
}

export interface TrackedStep {
  readonly state: StepState;
  readonly attempt: number;
  /** Wall time of the step on the workflow clock; absent for steps that never ran. */
  readonly seconds?: number;
}

/** Where the same run was logged in MLflow, when the worker has MLFLOW_TRACKING_URI. */
export interface MlflowLink {
  readonly experimentId: string;
  readonly runId: string;
  /** The MLflow model version registered for a deployed model. */
  readonly modelVersion?: string;
}

/**
 * One training run, as the tracking index keeps it: small (scalars, the params, URIs), one JSON
 * object per run, written once at the end of the run.
 */
export interface TrackingRecord {
  readonly schemaVersion: 1;
  readonly pipeline: string;
  readonly workflowId: string;
  readonly runId: string;
  readonly modelType: string;
  readonly modelName: string;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly durationSeconds: number;
  readonly outcome: Outcome;
  /** The run's params as parsed (defaults filled), URLs redacted. */
  readonly params: unknown;
  readonly dataset: {
    readonly source: string;
    readonly fingerprint?: string;
    readonly sourceBytes?: number;
    readonly format?: string;
    readonly rows: { readonly ingested?: number; readonly quarantined?: number; readonly train?: number; readonly test?: number; readonly dropped?: number };
    readonly features?: number;
  };
  readonly steps: Readonly<Record<string, TrackedStep>>;
  readonly metrics: Readonly<Record<string, number>>;
  readonly decision?: Decision;
  readonly model?: { readonly version: string; readonly uri: string; readonly serving: boolean };
  /** A searched run: how the search went; `params` then hold the best configuration's hyperparameters, the ones fitted. */
  /** `trials` counts cross-validations: a successive-halving candidate counts once per rung it reached (`rungs`). */
  readonly tuning?: {
    readonly strategy: string;
    readonly metric: string;
    readonly folds: number;
    readonly trials: number;
    readonly failedTrials: number;
    readonly rungs?: readonly HalvingRung[];
    readonly best?: { readonly mean: number; readonly std: number };
  };
  /** Artifact kind to URI. */
  readonly artifacts: Readonly<Record<string, string>>;
  readonly warnings: readonly string[];
  readonly error?: string;
  readonly mlflow?: MlflowLink;
}

const segment = (s: string): string => encodeURIComponent(s);

/**
 * The tracking index in the artifact store: one object per run, found by its run id, and a small
 * timeline entry per run whose key sorts by start time, so recent runs are found without reading all.
 */
export const trackingKeys = {
  runsPrefix: (pipeline: string): string => `tracking/${segment(pipeline)}/runs/`,
  run: (pipeline: string, runId: string): string => `tracking/${segment(pipeline)}/runs/${segment(runId)}.json`,
  timelinePrefix: (pipeline: string): string => `tracking/${segment(pipeline)}/timeline/`,
  // ISO-8601 UTC instants of one format sort as text in time order.
  timeline: (pipeline: string, startedAt: string, runId: string): string => `tracking/${segment(pipeline)}/timeline/${segment(startedAt)}_${segment(runId)}.json`,
};

/** A run's timeline entry: what a trend over recent runs needs, without the whole record. */
export interface TimelineEntry {
  readonly runId: string;
  readonly startedAt: string;
  readonly metrics: Readonly<Record<string, number>>;
}

/** A scalar or an array left whole: what a flattened field holds. */
export type FlatValue = string | number | boolean | null | readonly unknown[];

/**
 * A JSON value as dotted paths to its leaves (`model.hyperparameters.nTrees`): what sorting,
 * filtering and comparing address, and what MLflow's flat params hold. Arrays stay one value.
 */
export function flatten(value: unknown, prefix = '', into: Record<string, FlatValue> = {}): Record<string, FlatValue> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, into);
  } else if (value !== undefined && prefix) {
    into[prefix] = value as FlatValue;
  }
  return into;
}
