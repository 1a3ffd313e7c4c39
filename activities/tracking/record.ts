import { isCompletedTrial, redactDeep, redactText, type MlflowLink, type TrackedStep, type TrackingRecord, type TuningSummary } from '../../contract';
import { type TrackRunInput } from '../trackingTypes';

const seconds = (from?: string, to?: string): number | undefined =>
  from === undefined || to === undefined ? undefined : Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000);

/** Each step's state, attempt and wall time; the steps' progress and summaries stay in the run's status. */
function trackedSteps(steps: TrackRunInput['status']['steps']): Record<string, TrackedStep> {
  return Object.fromEntries(steps.map((s) => [s.name, { state: s.state, attempt: s.attempt, ...(s.startedAt && { seconds: seconds(s.startedAt, s.endedAt) }) }]));
}

/** The params fitted: a searched run's model carries the best configuration's hyperparameters. */
function fittedParams(params: TrackRunInput['params'], tuning: TuningSummary | undefined): TrackRunInput['params'] {
  return tuning?.best ? { ...params, model: { ...params.model, hyperparameters: tuning.best.hyperparameters } as typeof params.model } : params;
}

function searchOf(tuning: TuningSummary | undefined): TrackingRecord['tuning'] {
  if (!tuning) return undefined;
  const failedTrials = tuning.trials.filter((t) => !isCompletedTrial(t)).length;
  return {
    strategy: tuning.strategy,
    metric: tuning.metric,
    folds: tuning.folds,
    trials: tuning.trials.length,
    failedTrials,
    ...(tuning.rungs && { rungs: tuning.rungs }),
    ...(tuning.best && { best: { mean: tuning.best.mean, std: tuning.best.std } }),
  };
}

/** The run's tracking record: scalars, the params and URIs; no per-class tables or data. */
export function buildTrackingRecord(input: TrackRunInput, extra: { readonly warnings?: readonly string[]; readonly mlflow?: MlflowLink } = {}): TrackingRecord {
  const { run, params, status, facts } = input;
  const deployed = facts.deployed;
  return {
    schemaVersion: 1,
    pipeline: run.pipeline,
    workflowId: run.workflowId,
    runId: run.runId,
    modelType: params.model.type,
    modelName: params.model.name ?? params.pipeline,
    startedAt: input.startedAt,
    endedAt: input.endedAt,
    durationSeconds: seconds(input.startedAt, input.endedAt) ?? 0,
    outcome: status.outcome ?? 'failed',
    // Sources and webhooks may carry credentials in their URLs.
    params: redactDeep(fittedParams(params, status.tuning)),
    dataset: {
      source: redactText(params.dataset.source),
      fingerprint: facts.dataset?.fingerprint,
      sourceBytes: facts.dataset?.sourceBytes,
      format: facts.dataset?.format,
      rows: { ingested: facts.dataset?.rows, quarantined: facts.quarantined, train: facts.split?.train, test: facts.split?.test, dropped: facts.split?.dropped },
      features: facts.split?.features,
    },
    steps: trackedSteps(status.steps),
    metrics: status.metrics ?? {},
    decision: status.decision,
    model: deployed && { version: deployed.version, uri: deployed.uri, serving: deployed.serving },
    tuning: searchOf(status.tuning),
    artifacts: status.artifacts,
    warnings: [...status.warnings, ...(extra.warnings ?? [])].map(redactText),
    error: status.error === undefined ? undefined : redactText(status.error),
    mlflow: extra.mlflow,
  };
}
