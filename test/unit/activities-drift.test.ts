import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DriftSpec, FAILURE_TYPES, parsePipelineParams, registryKeys, type PipelineParams, type RunRef } from '../../contract';
import { createActivities } from '../../activities';
import { PREDICTIONS_FEATURE } from '../../activities/drift';
import { type DriftInput, type IngestResult } from '../../activities/types';
import { type TrainingProfile } from '../../ml/drift/profile';
import { ModelRegistry } from '../../storage/modelRegistry';
import { testDeps } from '../helpers/fixtures';
import { activityEnv, activitySandbox, assertNonRetryable, newRun, rejectionOf, type ActivitySandbox } from '../helpers/activities';

interface StoredDriftReport {
  readonly verdict: string;
  readonly features: { feature: string; psi: number; verdict: string }[];
  readonly trainingMetrics?: Record<string, number>;
}

describe('drift and claimRetrain activities against a local artifact store', () => {
  let box: ActivitySandbox;
  let params: PipelineParams;
  let trainingTable: IngestResult;
  const call = <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A) => activityEnv().call(fn, ...args);

  before(async () => {
    box = await activitySandbox();
    params = parsePipelineParams({
      pipeline: 'iris',
      dataset: { source: 'iris.csv', target: 'species' },
      model: { type: 'logistic_regression' },
      deploy: { metric: 'accuracy', threshold: 0.5 },
    });
    // A copy of Iris whose petals are 3 cm longer: the drift the step must find.
    const csv = await readFile(join(box.sandbox.dataRoot, 'iris.csv'), 'utf8');
    const shifted = csv
      .trim()
      .split('\n')
      .map((line, i) => (i === 0 ? line : line.split(',').map((v, c) => (c === 2 ? String(Number(v) + 3) : v)).join(',')))
      .join('\n');
    await writeFile(join(box.sandbox.dataRoot, 'iris-shifted.csv'), `${shifted}\n`);
    // Train and deploy version 1 of model "iris" the way the pipeline does: preprocess profiles, deploy registers.
    const run = newRun();
    trainingTable = await call(box.activities.ingest, { run, source: 'iris.csv' });
    const pre = await call(box.activities.preprocess, { run, table: trainingTable.table, target: 'species', task: 'classification', preprocessing: params.preprocessing, split: params.split });
    const trained = await call(box.activities.train, { run, model: params.model, train: pre.train, transform: pre.transform, target: 'species' });
    const { metrics } = await call(box.activities.evaluate, { run, model: trained.model, test: pre.test });
    await call(box.activities.deploy, { run, modelName: 'iris', model: trained.model, params, datasetFingerprint: trainingTable.fingerprint, metrics });
  });
  after(async () => {
    await box.sandbox.remove();
  });

  const input = (run: RunRef, table: IngestResult, spec: Partial<DriftSpec> = {}, extra: Partial<DriftInput> = {}): DriftInput => ({
    run,
    modelName: 'iris',
    version: '1',
    table: table.table,
    spec: DriftSpec.parse(spec),
    ...extra,
  });

  test('deploy stored the training profile with the version, with its held-out metrics', async () => {
    const stored = await new ModelRegistry(box.sandbox.store).getProfile('iris', '1');
    assert.ok(stored);
    const profile = JSON.parse(stored.toString('utf8')) as TrainingProfile;
    assert.deepEqual(profile.features.map((f) => f.name), ['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    assert.equal(profile.target.kind, 'categorical');
    assert.equal(typeof profile.metrics?.accuracy, 'number');
  });

  test('the training data against its own profile is ok', async () => {
    const run = newRun();
    const result = await call(box.activities.drift, input(run, trainingTable, {}, { predictions: { classCounts: { setosa: 50, versicolor: 50, virginica: 50 } } }));
    assert.equal(result.verdict, 'ok');
    assert.equal(result.rows, 150);
    assert.ok(result.worst.every((s) => s.psi < 0.1), JSON.stringify(result.worst));
    assert.ok(result.predictions && result.predictions.psi < 0.1);
  });

  test('a shifted batch is drift, the shifted feature worst; the JSON report lists every score, worst first', async () => {
    const run = newRun();
    const batch = await call(box.activities.ingest, { run, source: 'iris-shifted.csv' });
    const result = await call(
      box.activities.drift,
      input(run, batch, { worstFeatures: 2, metric: { name: 'accuracy', threshold: 0.9 } }, { predictions: { classCounts: { virginica: 150 } }, labelledMetrics: { accuracy: 0.4 } }),
    );
    assert.equal(result.verdict, 'drift');
    assert.equal(result.worst.length, 2);
    assert.ok(result.worst.some((s) => s.feature === 'petal_length' && s.verdict === 'drift'), JSON.stringify(result.worst));
    assert.equal(result.predictions?.feature, PREDICTIONS_FEATURE);
    assert.equal(result.predictions?.verdict, 'drift');
    assert.deepEqual({ passed: result.metric?.passed, value: result.metric?.value }, { passed: false, value: 0.4 });
    assert.ok(result.reportUri);
    const report = JSON.parse((await box.sandbox.store.get(`runs/iris/${run.workflowId}/${run.runId}/drift/drift.json`)).toString('utf8')) as StoredDriftReport;
    assert.equal(report.verdict, 'drift');
    assert.equal(report.features.length, 4);
    assert.deepEqual(report.features.map((f) => f.psi), [...report.features.map((f) => f.psi)].sort((a, b) => b - a));
    assert.equal(report.features[0].feature, 'petal_length');
    assert.equal(typeof report.trainingMetrics?.accuracy, 'number');
  });

  test('a version deployed without a profile warns "no profile" and does not fail', async () => {
    const registry = new ModelRegistry(box.sandbox.store);
    await box.sandbox.store.put(registryKeys.version('old-model', '1', 'lineage.json'), '{}');
    assert.equal(await registry.getProfile('old-model', '1'), undefined);
    const result = await call(box.activities.drift, { ...input(newRun(), trainingTable), modelName: 'old-model' });
    assert.equal(result.verdict, 'ok');
    assert.match(result.warnings[0], /^no profile/);
  });

  test('a batch without a feature column fails without retry, naming the column', async () => {
    const csvRun = newRun();
    await writeFile(join(box.sandbox.dataRoot, 'no-petals.csv'), 'sepal_length,sepal_width,species\n5.1,3.5,setosa\n');
    const partial = await call(box.activities.ingest, { run: csvRun, source: 'no-petals.csv' });
    const failure = assertNonRetryable(await rejectionOf(call(box.activities.drift, input(csvRun, partial))), FAILURE_TYPES.DriftInputError);
    assert.match(failure.message, /petal_length/);
  });

  test('claimRetrain: one grant per cool-down, a retry of the holder granted again, another run after the cool-down', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const activities = createActivities(testDeps(box.sandbox, { clock: { now: () => now } }));
    const [a, b] = [newRun(), newRun()];
    const first = await call(activities.claimRetrain, { modelName: 'iris', cooldownSeconds: 3600, run: a });
    assert.deepEqual(first, { granted: true, lastClaimAt: '2026-01-01T00:00:00.000Z' });
    now = new Date('2026-01-01T00:30:00Z');
    assert.equal((await call(activities.claimRetrain, { modelName: 'iris', cooldownSeconds: 3600, run: a })).granted, true);
    const refused = await call(activities.claimRetrain, { modelName: 'iris', cooldownSeconds: 3600, run: b });
    assert.deepEqual(refused, { granted: false, lastClaimAt: '2026-01-01T00:00:00.000Z', nextAllowedAt: '2026-01-01T01:00:00.000Z' });
    now = new Date('2026-01-01T01:00:00Z');
    assert.equal((await call(activities.claimRetrain, { modelName: 'iris', cooldownSeconds: 3600, run: b })).granted, true);
    // Two runs asking at once: the compare-and-swap grants exactly one.
    now = new Date('2026-01-02T12:00:00Z');
    const racers = await Promise.all([newRun(), newRun(), newRun()].map((run) => call(activities.claimRetrain, { modelName: 'iris', cooldownSeconds: 3600, run })));
    assert.equal(racers.filter((r) => r.granted).length, 1);
  });
});
