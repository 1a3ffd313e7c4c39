import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureTool } from '../../tools/find';
import { freePort } from './ports';

/** Its first start creates the sqlite schema and imports a large package: a minute on a loaded machine. */
const READY_TIMEOUT_MS = 240_000;

export interface MlflowServer {
  /** The tracking URI, e.g. http://127.0.0.1:PORT. */
  readonly uri: string;
  /** A GET of MLflow's REST API (`/api/2.0/mlflow/<path>`), parsed. */
  get<T>(path: string, query: Record<string, string>): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
  close(): Promise<void>;
}

/**
 * A real MLflow tracking server (installed by tools/ into .tools/pypi) on 127.0.0.1 and a free
 * port, with a sqlite backend and artifact root in a temp folder of its own. Started in its own
 * process group: `mlflow server` runs uvicorn as a child, and both end with it.
 */
export async function startMlflowServer(): Promise<MlflowServer> {
  const tool = await ensureTool('mlflow');
  const dir = await mkdtemp(join(tmpdir(), 'mlflow-'));
  const port = await freePort();
  // pip --target puts the package beside bin/: that folder is what Python must import from.
  const site = dirname(dirname(tool.path));
  const args = ['server', '--backend-store-uri', `sqlite:///${join(dir, 'mlflow.db')}`, '--default-artifact-root', `file:${join(dir, 'artifacts')}`];
  const child = spawn(tool.path, [...args, '--host', '127.0.0.1', '--port', String(port), '--workers', '1'], {
    // No job runner: it starts seven more Python processes (about 1.6 GB) the tests never use.
    env: { ...process.env, PYTHONPATH: [site, process.env.PYTHONPATH].filter(Boolean).join(':'), MLFLOW_SERVER_ENABLE_JOB_EXECUTION: 'false' },
    cwd: dir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (c: Buffer) => (output = (output + c.toString()).slice(-4000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  const uri = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (!exited && child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
    await Promise.race([exit, sleep(10_000)]);
    if (!exited && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    await rm(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (exited) throw new Error(`mlflow server exited before serving:\n${output}`);
    const ok = await fetch(`${uri}/health`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`mlflow server did not answer /health within ${READY_TIMEOUT_MS / 1000} s:\n${output}`);
    }
    await sleep(250);
  }

  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${uri}/api/2.0/mlflow/${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw new Error(`MLflow ${method} ${path}: ${res.status} ${text}`);
    return JSON.parse(text) as T;
  };
  return {
    uri,
    get: (path, query) => call('GET', `${path}?${new URLSearchParams(query).toString()}`),
    post: (path, body) => call('POST', path, body),
    close: stop,
  };
}
