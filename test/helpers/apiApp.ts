import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiApp, type ApiDeps } from '../../api/app';
import { JsonLogger } from '../../api/common/jsonLogger';
import { loadApiConfig, type ApiConfig } from '../../api/config';
import { LocalArtifactStore } from '../../storage/localArtifactStore';
import { listen, request, type ApiResponse } from './apiRequest';
import { FakeTemporal } from './fakeTemporal';

export { type ErrorBody } from '../../api/common/errorFilter';

export const API_KEY = 'unit-api-key-0123456789';

/** The real API app over real HTTP, with Temporal faked in memory and a real artifact store in a temp folder. */
export interface TestApi {
  readonly baseUrl: string;
  readonly temporal: FakeTemporal;
  readonly store: LocalArtifactStore;
  readonly config: ApiConfig;
  /** Every log line the app wrote, parsed. */
  readonly logs: Record<string, unknown>[];
  /** A request with the API key. */
  call<T = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>;
  /** A request without the API key. */
  anonymous<T = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

/**
 * `env.ARTIFACT_ROOT` shares a store with workers a test runs (e.g. a registry its runs filled); a temp folder otherwise.
 * `deps.mlflow` replaces the MLflow client the config would build (e.g. one on a fake fetch).
 */
export async function startTestApi(env: NodeJS.ProcessEnv = {}, deps: Pick<ApiDeps, 'mlflow'> = {}): Promise<TestApi> {
  const dir = await mkdtemp(join(tmpdir(), 'mlp-api-'));
  const artifactRoot = env.ARTIFACT_ROOT ?? join(dir, 'artifacts');
  const config = loadApiConfig({ API_KEY, TEMPORAL_UI_URL: 'http://ui.test:8233', ...env, ARTIFACT_ROOT: artifactRoot });
  const temporal = new FakeTemporal();
  const store = new LocalArtifactStore(artifactRoot);
  const logs: Record<string, unknown>[] = [];
  const logger = new JsonLogger((line) => logs.push(JSON.parse(line) as Record<string, unknown>));
  const app = await createApiApp(config, { client: temporal.client, store, logger, ...deps });
  const baseUrl = await listen(app);
  return {
    baseUrl,
    temporal,
    store,
    config,
    logs,
    call: (method, path, body, headers) => request(baseUrl, method, path, body, { 'x-api-key': API_KEY, ...headers }),
    anonymous: (method, path, body, headers) => request(baseUrl, method, path, body, headers),
    close: async () => {
      await app.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
