import { setTimeout as sleep } from 'node:timers/promises';
import { FAILURE_TYPES, PipelineError, redactText } from '../contract';

/** How the worker and the API reach an MLflow tracking server (MLFLOW_* variables, mlflow/config.ts). */
export interface MlflowSettings {
  /** The tracking server's base URL, e.g. http://mlflow:5000. */
  readonly trackingUri: string;
  /** Bearer token (MLFLOW_TRACKING_TOKEN), or user and password (basic auth). */
  readonly token?: string;
  readonly username?: string;
  readonly password?: string;
  /** Per request. */
  readonly timeoutMs: number;
  /** Tries per request when MLflow is unreachable or answers 5xx/429. */
  readonly attempts: number;
  /** Wait before the second try; doubled before each further one. */
  readonly retryDelayMs: number;
}

export class MlflowError extends PipelineError {
  override readonly name = 'MlflowError';
  constructor(
    message: string,
    readonly errorCode: string | undefined,
    options: { readonly retryable: boolean; readonly cause?: unknown },
  ) {
    super(FAILURE_TYPES.MlflowError, redactText(message), options);
  }
}

type Query = Record<string, string>;

/**
 * A small client of MLflow's REST API (`/api/2.0/mlflow/...`) on fetch: the few calls tracking
 * makes do not justify a Python bridge or an unmaintained npm wrapper. Each request is retried,
 * bounded, while the server is unreachable, slow or answers 5xx/429; other answers are final.
 */
export class MlflowClient {
  private readonly base: string;

  constructor(
    readonly settings: MlflowSettings,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.base = `${settings.trackingUri.replace(/\/+$/, '')}/api/2.0/mlflow`;
  }

  /** `signal` ends the request and its retries early (a caller's overall deadline). */
  get<T>(path: string, query: Query, signal?: AbortSignal): Promise<T> {
    return this.request<T>('GET', `${path}?${new URLSearchParams(query).toString()}`, undefined, signal);
  }

  post<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    return this.request<T>('POST', path, body, signal);
  }

  private headers(): Record<string, string> {
    const { token, username, password } = this.settings;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    else if (username !== undefined) headers.authorization = `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}`;
    return headers;
  }

  private async request<T>(method: string, path: string, body: unknown, signal: AbortSignal | undefined): Promise<T> {
    const { attempts, retryDelayMs } = this.settings;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once<T>(method, path, body, signal);
      } catch (error) {
        if (!(error instanceof MlflowError) || !error.retryable || attempt >= attempts || signal?.aborted) throw error;
        try {
          await sleep(retryDelayMs * 2 ** (attempt - 1), undefined, { signal });
        } catch {
          // The caller's deadline passed while waiting: the last failure says more than the abort.
          throw error;
        }
      }
    }
  }

  private async once<T>(method: string, path: string, body: unknown, deadline: AbortSignal | undefined): Promise<T> {
    const what = `MLflow ${method} ${path.replace(/\?.*/, '')}`;
    const timeout = AbortSignal.timeout(this.settings.timeoutMs);
    const signal = deadline ? AbortSignal.any([timeout, deadline]) : timeout;
    let res: Response;
    let text: string;
    try {
      res = await this.fetchImpl(`${this.base}/${path}`, { method, headers: this.headers(), body: body === undefined ? undefined : JSON.stringify(body), signal });
      text = await res.text();
    } catch (error) {
      const reason = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
      throw new MlflowError(`${what}: ${this.settings.trackingUri} unreachable (${reason})`, undefined, { retryable: true, cause: error });
    }
    if (res.ok) {
      try {
        return (text ? JSON.parse(text) : {}) as T;
      } catch (error) {
        throw new MlflowError(`${what}: ${res.status} but not JSON: ${text.slice(0, 200)}`, undefined, { retryable: false, cause: error });
      }
    }
    let answer: { error_code?: string; message?: string } = {};
    try {
      answer = JSON.parse(text) as typeof answer;
    } catch {
      // A proxy's HTML error page: the status says enough.
    }
    const retryable = res.status >= 500 || res.status === 429;
    const detail = [res.status, answer.error_code, answer.message ?? text.slice(0, 200)].filter(Boolean).join(' ');
    throw new MlflowError(`${what}: ${detail}`, answer.error_code, { retryable });
  }
}

/** MLflow's answer for a name or key that is there already. */
export const ALREADY_EXISTS = 'RESOURCE_ALREADY_EXISTS';
export const DOES_NOT_EXIST = 'RESOURCE_DOES_NOT_EXIST';
