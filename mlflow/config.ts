import { z } from 'zod';
import { type MlflowSettings } from './client';

/** The MLflow variables of the worker and the API; all optional: without MLFLOW_TRACKING_URI runs are tracked in the store only. */
export const MLFLOW_ENV = {
  MLFLOW_TRACKING_URI: z.url({ protocol: /^https?$/, error: 'expected the http(s) URL of an MLflow tracking server' }).optional(),
  MLFLOW_TRACKING_TOKEN: z.string().min(1).optional(),
  MLFLOW_TRACKING_USERNAME: z.string().min(1).optional(),
  MLFLOW_TRACKING_PASSWORD: z.string().min(1).optional(),
  MLFLOW_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  // Tries per request while MLflow is unreachable or answers 5xx, 1 s apart then doubling: then a warning.
  MLFLOW_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  MLFLOW_RETRY_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
};

type MlflowEnv = z.infer<z.ZodObject<typeof MLFLOW_ENV>>;

/** Credentials without a server would be silently unused: an issue naming the variable. */
export function checkMlflowEnv(e: MlflowEnv, ctx: z.RefinementCtx): void {
  if (e.MLFLOW_TRACKING_URI !== undefined) return;
  for (const k of ['MLFLOW_TRACKING_TOKEN', 'MLFLOW_TRACKING_USERNAME', 'MLFLOW_TRACKING_PASSWORD'] as const) {
    if (e[k] !== undefined) ctx.addIssue({ code: 'custom', path: [k], message: 'set without MLFLOW_TRACKING_URI' });
  }
}

export function mlflowSettings(e: MlflowEnv): MlflowSettings | undefined {
  if (e.MLFLOW_TRACKING_URI === undefined) return undefined;
  return {
    trackingUri: e.MLFLOW_TRACKING_URI,
    token: e.MLFLOW_TRACKING_TOKEN,
    username: e.MLFLOW_TRACKING_USERNAME,
    password: e.MLFLOW_TRACKING_PASSWORD,
    timeoutMs: e.MLFLOW_TIMEOUT_MS,
    attempts: e.MLFLOW_ATTEMPTS,
    retryDelayMs: e.MLFLOW_RETRY_DELAY_MS,
  };
}
