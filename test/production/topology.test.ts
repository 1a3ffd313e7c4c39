import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ensureTool } from '../../tools/find';
import { ROOT } from '../helpers/compose';
import { type RunDetail } from '../../api/runs/runView';
import { readExample } from '../helpers/fixtures';
import { startProductionStack, type ProductionStack } from '../helpers/production/stack';
import { dashboardQueries } from '../helpers/production/dashboard';
import { twoClassCsv } from '../helpers/syntheticCsv';

// Training on this lasts long enough (tens of seconds) to restart servers and kill a worker in it.
const BIG = { file: 'synthetic-big.csv', rows: 30_000, features: 10 };

let stack: ProductionStack;
before(async () => {
  const started = Date.now();
  stack = await startProductionStack();
  console.log(`# production stack up in ${((Date.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(stack.timings)}`);
  await writeFile(join(stack.dataRoot, BIG.file), twoClassCsv(BIG.rows, BIG.features, 11, (x) => x[0] + 0.5 * x[1] - x[2]));
});
after(async () => {
  await stack?.stop();
});

const closed = (r: RunDetail) => r.status !== 'running';

/** Polls GET `path` until `done` holds; answers other than 200 (a server restarting) are waited out. */
async function poll<T>(path: string, done: (body: T) => boolean, timeoutMs = 300_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await stack.call<T>('GET', path).catch(() => undefined);
    if (res?.status === 200 && done(res.body)) return res.body;
    if (Date.now() > deadline) throw new Error(`GET ${path} never matched; last ${res?.status}: ${res?.text.slice(0, 500)}`);
    await sleep(100);
  }
}

async function startRun(params: Record<string, unknown>, path = '/runs'): Promise<string> {
  const res = await stack.call<{ workflowId: string }>('POST', path, params);
  assert.equal(res.status, 201, res.text);
  return res.body.workflowId;
}

const bigRun = (pipeline: string, nTrees = 300) => ({
  pipeline,
  dataset: { source: BIG.file, target: 'label' },
  model: { type: 'random_forest_classifier', hyperparameters: { nTrees } },
  deploy: { metric: 'accuracy', threshold: 0.8 },
});

const trainFraction = (r: RunDetail) => r.run?.steps.find((s) => s.name === 'train')?.progress?.fraction ?? 0;
const training = (r: RunDetail) => r.run?.currentStep === 'train' && trainFraction(r) > 0.05;

/** Until the run answers its status again through the API (Temporal, its database and a worker all up). */
async function answersAgain(workflowId: string): Promise<RunDetail> {
  return poll<RunDetail>(`/runs/${workflowId}`, (r) => r.run !== null && !r.partial);
}

describe('production topology: Temporal on PostgreSQL, worker pools and API from the built image layout, S3, Prometheus', () => {
  test('the setup jobs can run again: the databases, namespace and search attributes that exist are left alone', async () => {
    const schema = await stack.runJob('temporal-schema');
    assert.equal(schema.match(/found zero updates from current version/g)?.length, 2, 'both schemas are at the version of the tool already');
    const setup = await stack.runJob('temporal-setup');
    for (const name of ['MlPipeline', 'MlModelType', 'MlStage', 'MlPrimaryMetric', 'MlKind']) assert.match(setup, new RegExp(`search attribute ${name} exists`));
  });

  test('the dynamic config the compose server mounts has only keys this server knows, with values of their types', async () => {
    const server = (await ensureTool('temporal-server')).path;
    const file = join(ROOT, 'deploy/temporal/dynamicconfig/ml-pipelines.yaml');
    const { stdout, stderr } = await promisify(execFile)(server, ['validate-dynamic-config', file]);
    assert.equal(`${stdout}${stderr}`.trim(), file, 'the server lists the file with no warning under it');
  });

  test('Iris through the API to a deployed model, then predictions from it', async () => {
    // Three runs one after another: the first pays for cold caches (model code, S3 connections).
    const seconds: number[] = [];
    let run: RunDetail | undefined;
    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      const id = await startRun({ ...(await readExample('iris.json')) });
      run = await poll<RunDetail>(`/runs/${id}`, closed, 120_000);
      seconds.push((Date.now() - started) / 1000);
      assert.equal(run.status, 'completed', JSON.stringify(run));
      assert.equal(run.run?.outcome, 'deployed');
    }
    console.log(`# iris trigger-to-done on the production topology (API POST to GET showing completed, s): ${seconds.map((s) => s.toFixed(2)).join(', ')}`);
    const rows = [
      { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 },
      { sepal_length: 6.3, sepal_width: 3.3, petal_length: 6.0, petal_width: 2.5 },
    ];
    const predicted = await stack.call<{ version: string; predictions: string[] }>('POST', '/models/iris/predict', { rows });
    assert.equal(predicted.status, 200, predicted.text);
    assert.deepEqual(predicted.body.predictions, ['setosa', 'virginica']);
    assert.equal(predicted.body.version, run?.run?.modelVersion);
  });

  test('a run that fails validation, and a drifted batch that starts a retraining run', async () => {
    const iris = await readExample('iris.json');
    const invalid = await startRun({ ...iris, pipeline: 'iris-invalid', validation: { ranges: [{ column: 'sepal_length', max: 1 }] } });
    const failed = await poll<RunDetail>(`/runs/${invalid}`, closed);
    assert.equal(failed.status, 'failed', JSON.stringify(failed));

    const batch = await readFile(join(stack.dataRoot, 'iris-batch.csv'), 'utf8');
    const [header, ...lines] = batch.trim().split('\n');
    const at = header.split(',').indexOf('petal_length');
    const shifted = lines.map((line) => line.split(',').map((v, i) => (i === at ? String(Number(v) + 3) : v)).join(','));
    await writeFile(join(stack.dataRoot, 'iris-shifted.csv'), `${[header, ...shifted].join('\n')}\n`);
    const scoring = await startRun(
      { pipeline: 'iris-drift', model: { name: 'iris' }, dataset: { source: 'iris-shifted.csv', label: 'species' }, drift: { retrain: { enabled: true, cooldownSeconds: 3600 } } },
      '/inference-runs',
    );
    const scored = await poll<RunDetail>(`/inference-runs/${scoring}`, closed);
    assert.equal(scored.run?.outcome, 'scored', JSON.stringify(scored));
    const retrain = scored.run.retrain;
    assert.ok(retrain?.started, JSON.stringify(retrain));
    const retrained = await poll<RunDetail>(`/runs/${retrain.workflowId}`, closed);
    assert.equal(retrained.status, 'completed', JSON.stringify(retrained));
  });

  test('PostgreSQL, then the Temporal server, restarted mid-training: the run completes', async () => {
    // More trees than the crash test: training outlasts both restarts.
    const id = await startRun(bigRun('restarts', 1000));
    await poll<RunDetail>(`/runs/${id}`, training);
    // Two figures per restart, from the stop: until the run answers through the API again, and
    // until it moves again (the training progress it reports grows, or the run is done).
    const stalls: Record<string, { answers: number; moves: number }> = {};
    for (const [name, server] of [
      ['postgresql', stack.postgres],
      ['temporal', stack.temporal],
    ] as const) {
      const before = trainFraction(await answersAgain(id));
      const down = Date.now();
      await server.stop();
      await server.start();
      await answersAgain(id);
      const answers = (Date.now() - down) / 1000;
      const moved = await poll<RunDetail>(`/runs/${id}`, (r) => r.run !== null && !r.partial && (closed(r) || trainFraction(r) > before || r.run.currentStep !== 'train'));
      stalls[name] = { answers, moves: (Date.now() - down) / 1000 };
      if (closed(moved)) break;
    }
    const run = await poll<RunDetail>(`/runs/${id}`, closed);
    console.log(`# restart stalls, s from the stop (answers: the run's status through the API again; moves: its progress grows again): ${JSON.stringify(stalls)}`);
    assert.deepEqual(Object.keys(stalls), ['postgresql', 'temporal'], 'both restarts came while it trained');
    assert.equal(run.status, 'completed', JSON.stringify(run));
    assert.equal(run.run?.outcome, 'deployed');
  });

  // Before the worker kill: a gauge lives in the worker process that set it (the drift PSI in the
  // compute worker that ran the drift step), and goes with it.
  test('every query of the Grafana dashboard returns data from this Prometheus', async () => {
    const queries = await dashboardQueries();
    assert.ok(queries.length >= 15, `${queries.length} queries`);
    // Prometheus scrapes every 15 s (the repository's interval): rates need two samples of each series.
    const deadline = Date.now() + 120_000;
    let empty = queries;
    for (;;) {
      const results = await Promise.all(empty.map(async (q) => ({ q, n: (await stack.prometheus.query(q.promql)).length })));
      empty = results.filter((r) => r.n === 0).map((r) => r.q);
      if (empty.length === 0 || Date.now() > deadline) break;
      await sleep(5_000);
    }
    assert.deepEqual(
      empty.map((q) => `${q.panel}: ${q.promql}`),
      [],
      'panels without data',
    );
    const pipelines = await fetch(`${stack.prometheus.url}/api/v1/label/pipeline/values?match[]=mlp_runs_started_total`).then((r) => r.json() as Promise<{ data: string[] }>);
    assert.ok(pipelines.data.includes('iris'), `the pipeline variable lists iris: ${JSON.stringify(pipelines.data)}`);
  });
  test('the compute worker killed mid-training: the run resumes on a second compute worker', async () => {
    // Long enough that the 2-second progress updates catch it training on an idle machine.
    const id = await startRun(bigRun('crash', 1500));
    const before = await poll<RunDetail>(`/runs/${id}`, training);
    assert.ok(trainFraction(before) < 1, 'killed before training finished');
    const first = stack.compute(0)!;
    first.child.kill('SIGKILL');
    assert.equal(await first.exited(), null);
    const killed = Date.now();
    const second = await stack.startCompute(1);
    const run = await poll<RunDetail>(`/runs/${id}`, closed);
    console.log(`# killed compute worker: the run finished ${((Date.now() - killed) / 1000).toFixed(1)} s after the kill`);
    assert.equal(run.status, 'completed', `${JSON.stringify(run)}\n${second.output().slice(-3000)}`);
    assert.equal(run.run?.outcome, 'deployed');
    assert.equal(run.run.steps.find((s) => s.name === 'train')?.attempt, 2);
  });

});
