import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createApiApp } from '../api/app';
import { JsonLogger } from '../api/common/jsonLogger';
import { loadApiConfig } from '../api/config';
import { LocalArtifactStore } from '../storage/localArtifactStore';
import { loadWorkerConfig } from '../worker/config';
import { startDevServer } from '../launch/devServer';
import { runWorkersInProcess } from '../launch/stack';
import { PEER_REQUIREMENTS, peersPython } from './peersVenv';

const KEY = 'bench-peers-key-0123456789';
const DATA_ROOT = resolve(__dirname, '../examples/data');
const SYSTEMS = ['prefect', 'dagster', 'dagster-sqlite'] as const;

/** The job every system runs: ingest, validate, stratified 70/30 split, 100-tree forest, accuracy gate, model file, report. */
const IRIS = {
  pipeline: 'bench-peers-iris',
  dataset: { source: 'iris.csv', target: 'species' },
  validation: {
    minRows: 100,
    requiredColumns: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'species'],
    notNull: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'species'],
    ranges: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'].map((column) => ({ column, min: 0, max: 20, strictMin: true })),
    allowedValues: { species: ['setosa', 'versicolor', 'virginica'] },
  },
  split: { testSize: 0.3, seed: 7, stratify: true },
  model: { type: 'random_forest_classifier', hyperparameters: { nTrees: 100, seed: 1 } },
  deploy: { metric: 'accuracy', threshold: 0.9 },
  allowConcurrentRuns: true,
};

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const round = (n: number): number => Math.round(n * 10) / 10;
const summarize = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)) };
};

/** One warm Python process running the peers' job on request, one JSON line per run. */
function startPeers(python: string, outDir: string) {
  const child = spawn(python, [resolve(__dirname, 'peers_iris.py'), join(DATA_ROOT, 'iris.csv'), outDir], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, PREFECT_HOME: join(outDir, 'prefect-home'), PREFECT_LOGGING_LEVEL: 'WARNING', PREFECT_SERVER_ANALYTICS_ENABLED: 'false', DAGSTER_HOME: outDir },
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    async run(system: string): Promise<number> {
      child.stdin.write(`${system}\n`);
      const next = await lines.next();
      if (next.done) throw new Error(`the peers process ended (exit ${child.exitCode}) during a ${system} run`);
      return (JSON.parse(next.value) as { ms: number }).ms;
    },
    stop: () => child.stdin.end(),
  };
}

/**
 * The same Iris job in Prefect (a local flow), Dagster (`execute_in_process`, in memory and with a
 * SQLite instance) and ours (`POST /runs` on a dev server with in-process workers, to completion),
 * alternating, after warm-ups. Skipped with a message when Python cannot install the peers.
 */
export async function benchPeers(runs = 12, warmup = 2): Promise<Record<string, unknown>> {
  let python: string;
  try {
    python = await peersPython((line) => console.error(line));
  } catch (error) {
    return { skipped: `Prefect and Dagster could not be installed (${(error as Error).message.split('\n')[0]})` };
  }
  const work = await mkdtemp(join(tmpdir(), 'mlp-bench-peers-'));
  const env = await startDevServer();
  const workers = await runWorkersInProcess(loadWorkerConfig({ ARTIFACT_ROOT: join(work, 'artifacts'), DATA_ROOT }), env);
  const config = loadApiConfig({ API_KEY: KEY, ARTIFACT_ROOT: join(work, 'artifacts'), API_RUNS_PER_MINUTE: '1000000' });
  const app = await createApiApp(config, { client: env.client, store: new LocalArtifactStore(join(work, 'artifacts')), logger: new JsonLogger(() => undefined) });
  await app.listen(0, '127.0.0.1');
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const peers = startPeers(python, work);
  const body = JSON.stringify(IRIS);
  const ours = async (): Promise<number> => {
    const t0 = performance.now();
    const response = await fetch(`${base}/runs`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': KEY }, body });
    if (response.status !== 201) throw new Error(`POST /runs answered ${response.status}: ${await response.text()}`);
    const { workflowId, runId } = (await response.json()) as { workflowId: string; runId: string };
    await env.client.workflow.getHandle(workflowId, runId).result();
    return performance.now() - t0;
  };
  try {
    const times: Record<string, number[]> = { ours: [], ...Object.fromEntries(SYSTEMS.map((s) => [s, []])) };
    for (let i = 0; i < warmup + runs; i++) {
      const round: [string, number][] = [['ours', await ours()]];
      for (const system of SYSTEMS) round.push([system, await peers.run(system)]);
      if (i >= warmup) for (const [system, ms] of round) times[system].push(ms);
    }
    const summaries = Object.fromEntries(Object.entries(times).map(([system, ms]) => [system, summarize(ms)]));
    const over = (a: number, b: number): number => Math.round((a / b) * 100) / 100;
    const ratio = Object.fromEntries(SYSTEMS.map((s) => [s, { p50: over(summaries.ours.p50, summaries[s].p50), p95: over(summaries.ours.p95, summaries[s].p95) }]));
    return {
      runs,
      warmup,
      job: 'Iris: ingest, validate, stratified 70/30 split, 100-tree forest, accuracy gate, model file, report; trigger to done',
      versions: PEER_REQUIREMENTS,
      triggerToDoneMs: summaries,
      oursOverPeer: ratio,
      // Ours runs in this process: the API, the workers and their compute threads (the dev server is its own process).
      oursPeakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    peers.stop();
    await app.close();
    await workers.stop();
    await env.teardown();
    await rm(work, { recursive: true, force: true });
  }
}
