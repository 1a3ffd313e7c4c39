import { log } from '@temporalio/activity';
import { SecretStore, SmtpMailer, systemClock, WebhookNotifier, type ActivityDeps } from '../activities';
import { MlflowClient } from '../mlflow';
import { createArtifactStore } from '../storage/createArtifactStore';
import { createS3Client } from '../storage/s3/client';
import { type WorkerConfig } from './config';

/** The real adapters behind the activities, from the worker's configuration. */
export function buildActivityDeps(config: WorkerConfig): ActivityDeps {
  // One client for the S3 artifact store and s3:// sources: they share its connection pool. The
  // SDK connects nothing until the first request, so a worker that never touches S3 pays nothing.
  const s3 = createS3Client(config.s3);
  return {
    store: createArtifactStore(config.artifactStore, s3, { partSizeBytes: config.s3PartSizeBytes }),
    dataRoot: config.dataRoot,
    secrets: new SecretStore({ dir: config.secretsDir }),
    notifier: new WebhookNotifier((message, attrs) => {
      log.info(message, attrs);
    }, config.http),
    mailer: config.smtp === undefined ? undefined : new SmtpMailer(config.smtp),
    mlflow: config.mlflow === undefined ? undefined : new MlflowClient(config.mlflow),
    clock: systemClock,
    http: config.http,
    s3,
    maxColumns: config.maxColumns,
    markerHostIntervalMs: config.markerHostIntervalMs,
    progressIntervalMs: config.progressIntervalMs,
    heartbeatIntervalMs: config.heartbeat.intervalMs,
    checkpoints: config.checkpoints,
  };
}
