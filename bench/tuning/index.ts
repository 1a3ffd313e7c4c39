import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { bundleWorkflowCode } from '@temporalio/worker';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { startPipelineRun } from '../../client/startRun';
import { parsePipelineParams, SplitSchema, type PipelineParamsInput, type PipelineResult } from '../../contract';
import { startDevServer } from '../../launch/devServer';
import { type Matrix } from '../../ml/models/types';
import { classOfRow, trainTestSplit } from '../../ml/preprocess';
import { foldOfRows } from '../../ml/tuning/folds';
import { firstLine } from '../firstLine';
import { makeClassification } from '../makeClassification';
import { spawnWorker, type WorkerProcess } from '../scale/processes';

const run = promisify(execFile);
const ROWS = 100_000;
const FEATURES = 20;
const TRIALS = 20;
const FOLDS = 3;
const TUNING_SEED = 7;
/** Successive halving: 20 candidates as the random search, the best third promoted (scikit-learn's default factor). */
const ETA = 3;
type Strategy = 'random' | 'halving';
/** The dev server's and the worker processes' metric ports: this bench's own range. */
const PORTS = Number(process.env.BENCH_TUNING_PORT_BASE ?? 23100);
const CLASSES = ['a', 'b'];

/** Small forests: 20 trials x 3 folds x up to 30 trees stay within minutes on two cores, for us and for scikit-learn. */
const SPACE = {
  nTrees: { type: 'int', low: 10, high: 30 },
  maxDepth: { type: 'int', low: 3, high: 10 },
  minSamplesLeaf: { type: 'int', low: 1, high: 20 },
  maxFeatures: { type: 'float', low: 0.2, high: 0.8 },
} as const;

function params(pipeline: string, strategy: Strategy): PipelineParamsInput {
  return {
    pipeline,
    dataset: { source: 'tuning.csv', target: 'label' },
    model: { type: 'random_forest_classifier', hyperparameters: { seed: 1 } },
    deploy: { metric: 'accuracy', threshold: 0.5 },
    tuning: { strategy, trials: TRIALS, folds: FOLDS, seed: TUNING_SEED, maxConcurrency: 2, space: SPACE, ...(strategy === 'halving' && { eta: ETA }) },
    allowConcurrentRuns: true,
  };
}

/** The fold of each table row as the pipeline deals it (-1: a held-out test row), so scikit-learn searches on the same folds. */
function pipelineFolds(y: Int32Array): Int32Array {
  const rows = Int32Array.from({ length: y.length }, (_, i) => i);
  const encoded = { rows, targets: { task: 'classification' as const, classes: CLASSES, y } };
  const { train } = trainTestSplit(rows, SplitSchema.parse({}), classOfRow(encoded));
  const trainFolds = foldOfRows({ task: 'classification', classes: CLASSES, y: Int32Array.from(train, (r) => y[r]) }, FOLDS, TUNING_SEED);
  const fold = new Int32Array(y.length).fill(-1);
  train.forEach((r, i) => (fold[r] = trainFolds[i]));
  return fold;
}

/** The pipeline's CSV (features, label) and scikit-learn's (features, y, fold); shortest round-trip numbers, so both read the same doubles. */
async function writeCsvs(pipelineCsv: string, sklearnCsv: string, x: Matrix, y: Int32Array, fold: Int32Array): Promise<void> {
  const names = Array.from({ length: x.cols }, (_, j) => `f${j}`);
  const ours = [[...names, 'label'].join(',')];
  const theirs = [[...names, 'y', 'fold'].join(',')];
  for (let r = 0; r < x.rows; r++) {
    const row = Array.from(x.data.subarray(r * x.cols, (r + 1) * x.cols)).join(',');
    ours.push(`${row},${CLASSES[y[r]]}`);
    theirs.push(`${row},${y[r]},${fold[r]}`);
  }
  await Promise.all([writeFile(pipelineCsv, ours.join('\n') + '\n'), writeFile(sklearnCsv, theirs.join('\n') + '\n')]);
}

const seconds = (from?: string, to?: string): number | undefined => (from && to ? Math.round((Date.parse(to) - Date.parse(from)) / 100) / 10 : undefined);

/** One tuned run with `computeOnly` compute-only worker processes beside the all-pools one (which runs one compute activity at a time). */
async function tunedRun(env: TestWorkflowEnvironment, workerEnv: NodeJS.ProcessEnv, computeOnly: number, strategy: Strategy = 'random') {
  const workers: WorkerProcess[] = [spawnWorker('all-pools', { ...workerEnv, WORKER_METRICS_PORT: String(PORTS), SDK_METRICS_PORT: String(PORTS + 1) })];
  for (let i = 0; i < computeOnly; i++) {
    const port = PORTS + 2 + 2 * i;
    workers.push(spawnWorker(`compute-${i + 1}`, { ...workerEnv, WORKER_POOLS: 'compute', WORKER_METRICS_PORT: String(port), SDK_METRICS_PORT: String(port + 1) }));
  }
  try {
    const started = performance.now();
    const { handle } = await startPipelineRun(env.client, parsePipelineParams(params(`tuning-${strategy}-${computeOnly + 1}`, strategy)), { workflowId: `bench-tuning-${randomUUID()}` });
    const result = (await handle.result()) as PipelineResult;
    const wallSeconds = Math.round((performance.now() - started) / 100) / 10;
    const steps = Object.fromEntries(result.steps.filter((s) => s.startedAt).map((s) => [s.name, seconds(s.startedAt, s.endedAt)]));
    const search = result.tuning!;
    const trialSeconds = search.trials.flatMap((t) => ('seconds' in t ? [t.seconds] : []));
    return {
      strategy,
      computeProcesses: computeOnly + 1,
      outcome: result.outcome,
      wallSeconds,
      stepSeconds: steps,
      trials: search.trials.length,
      ...(search.rungs && { rungs: search.rungs.map((r) => ({ candidates: r.candidates, rows: r.resource })) }),
      sumOfTrialSeconds: Math.round(trialSeconds.reduce((a, b) => a + b, 0) * 10) / 10,
      bestCvAccuracy: search.best?.mean,
      bestConfig: search.best?.config,
      ...(search.best?.rung !== undefined && { bestRung: search.best.rung }),
      testAccuracy: result.metrics?.accuracy,
      peakRssMiB: Object.fromEntries(await Promise.all(workers.map(async (w) => [w.name, await w.peakRssMiB()] as const))),
    };
  } catch (error) {
    throw new Error(`${firstLine(error)}\n${workers.map((w) => `--- ${w.name}\n${w.output().slice(-4000)}`).join('\n')}`, { cause: error });
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
}

async function sklearnSearch(csv: string, nJobs: number, strategy: Strategy = 'random'): Promise<unknown> {
  try {
    const env = { ...process.env, PYTHONPATH: resolve(__dirname, '../../.tools/pypi/scikit-learn') };
    const { stdout } = await run('python3', [join(__dirname, 'sklearn_tuning.py'), csv, String(TRIALS), String(nJobs), strategy, String(ETA)], { env, timeout: 30 * 60 * 1000, maxBuffer: 1 << 20 });
    return JSON.parse(stdout) as unknown;
  } catch (error) {
    return { skipped: `scikit-learn did not run (pip install --target .tools/pypi/scikit-learn scikit-learn): ${firstLine(error)}` };
  }
}

/**
 * A 20-trial random search (3-fold CV) over small forests on 100,000 x 20 generated rows, through
 * the whole pipeline on a dev server with worker processes: one compute process (trials one at a
 * time), then two (two at a time); then scikit-learn's RandomizedSearchCV over the same space on
 * the same training rows and folds, with n_jobs 1 and 2. scikit-learn draws its own 20
 * configurations from the same distributions. Then successive halving over 20 candidates (eta 3,
 * rows as the resource) with one compute process, beside scikit-learn's HalvingRandomSearchCV
 * (factor 3, resource n_samples, min_resources "exhaust") with n_jobs 1. BENCH_TUNING_ONLY=halving
 * (or random) runs one of the two; `sklearn: false` (`--no-sklearn`) leaves scikit-learn out.
 */
export async function benchTuning(options: { readonly sklearn: boolean } = { sklearn: true }): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(join(tmpdir(), 'mlp-bench-tuning-'));
  const dataRoot = join(dir, 'data');
  const artifacts = join(dir, 'artifacts');
  const loadBefore = loadavg();
  let env: TestWorkflowEnvironment | undefined;
  try {
    await Promise.all([mkdir(dataRoot), mkdir(artifacts)]);
    const { x, y } = makeClassification({ rows: ROWS, features: FEATURES, informative: 8, seed: 3 });
    const sklearnCsv = join(dir, 'sklearn.csv');
    await writeCsvs(join(dataRoot, 'tuning.csv'), sklearnCsv, x, y, pipelineFolds(y));

    const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: (m) => console.error(m) } });
    const bundlePath = join(dir, 'workflow-bundle.js');
    await writeFile(bundlePath, bundle.code);
    env = await startDevServer({ port: PORTS + 50 });
    const workerEnv = {
      TEMPORAL_ADDRESS: env.address,
      ARTIFACT_ROOT: artifacts,
      DATA_ROOT: dataRoot,
      WORKFLOW_BUNDLE_PATH: bundlePath,
      COMPUTE_MAX_CONCURRENT_ACTIVITIES: '1',
      LOG_LEVEL: 'WARN',
    };
    // Each part also goes to stderr as it ends: a long run on a busy machine still leaves what it measured.
    const logged = <T>(part: string, value: T): T => (console.error(JSON.stringify({ [part]: value })), value);
    const only = process.env.BENCH_TUNING_ONLY;
    const random = only === 'halving' ? undefined : {
      oneComputeProcess: logged('oneComputeProcess', await tunedRun(env, workerEnv, 0)),
      twoComputeProcesses: logged('twoComputeProcesses', await tunedRun(env, workerEnv, 1)),
      sklearn: options.sklearn ? [logged('sklearnNJobs1', await sklearnSearch(sklearnCsv, 1)), logged('sklearnNJobs2', await sklearnSearch(sklearnCsv, 2))] : { skipped: '--no-sklearn' },
    };
    const halving = only === 'random' ? undefined : {
      oneComputeProcess: logged('halvingOneComputeProcess', await tunedRun(env, workerEnv, 0, 'halving')),
      sklearn: options.sklearn ? logged('sklearnHalvingNJobs1', await sklearnSearch(sklearnCsv, 1, 'halving')) : { skipped: '--no-sklearn' },
    };
    return {
      rows: ROWS,
      features: FEATURES,
      trials: TRIALS,
      folds: FOLDS,
      space: SPACE,
      loadAverageBefore: loadBefore.map((n) => Math.round(n * 100) / 100),
      loadAverageAfter: loadavg().map((n) => Math.round(n * 100) / 100),
      note:
        'pipeline: whole run (ingest .. report) on a dev server, each process runs one compute activity at a time, the workflow keeps 2 trials in flight; stepSeconds.tune is the search, train the refit. ' +
        'scikit-learn: RandomizedSearchCV(n_iter=20) / HalvingRandomSearchCV(n_candidates=20, factor=3) on the pipeline\'s training rows and folds (PredefinedSplit), refit included, CSV load excluded.',
      ...(random && { pipeline: { oneComputeProcess: random.oneComputeProcess, twoComputeProcesses: random.twoComputeProcesses }, sklearn: random.sklearn }),
      ...(halving && { halving: { eta: ETA, pipeline: halving.oneComputeProcess, sklearn: halving.sklearn } }),
    };
  } finally {
    await env?.teardown();
    await rm(dir, { recursive: true, force: true });
  }
}
