import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CancelledFailure } from '@temporalio/common';
import { CURVE_MAX_POINTS } from '../../ml/curves';
import { createRng } from '../../ml/random';
import { SCATTER_MAX_POINTS } from '../../activities/compute/tasks/evaluate';
import { twoClassCsv } from '../helpers/syntheticCsv';
import { FAILURE_TYPES, type FeatureImportances, parsePipelineParams, RandomForestClassifierSchema, runKey, taskOf, type PipelineParams, type PipelineParamsInput, type RunRef } from '../../contract';
import { decodeModelArtifact } from '../../storage/modelArtifact';
import { activeComputeThreads } from '../../activities';
import { type EvaluateResult, type IngestResult, type PreprocessResult, type TrainResult } from '../../activities/types';
import { decodeSplit, decodeTable } from '../../ml/data/codec';
import { classificationMetrics } from '../../ml/metrics';
import { loadModel } from '../../ml/models';
import { applyTransform, classOfRow, encodeTargets, trainTestSplit } from '../../ml/preprocess';
import { activityEnv, activitySandbox, assertNonRetryable, newRun, rejectionOf, type ActivitySandbox } from '../helpers/activities';

interface Chain {
  readonly run: RunRef;
  readonly params: PipelineParams;
  readonly ingested: IngestResult;
  readonly preprocessed: PreprocessResult;
  readonly trained: TrainResult;
  readonly evaluated: EvaluateResult;
  /** Heartbeat details of the train step. */
  readonly trainHeartbeats: unknown[];
}

interface StoredEvaluation {
  readonly task: string;
  readonly testRows: number;
  readonly classes?: string[];
  readonly confusionMatrix?: number[][];
  readonly metrics: Record<string, number>;
}

const IRIS: Omit<PipelineParamsInput, 'model'> = {
  pipeline: 'iris',
  dataset: { source: 'iris.csv', target: 'species' },
  split: { testSize: 0.3, seed: 7, stratify: true },
  deploy: { metric: 'accuracy', threshold: 0.9 },
};

describe('preprocess, train and evaluate activities', () => {
  let box: ActivitySandbox;
  before(async () => {
    box = await activitySandbox();
  });
  after(async () => {
    await box.sandbox.remove();
  });

  /** The pipeline's data steps, each as its own activity attempt, passing references as the workflow does. */
  async function runChain(input: PipelineParamsInput): Promise<Chain> {
    const params = parsePipelineParams(input);
    const run = newRun(params.pipeline);
    const ingested = await activityEnv().call(box.activities.ingest, { run, source: params.dataset.source });
    const preprocessed = await activityEnv().call(box.activities.preprocess, {
      run,
      table: ingested.table,
      target: params.dataset.target,
      features: params.dataset.features,
      task: taskOf(params.model.type),
      preprocessing: params.preprocessing,
      split: params.split,
    });
    const training = activityEnv();
    const trained = await training.call(box.activities.train, {
      run,
      model: params.model,
      train: preprocessed.train,
      transform: preprocessed.transform,
      target: params.dataset.target,
    });
    const evaluated = await activityEnv().call(box.activities.evaluate, { run, model: trained.model, test: preprocessed.test });
    return { run, params, ingested, preprocessed, trained, evaluated, trainHeartbeats: training.heartbeats };
  }

  async function storedEvaluation(run: RunRef): Promise<StoredEvaluation> {
    return JSON.parse((await box.sandbox.store.get(runKey(run, 'evaluation', 'metrics.json'))).toString('utf8')) as StoredEvaluation;
  }

  describe('iris with a random forest', () => {
    let chain: Chain;
    before(async () => {
      chain = await runChain({ ...IRIS, model: { type: 'random_forest_classifier', hyperparameters: { nTrees: 20, seed: 1 } } });
    });

    test('splits stratified and stores both splits and the transform', () => {
      const { preprocessed, run } = chain;
      assert.equal(preprocessed.trainRows + preprocessed.testRows, 150);
      assert.equal(preprocessed.testRows, 45);
      assert.equal(preprocessed.droppedRows, 0);
      assert.deepEqual(preprocessed.warnings, []);
      assert.equal(preprocessed.featureCount, 4);
      assert.deepEqual(preprocessed.classes, ['setosa', 'versicolor', 'virginica']);
      assert.deepEqual(
        [preprocessed.train.key, preprocessed.test.key, preprocessed.transform.key],
        [runKey(run, 'preprocessed', 'train.bin'), runKey(run, 'preprocessed', 'test.bin'), runKey(run, 'preprocessed', 'transform.json')],
      );
    });

    test('reaches accuracy >= 0.9 and stores a 3x3 confusion matrix over the test rows', async () => {
      const { evaluated, preprocessed, run } = chain;
      assert.ok(evaluated.metrics.accuracy! >= 0.9, `accuracy ${evaluated.metrics.accuracy}`);
      // Three classes: no roc_auc or average_precision, which rank a binary task's positive class; roc_auc_ovr averages every class's.
      assert.deepEqual(Object.keys(evaluated.metrics).sort(), ['accuracy', 'balanced_accuracy', 'f1_macro', 'precision_macro', 'recall_macro', 'roc_auc_ovr']);
      assert.deepEqual(evaluated.classReport?.confusionMatrix.counts, (await storedEvaluation(run)).confusionMatrix);
      assert.deepEqual(evaluated.classReport?.perClass.map((c) => [c.label, c.support]), [['setosa', 15], ['versicolor', 15], ['virginica', 15]]);
      assert.equal(evaluated.evaluation.key, runKey(run, 'evaluation', 'metrics.json'));
      const stored = await storedEvaluation(run);
      assert.equal(stored.task, 'classification');
      assert.equal(stored.testRows, preprocessed.testRows);
      assert.deepEqual(stored.classes, ['setosa', 'versicolor', 'virginica']);
      const cm = stored.confusionMatrix!;
      assert.equal(cm.length, 3);
      assert.ok(cm.every((row) => row.length === 3));
      assert.equal(cm.flat().reduce((a, b) => a + b, 0), preprocessed.testRows);
      // Stratified: 15 test rows of each class.
      assert.deepEqual(
        cm.map((row) => row.reduce((a, b) => a + b, 0)),
        [15, 15, 15],
      );
      const diagonal = cm[0][0] + cm[1][1] + cm[2][2];
      assert.equal(diagonal / preprocessed.testRows, evaluated.metrics.accuracy);
    });

    test('heartbeats progress per tree, up to fraction 1', () => {
      const perTree = chain.trainHeartbeats.filter((d) => /^\d+\/\d+$/.test(String((d as { message?: unknown }).message)));
      const fractions = perTree.map((d) => (d as { fraction?: unknown }).fraction).filter((f): f is number => typeof f === 'number');
      assert.ok(fractions.length >= 20, `expected a heartbeat per tree, got ${JSON.stringify(chain.trainHeartbeats)}`);
      assert.ok(fractions.every((f) => f > 0 && f <= 1));
      for (let i = 1; i < fractions.length; i++) assert.ok(fractions[i] >= fractions[i - 1], 'progress never goes back');
      assert.equal(fractions[fractions.length - 1], 1);
      assert.deepEqual(chain.trainHeartbeats[chain.trainHeartbeats.length - 1], { fraction: 1, message: '20/20', checkpoint: undefined, resumedFrom: 0 });
    });

    test('the stored model, re-loaded with its transform on the ingested table, predicts what evaluate scored', async () => {
      const { run, params, ingested, trained, preprocessed } = chain;
      const artifact = decodeModelArtifact(await box.sandbox.store.get(trained.model.key));
      assert.equal(artifact.target, 'species');
      assert.equal(artifact.task, 'classification');
      assert.equal(artifact.model.type, 'random_forest_classifier');
      const model = loadModel(artifact.model);

      // The test rows of the ingested table, chosen as preprocess chooses them (seeded, stratified split).
      const table = decodeTable(await box.sandbox.store.get(ingested.table.key));
      const encoded = encodeTargets(table, params.dataset.target, 'classification');
      const { test: testRows } = trainTestSplit(encoded.rows, params.split, classOfRow(encoded));
      assert.equal(testRows.length, preprocessed.testRows);

      const stored = decodeSplit(await box.sandbox.store.get(preprocessed.test.key));
      const fromRaw = applyTransform(artifact.transform, table, testRows);
      assert.deepEqual({ rows: fromRaw.rows, cols: fromRaw.cols }, { rows: stored.x.rows, cols: stored.x.cols });
      assert.deepEqual(fromRaw.data, stored.x.data, 'the saved transform reproduces the preprocessed test split');

      const predicted = model.predict(fromRaw) as Int32Array;
      assert.deepEqual(predicted, model.predict(stored.x), 'same predictions as on the split evaluate scored');
      const { targets } = stored;
      assert.ok(targets.task === 'classification');
      const species = table.columns.find((c) => c.name === 'species');
      assert.ok(species?.type === 'string');
      const truth = Array.from(testRows, (row) => species.dictionary[species.codes[row]]);
      assert.deepEqual(
        Array.from(targets.y, (c) => targets.classes[c]),
        truth,
      );
      const labels = Array.from(predicted, (c) => artifact.model.classes![c]);
      const evaluation = await storedEvaluation(run);
      const recomputed = classificationMetrics(targets.y, predicted, targets.classes);
      assert.deepEqual(recomputed.confusionMatrix, evaluation.confusionMatrix);
      assert.equal(labels.filter((label, i) => label === truth[i]).length / truth.length, chain.evaluated.metrics.accuracy);
    });
    test('a cancelled training terminates its compute thread with a CancelledFailure', async () => {
      const { run, preprocessed } = chain;
      const { env, call, heartbeats } = activityEnv();
      // Cancel as the server would answer the first heartbeat; the forest would need 500 trees otherwise.
      env.once('heartbeat', () => env.cancel());
      const error = await rejectionOf(
        call(box.activities.train, {
          run,
          model: { type: 'random_forest_classifier', hyperparameters: { ...RandomForestClassifierSchema.parse({}), nTrees: 500 } },
          train: preprocessed.train,
          transform: preprocessed.transform,
          target: 'species',
        }),
      );
      assert.ok(error instanceof CancelledFailure, `expected a CancelledFailure, got ${String(error)}`);
      assert.ok(heartbeats.length < 500, `training went on after the cancellation: ${heartbeats.length} heartbeats`);
      assert.equal(activeComputeThreads(), 0, 'the compute thread is gone when the attempt ends');
    });
  });

  test('iris with a logistic regression reaches accuracy >= 0.9', async () => {
    const chain = await runChain({ ...IRIS, model: { type: 'logistic_regression' } });
    assert.ok(chain.evaluated.metrics.accuracy! >= 0.9, `accuracy ${chain.evaluated.metrics.accuracy}`);
    const stored = await storedEvaluation(chain.run);
    assert.equal(stored.confusionMatrix?.length, 3);
    assert.equal(stored.confusionMatrix.flat().reduce((a, b) => a + b, 0), chain.preprocessed.testRows);
    const artifact = decodeModelArtifact(await box.sandbox.store.get(chain.trained.model.key));
    assert.equal(artifact.model.type, 'logistic_regression');
  });

  test('diabetes with a linear regression reaches r2 > 0.3', async () => {
    const chain = await runChain({
      pipeline: 'diabetes',
      dataset: { source: 'diabetes.csv', target: 'progression' },
      preprocessing: { scaling: 'standard' },
      split: { testSize: 0.25, seed: 3 },
      model: { type: 'linear_regression' },
      deploy: { metric: 'r2', threshold: 0.35 },
    });
    assert.equal(chain.preprocessed.classes, undefined);
    assert.ok(chain.evaluated.metrics.r2! > 0.3, `r2 ${chain.evaluated.metrics.r2}`);
    assert.deepEqual(Object.keys(chain.evaluated.metrics).sort(), ['mae', 'mse', 'r2', 'rmse']);
    const stored = await storedEvaluation(chain.run);
    assert.equal(stored.task, 'regression');
    assert.equal(stored.testRows, chain.preprocessed.testRows);
    assert.equal(stored.confusionMatrix, undefined);
  });

  test('a binary classifier on 20,000 rows: bounded ROC and PR curves, permutation importances in the result and the evaluation', async () => {
    await writeFile(join(box.sandbox.dataRoot, 'binary-20k.csv'), twoClassCsv(20_000, 4, 5, (x) => 2 * x[0] + x[1]));
    const chain = await runChain({
      pipeline: 'binary',
      dataset: { source: 'binary-20k.csv', target: 'label' },
      split: { testSize: 0.3, seed: 2, stratify: true },
      model: { type: 'logistic_regression' },
      deploy: { metric: 'roc_auc', threshold: 0.8 },
    });
    const stored = JSON.parse((await box.sandbox.store.get(runKey(chain.run, 'evaluation', 'metrics.json'))).toString('utf8')) as {
      curves: { roc: { fpr: number[]; tpr: number[] }; pr: { recall: number[]; precision: number[] }; prevalence: number };
      featureImportances: FeatureImportances;
    };
    const { roc, pr } = stored.curves;
    assert.equal(roc.fpr.length, CURVE_MAX_POINTS, '6,000 distinct scores thinned to the bound');
    assert.deepEqual([roc.fpr[0], roc.tpr[0], roc.fpr.at(-1), roc.tpr.at(-1)], [0, 0, 1, 1]);
    assert.ok(pr.recall.length <= CURVE_MAX_POINTS && pr.recall.at(-1) === 1);
    assert.ok(Math.abs(stored.curves.prevalence - 0.5) < 0.05, `prevalence ${stored.curves.prevalence}`);
    const importances = chain.evaluated.featureImportances!;
    assert.deepEqual(importances.features.map((f) => f.feature).slice(0, 2), ['f0', 'f1'], 'the label is 2 x0 + x1');
    assert.ok(importances.features[0].mean > 0.1 && Math.abs(importances.features.find((f) => f.feature === 'f3')!.mean) < 0.01, JSON.stringify(importances.features));
    assert.deepEqual({ ...importances, rows: 0 }, { ...stored.featureImportances, rows: 0 }, 'four features: all of them in the result');
    assert.equal(importances.rows, 6_000);
  });

  test('a regressor on 20,000 rows keeps a seeded sample of 2,000 (actual, predicted) pairs for the report', async () => {
    const rng = createRng(9);
    const lines = ['a,b,c,y'];
    for (let i = 0; i < 20_000; i++) {
      const [a, b, c] = [rng.next(), rng.next(), rng.next()];
      lines.push(`${a},${b},${c},${(5 * a - 2 * b + 0.1 * (rng.next() - 0.5)).toFixed(6)}`);
    }
    await writeFile(join(box.sandbox.dataRoot, 'regression-20k.csv'), `${lines.join('\n')}\n`);
    const input: PipelineParamsInput = { pipeline: 'reg', dataset: { source: 'regression-20k.csv', target: 'y' }, split: { testSize: 0.25, seed: 1 }, model: { type: 'linear_regression' }, deploy: { metric: 'r2', threshold: 0.5 } };
    const first = await runChain(input);
    const read = async (run: RunRef) => JSON.parse((await box.sandbox.store.get(runKey(run, 'evaluation', 'metrics.json'))).toString('utf8')) as { sample: { of: number; actual: number[]; predicted: number[] } };
    const { sample } = await read(first.run);
    assert.equal(sample.of, 5_000);
    assert.equal(sample.actual.length, SCATTER_MAX_POINTS);
    assert.equal(sample.predicted.length, SCATTER_MAX_POINTS);
    const worst = Math.max(...sample.actual.map((a, i) => Math.abs(a - sample.predicted[i])));
    assert.ok(worst < 0.1, `a near-exact linear fit: worst residual ${worst}`);
    assert.deepEqual((await read((await runChain(input)).run)).sample, sample, 'seeded: the same run gives the same sample');
    assert.deepEqual(first.evaluated.featureImportances?.features.map((f) => f.feature), ['a', 'b', 'c']);
    assert.equal(first.evaluated.featureImportances?.scoring, 'r2');
  });

  test('rows without a target are counted and named in a warning, not dropped silently', async () => {
    const lines = (await readFile(join(box.sandbox.dataRoot, 'iris.csv'), 'utf8')).trimEnd().split('\n');
    // Every 10th data row loses its species: 15 of 150.
    const blanked = lines.map((line, i) => (i > 0 && i % 10 === 0 ? line.replace(/,[^,]*$/, ',') : line));
    await writeFile(join(box.sandbox.dataRoot, 'iris-unlabelled.csv'), blanked.join('\n') + '\n');
    const chain = await runChain({ ...IRIS, dataset: { source: 'iris-unlabelled.csv', target: 'species' }, model: { type: 'logistic_regression' } });
    assert.equal(chain.preprocessed.droppedRows, 15);
    assert.equal(chain.preprocessed.trainRows + chain.preprocessed.testRows, 135);
    assert.deepEqual(chain.preprocessed.warnings, ['15 rows without a value in target "species" were left out']);
  });

  test('a classifier given a fractional numeric target fails without retry (PreprocessError)', async () => {
    const run = newRun('diabetes');
    const ingested = await activityEnv().call(box.activities.ingest, { run, source: 'diabetes.csv' });
    const params = parsePipelineParams({ ...IRIS, dataset: { source: 'diabetes.csv', target: 'bmi' }, model: { type: 'random_forest_classifier' } });
    const error = await rejectionOf(
      activityEnv().call(box.activities.preprocess, {
        run,
        table: ingested.table,
        target: 'bmi',
        task: 'classification',
        preprocessing: params.preprocessing,
        split: params.split,
      }),
    );
    const failure = assertNonRetryable(error, FAILURE_TYPES.PreprocessError);
    assert.match(failure.message, /bmi/);
    assert.deepEqual(await box.sandbox.store.list(runKey(run, 'preprocessed', '')), [], 'nothing preprocessed was stored');
  });
});
