import { type ActivityDeps } from './deps';
import { createCompareActivities } from './compare';
import { createDeployActivities } from './deploy';
import { createDriftActivities } from './drift';
import { createRetrainClaimActivities } from './retrainClaim';
import { createIngestActivities } from './ingest';
import { createInferenceActivities } from './inference';
import { createModelActivities } from './model';
import { createNotifyActivities } from './notify';
import { createParamsActivities } from './params';
import { createPreprocessActivities } from './preprocess';
import { createReportActivities } from './report';
import { createSensorActivities } from './sensor';
import { createShardActivities } from './shards';
import { createTuningActivities } from './tuning';
import { createTrackActivities } from './track';
import { createValidateActivities } from './validate';
import { announcingRetries } from './attempts';
import { keepAlive } from './heartbeat';

/** Heartbeat interval when the worker sets none. */
const DEFAULT_HEARTBEAT_INTERVAL_MS = 1_000;

function createAll(deps: ActivityDeps) {
  return {
    ...createParamsActivities(),
    ...createSensorActivities(deps),
    ...createIngestActivities(deps),
    ...createValidateActivities(deps),
    ...createPreprocessActivities(deps),
    ...createModelActivities(deps),
    ...createCompareActivities(deps),
    ...createShardActivities(deps),
    ...createTuningActivities(deps),
    ...createDeployActivities(deps),
    ...createNotifyActivities(deps),
    ...createReportActivities(deps),
    ...createInferenceActivities(deps),
    ...createDriftActivities(deps),
    ...createRetrainClaimActivities(deps),
    ...createTrackActivities(deps),
  };
}

/**
 * Every activity of the pipeline, bound to its adapters, each heartbeating on a steady interval
 * when its step has a heartbeat timeout and telling the workflow when it is a retry. Workflows
 * import only the type.
 */
export function createActivities(deps: ActivityDeps): ReturnType<typeof createAll> {
  const all = createAll(deps);
  const intervalMs = deps.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
  const wrap = (name: string, activity: (...args: unknown[]) => Promise<unknown>) => keepAlive(announcingRetries(name, activity, deps), intervalMs);
  return Object.fromEntries(Object.entries(all).map(([name, activity]) => [name, wrap(name, activity as (...args: unknown[]) => Promise<unknown>)])) as typeof all;
}

export type PipelineActivities = ReturnType<typeof createActivities>;
export type { ActivityDeps } from './deps';
export type * from './types';
export type * from './inferenceTypes';
export type * from './tuningTypes';
export type * from './trackingTypes';
export type { CheckpointRef, TrainHeartbeat } from './checkpoints';
// What the worker composes the activities from: their adapters and the validation failure it counts.
export { systemClock } from './deps';
export { AllowList } from './adapters/addressPolicy';
export type { HttpPolicy } from './adapters/safeHttp';
export { WebhookNotifier } from './adapters/notifier';
export { SecretStore, type SecretResolver } from './adapters/secrets';
export { SmtpMailer, type SmtpSettings } from './adapters/mailer';
export { type ValidationFailureDetails } from './validate';
export { activeComputeThreads, prewarmComputeThread } from './compute/runInThread';
export { cleanStaleScratch } from './scratch';
