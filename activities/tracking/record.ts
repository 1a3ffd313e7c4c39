import { redactDeep, redactText, type MlflowLink, type TrackedStep, type TrackingRecord } from '../../contract';
import { type TrackRunInput } from '../trackingTypes';

const seconds = (from?: string, to?: string): number | undefined =>
  from === undefined || to === undefined ? undefined : Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000);

/** Each step's state, attempt and wall time; the steps' progress and summaries stay in the run's status. */
function trackedSteps(steps: TrackRunInput['status']['steps']): Record<string, TrackedStep> {
  return Object.fromEntries(steps.map((s) => [s.name, { state: s.state, attempt: s.attempt, ...(s.startedAt && { seconds: seconds(s.startedAt, s.endedAt) }) }]));
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
    params: redactDeep(params),
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
    artifacts: status.artifacts,
    warnings: [...status.warnings, ...(extra.warnings ?? [])].map(redactText),
    error: status.error === undefined ? undefined : redactText(status.error),
    mlflow: extra.mlflow,
  };
}
