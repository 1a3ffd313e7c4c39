import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { describeArtifactRoot } from '../storage/createArtifactStore';
import { STORAGE_ENV, storageConfig, type StorageConfig } from '../storage/config';
import { temporalEnvSchema, type TemporalConfig } from '../connection/temporalEnv';
import { checkMlflowEnv, MLFLOW_ENV, mlflowSettings, type MlflowSettings } from '../mlflow';
import { DEFAULT_POINTER_MAX_AGE_MS } from './models/predictor';
import { DEFAULT_CLOSED_VIEW_MAX_AGE_MS, DEFAULT_RUNNING_VIEW_MAX_AGE_MS } from './runs/viewMaxAge';

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
const int = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);

const EnvSchema = z.object({
  PORT: int(0, 65535, 3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  TEMPORAL_UI_URL: z.url().default('http://localhost:8233'),
  // The same store, and the same variables, as the workers: the API reads what they write.
  ...STORAGE_ENV,
  API_KEY: z.string().min(16, 'at least 16 characters').optional(),
  API_READ_REQUIRES_KEY: bool.default(false),
  // Artifact downloads (the whole dataset, the model) need the key unless opened on purpose.
  API_OPEN_READS: bool.default(false),
  API_BODY_LIMIT_BYTES: int(1024, 100 * 1024 * 1024, 1024 * 1024),
  API_RUNS_PER_MINUTE: int(1, 1_000_000, 600),
  API_PREDICTIONS_PER_MINUTE: int(1, 10_000_000, 6000),
  API_MAX_PREDICT_ROWS: int(1, 1_000_000, 10_000),
  // Threads that run predictions; the event loop keeps a core of its own.
  API_PREDICT_THREADS: int(1, 256, Math.max(1, availableParallelism() - 1)),
  // How old a production pointer predictions may be served from; 0 reads it on every prediction.
  API_POINTER_MAX_AGE_MS: int(0, 60_000, DEFAULT_POINTER_MAX_AGE_MS),
  // How old a run's view GET /runs/:id may answer with (0: built for every request): a running run's
  // progress, and a closed run asked for by workflow id (a new run may take that id). This API's own
  // start, approve, reject and cancel drop the run's views at once.
  API_RUNNING_VIEW_MAX_AGE_MS: int(0, 60_000, DEFAULT_RUNNING_VIEW_MAX_AGE_MS),
  API_CLOSED_VIEW_MAX_AGE_MS: int(0, 60_000, DEFAULT_CLOSED_VIEW_MAX_AGE_MS),
  // Web UI origins (e.g. http://localhost:8233) allowed to call /codec from the browser; none by default.
  API_CODEC_CORS_ORIGINS: z
    .string()
    .default('')
    .transform((value, ctx) => {
      const origins = value.split(',').map((o) => o.trim()).filter(Boolean);
      for (const origin of origins) {
        if (!URL.canParse(origin) || new URL(origin).origin !== origin) ctx.addIssue({ code: 'custom', message: `"${origin}" is not an origin (scheme://host[:port], no path)` });
      }
      return origins;
    }),
  // The workers' MLflow server and variables: a promotion or rollback moves MLflow's production alias too.
  ...MLFLOW_ENV,
}).superRefine(checkMlflowEnv);

export interface ApiConfig extends StorageConfig {
  readonly port: number;
  readonly host: string;
  /** Address, namespace and connection options (TLS, API key) from the SDK's environment configuration; the Web UI for run links. */
  readonly temporal: TemporalConfig & { readonly uiUrl: string };
  /** Where artifacts are, for people: the absolute folder, or `s3://bucket/prefix`. */
  readonly artifactRoot: string;
  /** Unset means mutating endpoints are closed: there is no default key. */
  readonly apiKey?: string;
  readonly readRequiresKey: boolean;
  /** Data reads (artifacts) without the key; they need it by default, whatever readRequiresKey says. */
  readonly openReads: boolean;
  readonly bodyLimitBytes: number;
  readonly rateLimits: { readonly runsPerMinute: number; readonly predictionsPerMinute: number };
  readonly maxPredictRows: number;
  readonly predictThreads: number;
  /** A deploy by another process is served within this many milliseconds; one through this API at once. */
  readonly pointerMaxAgeMs: number;
  /** How old a run's view may be when answered, by what the run was: a change by another process shows within it. */
  readonly runViewMaxAgeMs: { readonly running: number; readonly closed: number };
  /** Browser origins allowed to call the codec endpoint (the Temporal Web UI). */
  readonly codecCorsOrigins: readonly string[];
  /** The MLflow server whose `production` alias follows promotions and rollbacks; absent without MLFLOW_TRACKING_URI. */
  readonly mlflow?: MlflowSettings;
}

export class ApiConfigError extends Error {
  override readonly name = 'ApiConfigError';
}

/** Parses the API's environment once at start; a bad variable stops it with the variable's name. */
export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const parsed = EnvSchema.safeParse(env);
  const connection = temporalEnvSchema().safeParse(env);
  if (!parsed.success || !connection.success) {
    const issues = [...(parsed.error?.issues ?? []), ...(connection.error?.issues ?? [])];
    throw new ApiConfigError(`invalid API configuration:\n${issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    temporal: { ...connection.data, uiUrl: e.TEMPORAL_UI_URL.replace(/\/$/, '') },
    ...storageConfig(e),
    artifactRoot: describeArtifactRoot(e.ARTIFACT_ROOT),
    apiKey: e.API_KEY,
    readRequiresKey: e.API_READ_REQUIRES_KEY,
    openReads: e.API_OPEN_READS,
    bodyLimitBytes: e.API_BODY_LIMIT_BYTES,
    rateLimits: { runsPerMinute: e.API_RUNS_PER_MINUTE, predictionsPerMinute: e.API_PREDICTIONS_PER_MINUTE },
    maxPredictRows: e.API_MAX_PREDICT_ROWS,
    predictThreads: e.API_PREDICT_THREADS,
    pointerMaxAgeMs: e.API_POINTER_MAX_AGE_MS,
    runViewMaxAgeMs: { running: e.API_RUNNING_VIEW_MAX_AGE_MS, closed: e.API_CLOSED_VIEW_MAX_AGE_MS },
    codecCorsOrigins: e.API_CODEC_CORS_ORIGINS,
    mlflow: mlflowSettings(e),
  };
}
