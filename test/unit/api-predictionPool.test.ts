import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PredictionPool } from '../../api/models/predictionPool';
import { PipelineError } from '../../contract';
import { RandomForestClassifierSchema } from '../../contract/params';
import { tableFromRecords } from '../../ml/data/records';
import { loadModel } from '../../ml/models';
import { trainRandomForest } from '../../ml/models/randomForest';
import { applyTransform, type FittedTransform } from '../../ml/preprocess';
import { MODEL_ARTIFACT_FORMAT, type ModelArtifact } from '../../storage/modelArtifact';
import { makeClassification } from '../../bench/makeClassification';

const FEATURES = 5;
const names = Array.from({ length: FEATURES }, (_, j) => `f${j}`);
const transform: FittedTransform = { version: 1, features: names.map((name) => ({ name, type: 'number', fill: 0, center: 0, scale: 1 })), featureNames: names };

let pool: PredictionPool;
let artifact: ModelArtifact;
let shared: SharedArrayBuffer;
let rows: Record<string, number>[];

before(async () => {
  const { x, y } = makeClassification({ rows: 10_000, features: FEATURES, seed: 3 });
  const train = { rows: 2_000, cols: FEATURES, data: x.data.subarray(0, 2_000 * FEATURES) };
  const model = await trainRandomForest('random_forest_classifier', RandomForestClassifierSchema.parse({ nTrees: 100, seed: 1 }), train, { task: 'classification', classes: ['no', 'yes'], y: y.subarray(0, 2_000) });
  artifact = { format: MODEL_ARTIFACT_FORMAT, model: model.serialize(), transform, target: 'y', task: 'classification', trainedAt: new Date(0).toISOString() };
  const bytes = Buffer.from(JSON.stringify(artifact));
  shared = new SharedArrayBuffer(bytes.byteLength);
  new Uint8Array(shared).set(bytes);
  rows = Array.from({ length: x.rows }, (_, r) => Object.fromEntries(names.map((n, j) => [n, x.data[r * FEATURES + j]])));
  pool = new PredictionPool(1);
});
after(async () => {
  await pool?.close();
});

describe('the API\'s prediction pool', () => {
  test('predicts in a thread exactly what the model predicts here, as class labels', async () => {
    const direct = loadModel(artifact.model).predict(applyTransform(transform, tableFromRecords(rows)));
    const pooled = await pool.predict({ key: 'm@1', artifact: shared, rows });
    assert.deepEqual(pooled.predictions, Array.from(direct, (c) => artifact.model.classes![c]));
  });

  test('a forest\'s class probabilities cross the thread, one set per row, summing to 1', async () => {
    const { probabilities, warnings } = await pool.predict({ key: 'm@1', artifact: shared, rows: rows.slice(0, 50) });
    assert.equal(probabilities?.length, 50);
    for (const p of probabilities) {
      assert.deepEqual(Object.keys(p), ['no', 'yes']);
      assert.ok(Math.abs(p.no + p.yes - 1) < 1e-9, JSON.stringify(p));
    }
    assert.equal(warnings.rows, 0);
  });

  test('the event loop keeps running while 10,000 rows are scored', async () => {
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 2);
    try {
      await pool.predict({ key: 'm@1', artifact: shared, rows });
    } finally {
      clearInterval(timer);
    }
    // Scoring on this thread would hold every timer until it ended: not one tick.
    assert.ok(ticks >= 2, `${ticks} timer ticks during the prediction`);
  });

  test('bad rows keep their failure type across the thread: non-retryable bad input naming the column', async () => {
    const missing = rows.slice(0, 3).map(({ f2: _f2, ...rest }) => rest);
    await assert.rejects(pool.predict({ key: 'm@1', artifact: shared, rows: missing }), (e: unknown) => {
      assert.ok(e instanceof PipelineError && !e.retryable, String(e));
      assert.match(e.message, /f2/);
      return true;
    });
  });
});
