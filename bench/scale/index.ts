import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { randomUUID } from 'node:crypto';
import { bundleWorkflowCode } from '@temporalio/worker';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { createApiApp } from '../../api/app';
import { JsonLogger } from '../../api/common/jsonLogger';
import { loadApiConfig } from '../../api/config';
import { startPipelineRun } from '../../client/startRun';
import { parsePipelineParams, runPrefix, SplitSchema, type PipelineParamsInput, type PipelineResult } from '../../contract';
import { startDevServer } from '../../launch/devServer';
import { classOfRow, trainTestSplit, type EncodedTargets } from '../../ml/preprocess';
import { LocalArtifactStore } from '../../storage/localArtifactStore';
import { firstLine } from '../firstLine';
import { generateFlights, writeFlightsCsv, writeSklearnCsv, type Flights } from './flights';
import { pollRun } from './poller';
import { spawnWorker, type WorkerProcess } from './processes';

const run = promisify(execFile);
const KEY = 'bench-scale-key-0123456789';
const TREES = 100;
const DEPTH = 12;
const FEATURES = ['origin', 'dest', 'distance', 'dep_hour'];
/** Metric ports of the worker processes (this bench's own range, clear of other benches and tests). */
const PORTS = Number(process.env.BENCH_SCALE_PORT_BASE ?? 26100);

export interface ScaleOptions {
  readonly rows: number;
  readonly sklearn: boolean;
}

/** `--rows N` and `--no-sklearn` after `scale`. */
export function scaleOptions(argv: readonly string[]): ScaleOptions {
  const at = argv.indexOf('--rows');
  const rows = at >= 0 ? Number(argv[at + 1]) : 3_000_000;
  if (!Number.isInteger(rows) || rows < 1000) throw new RangeError(`--rows must be an integer >= 1000, got ${argv[at + 1]}`);
  return { rows, sklearn: !argv.includes('--no-sklearn') };
}

const seconds = (from?: string, to?: string): number | undefined => (from && to ? (Date.parse(to) - Date.parse(from)) / 1000 : undefined);

/** Bytes per artifact kind of one run (every file kept: the bench asks to keep intermediates). */
async function artifactBytes(root: string, result: { workflowId: string; runId: string; pipeline: string }): Promise<Record<string, number>> {
  const dir = join(root, runPrefix(result));
  const out: Record<string, number> = {};
  for (const kind of await readdir(dir)) {
    let total = 0;
    for (const file of await readdir(join(dir, kind), { recursive: true })) {
      const s = await stat(join(dir, kind, file));
      if (s.isFile()) total += s.size;
    }
    out[kind] = total;
  }
  return out;
}

/** The pipeline's own split of the generated rows (every row has a target): which rows train, 1/0. */
function trainMask(f: Flights, task: 'regression' | 'classification'): Uint8Array {
  const rows = Int32Array.from({ length: f.rows }, (_, i) => i);
  const split = SplitSchema.parse({});
  const encoded: EncodedTargets =
    task === 'regression' ? { rows, targets: { task, y: f.delay } } : { rows, targets: { task, classes: ['no', 'yes'], y: f.late } };
  const { train } = trainTestSplit(rows, split, task === 'classification' ? classOfRow(encoded) : undefined);
  const mask = new Uint8Array(f.rows);
  for (const r of train) mask[r] = 1;
  return mask;
}

function pipelineParams(name: string, task: 'regression' | 'classification', shards: number | 'auto'): PipelineParamsInput {
  const regression = task === 'regression';
  return {
    pipeline: name,
    dataset: { source: 'flights.csv', target: regression ? 'delay' : 'late', features: FEATURES },
    model: { type: regression ? 'random_forest_regressor' : 'random_forest_classifier', hyperparameters: { nTrees: TREES, maxDepth: DEPTH, shards } },
    deploy: regression ? { metric: 'r2', threshold: 0 } : { metric: 'accuracy', threshold: 0.5 },
    allowConcurrentRuns: true,
    keepIntermediates: true,
  };
}

interface Stack {
  readonly env: TestWorkflowEnvironment;
  readonly artifacts: string;
  readonly base: string;
  readonly workerEnv: NodeJS.ProcessEnv;
}

/**
 * One pipeline run: step times, artifact sizes, and unless `polled` is false the API latency, with
 * `GET /runs/:id` polled throughout (every 100 ms: the polling takes CPU from the run itself).
 */
async function pipelineRun(stack: Stack, params: PipelineParamsInput, polled = true) {
  const started = performance.now();
  const { handle, workflowId, runId } = await startPipelineRun(stack.env.client, parsePipelineParams(params), { workflowId: `scale-${randomUUID()}` });
  const poller = polled ? pollRun(`${stack.base}/runs/${workflowId}`, { 'x-api-key': KEY }) : undefined;
  let result: PipelineResult;
  let latency: Awaited<ReturnType<ReturnType<typeof pollRun>['stop']>> | undefined;
  try {
    result = (await handle.result()) as PipelineResult;
  } finally {
    latency = await poller?.stop();
  }
  const steps = Object.fromEntries(result.steps.map((s) => [s.name, { seconds: seconds(s.startedAt, s.endedAt), attempt: s.attempt, summary: s.summary }]));
  return {
    outcome: result.outcome,
    error: result.error,
    wallSeconds: Math.round((performance.now() - started) / 100) / 10,
    steps,
    metrics: result.metrics,
    artifactBytes: await artifactBytes(stack.artifacts, { pipeline: params.pipeline, workflowId, runId }),
    getRunLatency: latency,
  };
}

async function withWorkers<T>(stack: Stack, computeOnlyProcesses: number, body: (workers: WorkerProcess[]) => Promise<T>) {
  const workers = [spawnWorker('all-pools', { ...stack.workerEnv, WORKER_METRICS_PORT: String(PORTS), SDK_METRICS_PORT: String(PORTS + 1) })];
  for (let i = 0; i < computeOnlyProcesses; i++) {
    const port = PORTS + 2 + 2 * i;
    workers.push(spawnWorker(`compute-${i + 1}`, { ...stack.workerEnv, WORKER_POOLS: 'compute', WORKER_METRICS_PORT: String(port), SDK_METRICS_PORT: String(port + 1) }));
  }
  try {
    const value = await body(workers);
    const peakRssMiB = Object.fromEntries(await Promise.all(workers.map(async (w) => [w.name, await w.peakRssMiB()] as const)));
    return { value, peakRssMiB };
  } catch (error) {
    throw new Error(`${firstLine(error)}\n${workers.map((w) => `--- ${w.name}\n${w.output().slice(-4000)}`).join('\n')}`, { cause: error });
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
}

async function sklearnFit(csv: string, task: string, nJobs: number): Promise<unknown> {
  try {
    const python = { ...process.env, PYTHONPATH: resolve(__dirname, '../../.tools/pypi/scikit-learn') };
    const { stdout } = await run('python3', [join(__dirname, 'sklearn_scale.py'), csv, task, String(TREES), String(DEPTH), String(nJobs)], {
      env: python,
      timeout: 4 * 60 * 60 * 1000,
      maxBuffer: 1 << 20,
    });
    return JSON.parse(stdout) as unknown;
  } catch (error) {
    return { skipped: `scikit-learn did not run (pip install --target .tools/pypi/scikit-learn scikit-learn): ${firstLine(error)}` };
  }
}

/**
 * The whole pipeline on a generated flights-like table on a real dev server with worker processes:
 * the default run (one process with every pool, compute one activity at a time, automatic shards),
 * the same forest in two shards on two compute processes, the classification variant, and
 * scikit-learn on the same rows and hyperparameters.
 */
export async function benchScale(options: ScaleOptions): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(join(tmpdir(), 'mlp-bench-scale-'));
  const dataRoot = join(dir, 'data');
  const artifacts = join(dir, 'artifacts');
  const loadBefore = loadavg();
  let env: TestWorkflowEnvironment | undefined;
  try {
    await run('mkdir', ['-p', dataRoot, artifacts]);
    const t0 = performance.now();
    const flights = generateFlights(options.rows);
    const csv = join(dataRoot, 'flights.csv');
    await writeFlightsCsv(csv, flights);
    const sklearnCsv = join(dir, 'sklearn.csv');
    await writeSklearnCsv(sklearnCsv, flights, trainMask(flights, 'regression'), trainMask(flights, 'classification'));
    const generateSeconds = (performance.now() - t0) / 1000;
    const usedColumnsBytes = flights.rows * (2 * 4 + 2 * 8 + 8);

    const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: (m) => console.error(m) } });
    const bundlePath = join(dir, 'workflow-bundle.js');
    await writeFile(bundlePath, bundle.code);
    env = await startDevServer();
    const app = await createApiApp(loadApiConfig({ API_KEY: KEY, ARTIFACT_ROOT: artifacts, API_RUNS_PER_MINUTE: '1000000' }), {
      client: env.client,
      store: new LocalArtifactStore(artifacts),
      logger: new JsonLogger(() => undefined),
    });
    await app.listen(0, '127.0.0.1');
    const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const stack: Stack = {
      env,
      artifacts,
      base,
      workerEnv: {
        TEMPORAL_ADDRESS: env.address,
        ARTIFACT_ROOT: artifacts,
        DATA_ROOT: dataRoot,
        WORKFLOW_BUNDLE_PATH: bundlePath,
        COMPUTE_MAX_CONCURRENT_ACTIVITIES: '1',
        LOG_LEVEL: 'WARN',
      },
    };
    try {
      const oneProcess = await withWorkers(stack, 0, async () => ({
        regression: await pipelineRun(stack, pipelineParams('scale-regression', 'regression', 'auto')),
        classification: await pipelineRun(stack, pipelineParams('scale-classification', 'classification', 'auto')),
      }));
      const twoProcesses = await withWorkers(stack, 1, async () => ({
        regression: await pipelineRun(stack, pipelineParams('scale-regression-2', 'regression', 2)),
      }));
      // The same two trainings with nobody polling: on two cores the 10 requests a second above
      // (API, server and the workflow's query) take their CPU from the two trainers.
      const unpolled = {
        oneProcess: (await withWorkers(stack, 0, () => pipelineRun(stack, pipelineParams('scale-regression-quiet', 'regression', 'auto'), false))).value,
        twoProcesses: (await withWorkers(stack, 1, () => pipelineRun(stack, pipelineParams('scale-regression-quiet-2', 'regression', 2), false))).value,
      };
      const trainSeconds = (r: { steps: Record<string, { seconds?: number }> }) => r.steps.train?.seconds ?? NaN;
      const sklearn = options.sklearn
        ? {
            regression: [await sklearnFit(sklearnCsv, 'regression', 1), await sklearnFit(sklearnCsv, 'regression', 2)],
            classification: [await sklearnFit(sklearnCsv, 'classification', 1), await sklearnFit(sklearnCsv, 'classification', 2)],
          }
        : { skipped: '--no-sklearn' };
      const csvBytes = (await stat(csv)).size;
      return {
        rows: options.rows,
        trees: TREES,
        maxDepth: DEPTH,
        loadAverageBefore: loadBefore.map((n) => Math.round(n * 100) / 100),
        loadAverageAfter: loadavg().map((n) => Math.round(n * 100) / 100),
        generateSeconds: Math.round(generateSeconds * 10) / 10,
        csvBytes,
        usedColumnsColumnarBytes: usedColumnsBytes,
        note: 'one process: every pool, COMPUTE_MAX_CONCURRENT_ACTIVITIES=1, shards auto; two processes: that one plus a compute-only process, shards 2',
        oneComputeProcess: oneProcess,
        twoComputeProcesses: twoProcesses,
        trainingScaling: {
          polled: Math.round((trainSeconds(twoProcesses.value.regression) / trainSeconds(oneProcess.value.regression)) * 1000) / 1000,
          unpolled: Math.round((trainSeconds(unpolled.twoProcesses) / trainSeconds(unpolled.oneProcess)) * 1000) / 1000,
          unpolledTrainSeconds: { oneProcess: trainSeconds(unpolled.oneProcess), twoProcesses: trainSeconds(unpolled.twoProcesses) },
        },
        sklearn,
      };
    } finally {
      await app.close();
    }
  } finally {
    await env?.teardown();
    await rm(dir, { recursive: true, force: true });
  }
}
