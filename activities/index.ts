import { type ActivityDeps } from './deps';
import { createDeployActivities } from './deploy';
import { createIngestActivities } from './ingest';
import { createModelActivities } from './model';
import { createNotifyActivities } from './notify';
import { createPreprocessActivities } from './preprocess';
import { createReportActivities } from './report';
import { createSensorActivities } from './sensor';
import { createValidateActivities } from './validate';

/** Every activity of the pipeline, bound to its adapters. Workflows import only the type. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createSensorActivities(deps),
    ...createIngestActivities(deps),
    ...createValidateActivities(deps),
    ...createPreprocessActivities(deps),
    ...createModelActivities(deps),
    ...createDeployActivities(deps),
    ...createNotifyActivities(deps),
    ...createReportActivities(deps),
  };
}

export type PipelineActivities = ReturnType<typeof createActivities>;
export type { ActivityDeps } from './deps';
export type * from './types';
// What the worker composes the activities from: their adapters and the validation failure it counts.
export { systemClock } from './deps';
export { AllowList } from './adapters/addressPolicy';
export type { HttpPolicy } from './adapters/safeHttp';
export { WebhookNotifier } from './adapters/notifier';
export { type ValidationFailureDetails } from './validate';
