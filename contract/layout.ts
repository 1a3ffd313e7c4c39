/** Identifies one run's artifact folder. */
export interface RunRef {
  readonly pipeline: string;
  readonly workflowId: string;
  readonly runId: string;
}

/** The run-scoped artifact kinds; each is a folder under the run's prefix. */
export const ARTIFACT_KINDS = ['ingested', 'validation', 'preprocessed', 'checkpoints', 'model', 'evaluation', 'predictions', 'drift', 'report'] as const;
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];

const segment = (s: string): string => encodeURIComponent(s);

export function runPrefix(run: RunRef): string {
  return `runs/${segment(run.pipeline)}/${segment(run.workflowId)}/${segment(run.runId)}`;
}

export function runKey(run: RunRef, kind: ArtifactKind, file: string): string {
  return `${runPrefix(run)}/${kind}/${file}`;
}

/** The model registry: immutable versions plus a production pointer that moves atomically. */
export const registryKeys = {
  versionsPrefix: (model: string): string => `models/${segment(model)}/versions/`,
  version: (model: string, version: string, file: string): string => `models/${segment(model)}/versions/${segment(version)}/${file}`,
  production: (model: string): string => `models/${segment(model)}/production.json`,
  /** The version a run registered (or is registering): a retried deploy finds it without reading every lineage. */
  runVersion: (model: string, run: Pick<RunRef, 'workflowId' | 'runId'>): string => `models/${segment(model)}/runs/${segment(run.workflowId)}/${segment(run.runId)}.json`,
  /** The highest numbered version claimed so far: where the next number starts. Its presence says every version has its run key. */
  highestVersion: (model: string): string => `models/${segment(model)}/highest-version.json`,
  /** The last retraining run drift started for the model: the cool-down's clock. */
  retrainClaim: (model: string): string => `models/${segment(model)}/retrain-claim.json`,
};
