import { accessSync, constants, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { AllowList, type HttpPolicy, type SmtpSettings } from '../activities';
import { checkSmtpEnv, SMTP_ENV, smtpSettings } from './smtpConfig';
import { checkMlflowEnv, MLFLOW_ENV, mlflowSettings, type MlflowSettings } from '../mlflow';
import { describeArtifactRoot } from '../storage/createArtifactStore';
import { POOL_NAMES, type PoolName } from '../contract';
import { STORAGE_ENV, storageConfig, type StorageConfig } from '../storage/config';
import { temporalEnvSchema, type TemporalConfig, type TemporalDefaults } from '../connection/temporalEnv';

const int = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);

/** Why `dir` cannot be the secrets folder, or undefined when it can: it must be a directory the worker may list and read. */
function folderProblem(dir: string): string | undefined {
  try {
    if (!statSync(dir).isDirectory()) return 'is not a directory';
    accessSync(dir, constants.R_OK | constants.X_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? (error as Error).message})`;
  }
}

const EnvSchema = z.object({
  WORKER_POOLS: z
    .string()
    .default(POOL_NAMES.join(','))
    .transform((s, ctx) => {
      // Each pool once: a repeated name would start a second worker on the same task queue.
      const pools = [...new Set(s.split(',').map((p) => p.trim()).filter(Boolean))];
      const bad = pools.filter((p) => !(POOL_NAMES as string[]).includes(p));
      if (pools.length === 0 || bad.length > 0) {
        ctx.addIssue({ code: 'custom', message: `expected a comma-separated subset of ${POOL_NAMES.join(', ')}, got "${s}"` });
        return z.NEVER;
      }
      return pools as PoolName[];
    }),
  // Light steps wait on I/O, and idle pollers hold about ten slots: with fewer than ~12 no slot is free
  // for eager dispatch, and every light step pays a poll round trip (~40 ms) more.
  LIGHT_MAX_CONCURRENT_ACTIVITIES: int(1, 1000, 16),
  COMPUTE_MAX_CONCURRENT_ACTIVITIES: int(1, 1000, 4),
  MAX_CONCURRENT_WORKFLOW_TASKS: int(1, 1000, 40),
  // Small runs' local steps on the light worker, each a compute thread or I/O: more at once than the
  // cores only multiplies thread starts (16 concurrent tiny runs on 2 cores finished 0.3/s unbounded).
  LOCAL_MAX_CONCURRENT_ACTIVITIES: int(1, 1000, 4),
  // Threads running workflow activations (the SDK's workflowThreadPoolSize), each with its own V8 context.
  WORKFLOW_THREADS: int(1, 16, 1),
  ...STORAGE_ENV,
  DATA_ROOT: z.string().min(1).default('examples/data'),
  HTTP_TIMEOUT_MS: int(100, 3_600_000, 30_000),
  HTTP_MAX_BYTES: int(1, Number.MAX_SAFE_INTEGER, 1024 * 1024 * 1024),
  // Private, loopback and metadata addresses are refused for user-given URLs unless listed here.
  HTTP_ALLOW_HOSTS: z
    .string()
    .default('')
    .transform((value, ctx) => {
      try {
        return AllowList.parse(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  // Secret references in params (secret://NAME) are looked up here first, one file per name; then in MLP_SECRET_<NAME>.
  SECRETS_DIR: z
    .string()
    .min(1)
    .optional()
    .superRefine((dir, ctx) => {
      if (dir === undefined) return;
      const problem = folderProblem(dir);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `${dir} ${problem}` });
    }),
  // Least time between two http(s) marker checks against one host, over all the runs of a worker.
  SENSOR_HTTP_HOST_INTERVAL_MS: int(0, 3_600_000, 1_000),
  // Wider datasets are refused as bad input: each column costs memory whatever the file's size.
  INGEST_MAX_COLUMNS: int(1, 1_000_000, 10_000),
  PROGRESS_INTERVAL_MS: int(0, 3_600_000, 2_000),
  // Activities heartbeat locally this often; the SDK sends at most one heartbeat per throttle
  // interval to the server, whose answer is how an attempt learns it is cancelled.
  HEARTBEAT_INTERVAL_MS: int(10, 60_000, 1_000),
  HEARTBEAT_THROTTLE_MS: int(100, 60_000, 2_000),
  // A forest stores a checkpoint after this many new trees (0: off) or this long since the last one.
  CHECKPOINT_EVERY_TREES: int(0, 100_000, 0),
  CHECKPOINT_INTERVAL_MS: int(0, 86_400_000, 30_000),
  SHUTDOWN_GRACE_MS: int(0, 3_600_000, 30_000),
  WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
  // Prometheus endpoints of a worker process: our own metrics (prom-client) and the Temporal SDK's.
  WORKER_METRICS_PORT: int(1, 65535, 9464),
  SDK_METRICS_PORT: int(1, 65535, 9465),
  METRICS_HOST: z.string().min(1).default('0.0.0.0'),
  ...SMTP_ENV,
  ...MLFLOW_ENV,
})
  .superRefine(checkSmtpEnv)
  .superRefine(checkMlflowEnv);

export interface WorkerConfig extends StorageConfig {
  /** Address, namespace and connection options (TLS, API key) from the SDK's environment configuration. */
  readonly temporal: TemporalConfig;
  readonly pools: readonly PoolName[];
  readonly maxConcurrentActivities: Readonly<Record<PoolName, number>>;
  readonly maxConcurrentWorkflowTasks: number;
  readonly maxConcurrentLocalActivities: number;
  readonly workflowThreads: number;
  /** Where artifacts go, for people: the absolute folder, or `s3://bucket/prefix`. */
  readonly artifactRoot: string;
  readonly dataRoot: string;
  /** The folder of secrets (one file per name) that `secret://NAME` params are looked up in first; absent when unset. */
  readonly secretsDir?: string;
  readonly http: HttpPolicy;
  readonly maxColumns: number;
  readonly markerHostIntervalMs: number;
  readonly progressIntervalMs: number;
  readonly heartbeat: { readonly intervalMs: number; readonly throttleMs: number };
  readonly checkpoints: { readonly everyTrees: number; readonly everyMs: number };
  readonly shutdownGraceMs: number;
  /** A prebuilt workflow bundle (production images); bundled from source at start when unset. */
  readonly workflowBundlePath?: string;
  readonly logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  /** Where a worker process serves /metrics (ours) and the SDK's runtime metrics. */
  readonly metrics: { readonly host: string; readonly port: number; readonly sdkPort: number };
  /** The SMTP server emails go through; absent when none is configured (SMTP_URL or SMTP_HOST). */
  readonly smtp?: SmtpSettings;
  /** The MLflow tracking server runs are also logged to; absent without MLFLOW_TRACKING_URI. */
  readonly mlflow?: MlflowSettings;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Parses the worker's environment once; a bad variable stops start-up with its name and the reason.
 * `temporal` gives the address and namespace used when neither the variables nor a profile name one.
 */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env, temporal: Partial<TemporalDefaults> = {}): WorkerConfig {
  const parsed = EnvSchema.safeParse(env);
  const connection = temporalEnvSchema(temporal).safeParse(env);
  if (!parsed.success || !connection.success) {
    const issues = [...(parsed.error?.issues ?? []), ...(connection.error?.issues ?? [])];
    throw new ConfigError(`invalid worker configuration:\n${issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  const e = parsed.data;
  return {
    temporal: connection.data,
    pools: e.WORKER_POOLS,
    maxConcurrentActivities: { light: e.LIGHT_MAX_CONCURRENT_ACTIVITIES, compute: e.COMPUTE_MAX_CONCURRENT_ACTIVITIES },
    maxConcurrentWorkflowTasks: e.MAX_CONCURRENT_WORKFLOW_TASKS,
    maxConcurrentLocalActivities: e.LOCAL_MAX_CONCURRENT_ACTIVITIES,
    workflowThreads: e.WORKFLOW_THREADS,
    ...storageConfig(e),
    artifactRoot: describeArtifactRoot(e.ARTIFACT_ROOT),
    dataRoot: resolve(e.DATA_ROOT),
    secretsDir: e.SECRETS_DIR === undefined ? undefined : resolve(e.SECRETS_DIR),
    http: { timeoutMs: e.HTTP_TIMEOUT_MS, maxBytes: e.HTTP_MAX_BYTES, allow: e.HTTP_ALLOW_HOSTS },
    maxColumns: e.INGEST_MAX_COLUMNS,
    markerHostIntervalMs: e.SENSOR_HTTP_HOST_INTERVAL_MS,
    progressIntervalMs: e.PROGRESS_INTERVAL_MS,
    heartbeat: { intervalMs: e.HEARTBEAT_INTERVAL_MS, throttleMs: e.HEARTBEAT_THROTTLE_MS },
    checkpoints: { everyTrees: e.CHECKPOINT_EVERY_TREES, everyMs: e.CHECKPOINT_INTERVAL_MS },
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    workflowBundlePath: e.WORKFLOW_BUNDLE_PATH,
    logLevel: e.LOG_LEVEL,
    metrics: { host: e.METRICS_HOST, port: e.WORKER_METRICS_PORT, sdkPort: e.SDK_METRICS_PORT },
    smtp: smtpSettings(e),
    mlflow: mlflowSettings(e),
  };
}
