import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { type Worker } from '@temporalio/worker';
import { createApiApp } from '../../api/app';
import { JsonLogger } from '../../api/common/jsonLogger';
import { loadApiConfig } from '../../api/config';
import { startDevServer } from '../../launch/devServer';
import { createWorkers } from '../../worker/workers';
import { createSandbox, testConfig, testDeps, type Sandbox } from './fixtures';
import { bundleWorkflows } from './temporal';
import { listen, request, type ApiResponse } from './apiRequest';

export { request, type ApiResponse };

export const API_KEY = 'test-api-key-0123456789';

/** A real dev server, the real worker pools and the API listening on 127.0.0.1, for e2e tests over HTTP. */
export interface ApiStack {
  readonly env: TestWorkflowEnvironment;
  readonly sandbox: Sandbox;
  readonly baseUrl: string;
  call<T = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>;
  stop(): Promise<void>;
}

export async function startApiStack(apiEnv: NodeJS.ProcessEnv = {}): Promise<ApiStack> {
  const [env, sandbox, bundle] = await Promise.all([startDevServer(), createSandbox(), bundleWorkflows()]);
  const workers: Worker[] = await createWorkers(testConfig(sandbox), env.nativeConnection, testDeps(sandbox), { workflowBundle: bundle });
  const running = Promise.all(workers.map((w) => w.run()));
  const quiet = new JsonLogger(() => undefined);
  const config = loadApiConfig({ API_KEY, ARTIFACT_ROOT: sandbox.artifactRoot, ...apiEnv });
  const app = await createApiApp(config, { client: env.client, store: sandbox.store, logger: quiet });
  const baseUrl = await listen(app);
  return {
    env,
    sandbox,
    baseUrl,
    call: (method, path, body, headers) => request(baseUrl, method, path, body, { 'x-api-key': API_KEY, ...headers }),
    stop: async () => {
      await app.close();
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
      await running;
      await env.teardown();
      await sandbox.remove();
    },
  };
}

/** Polls `GET path` until `done` holds (bounded). */
export async function pollUntil<T>(stack: ApiStack, path: string, done: (body: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await stack.call<T>('GET', path);
    if (res.status === 200 && done(res.body)) return res.body;
    if (Date.now() > deadline) throw new Error(`GET ${path} never matched; last ${res.status}: ${res.text.slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
