import { type S3Client } from '@aws-sdk/client-s3';
import { type ArtifactStore } from '../storage/artifactStore';
import { type HttpPolicy } from './adapters/safeHttp';
import { type Notifier } from './adapters/notifier';
import { type Mailer } from './adapters/mailer';
import { type MlflowClient } from '../mlflow';
import { type SecretResolver } from './adapters/secrets';
import { type CheckpointPolicy } from './compute/tasks/forestCheckpoints';

export interface Clock {
  now(): Date;
}

/** Everything activities touch outside their own code, handed in by the worker (or a test). */
export interface ActivityDeps {
  readonly store: ArtifactStore;
  /** Local data sources and markers must resolve inside this folder. */
  readonly dataRoot: string;
  readonly notifier: Notifier;
  /** The worker's SMTP server; absent when it has none (a run that asks for email gets a warning). */
  readonly mailer?: Mailer;
  /** The worker's MLflow tracking server; absent when MLFLOW_TRACKING_URI is unset (runs are tracked in the store only). */
  readonly mlflow?: MlflowClient;
  readonly clock: Clock;
  /** Limits and allowed private hosts of http(s) sources, markers and webhooks; maxBytes also bounds s3:// sources. */
  readonly http: HttpPolicy;
  /** Resolves `secret://NAME` sources, markers and webhooks when a step uses them (default: `MLP_SECRET_<NAME>` variables only). */
  readonly secrets?: SecretResolver;
  /** Reads s3:// sources and markers. */
  readonly s3: S3Client;
  /** Most columns a dataset may have (default 10,000): wider ones fail as bad input before any row is read. */
  readonly maxColumns?: number;
  /** Least time between two progress signals of one step. */
  readonly progressIntervalMs: number;
  /** How often a step with a heartbeat timeout heartbeats, whatever its work does (default 1 s). */
  readonly heartbeatIntervalMs?: number;
  /** Least time between two http(s) marker checks against one host, across the runs of this worker (default 1 s). */
  readonly markerHostIntervalMs?: number;
  /** When a forest stores a checkpoint (default every 30 s of training). */
  readonly checkpoints?: CheckpointPolicy;
}

export const systemClock: Clock = { now: () => new Date() };
