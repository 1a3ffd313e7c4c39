import { log } from '@temporalio/activity';
import { type ActivityDeps } from '../activities';
import { LocalArtifactStore } from '../activities/adapters/localArtifactStore';
import { WebhookNotifier } from '../activities/adapters/notifier';
import { systemClock } from '../activities/deps';
import { type WorkerConfig } from './config';

/** The real adapters behind the activities, from the worker's configuration. */
export function buildActivityDeps(config: WorkerConfig): ActivityDeps {
  return {
    store: new LocalArtifactStore(config.artifactRoot),
    dataRoot: config.dataRoot,
    notifier: new WebhookNotifier((message, attrs) => {
      log.info(message, attrs);
    }, config.http),
    clock: systemClock,
    http: config.http,
    progressIntervalMs: config.progressIntervalMs,
  };
}
