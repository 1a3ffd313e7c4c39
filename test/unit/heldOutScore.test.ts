import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compareTask } from '../../activities/compute/tasks/compare';
import { LogisticRegressionSchema, PreprocessingSchema, SplitSchema, type Task } from '../../contract/params';
import { encodeTable } from '../../ml/data/codec';
import { tableFromRecords } from '../../ml/data/records';
import { type Table } from '../../ml/data/table';
import { classificationEvaluation } from '../../ml/evaluation';
import { scoreOnRows } from '../../ml/heldOutScore';
import { loadModel } from '../../ml/models';
import { trainLinearRegression } from '../../ml/models/linearRegression';
import { trainLogisticRegression } from '../../ml/models/logisticRegression';
import { applyTransform, encodeTargets, fitTransform, selectTargets, splitTable } from '../../ml/preprocess';
import { MODEL_ARTIFACT_FORMAT, type ModelArtifact } from '../../storage/modelArtifact';

// Three kinds by size, the colour telling a little; every fifth row has an odd size.
const RECORDS = Array.from({ length: 300 }, (_, i) => ({ size: (i % 3) * 2 + (i % 5 === 0 ? 1.5 : 0) + (i % 7) * 0.05, colour: ['red', 'blue'][i % 2], weight: i % 11, kind: ['small', 'medium', 'large'][i % 3] }));
const SPLIT = SplitSchema.parse({ testSize: 0.25, seed: 9 });

async function artifactOf(table: Table, rows: Int32Array, features: string[], target = 'kind'): Promise<ModelArtifact> {
  const task: Task = target === 'kind' ? 'classification' : 'regression';
  const encoded = encodeTargets(table, target, task);
  const transform = fitTransform(table, features, PreprocessingSchema.parse({}), rows);
  const x = applyTransform(transform, table, rows);
  const targets = selectTargets(encoded, rows);
  const model = task === 'classification' ? await trainLogisticRegression(LogisticRegressionSchema.parse({}), x, targets) : await trainLinearRegression({ l2: 0 }, x, targets);
  return { format: MODEL_ARTIFACT_FORMAT, model: model.serialize(), transform, target, task, trainedAt: new Date(0).toISOString() };
}

const bytes = (artifact: ModelArtifact) => new Uint8Array(Buffer.from(JSON.stringify(artifact)));

describe('scoring on the run\'s held-out rows', () => {
  const table = tableFromRecords(RECORDS);
  const { encoded, train, test: held } = splitTable(table, 'kind', 'classification', SPLIT);
  const targets = selectTargets(encoded, held);

  test('the run\'s own model scores on the raw held-out rows as its evaluation on the transformed split does', async () => {
    const artifact = await artifactOf(table, train, ['size', 'colour']);
    const model = loadModel(artifact.model);
    const evaluated = classificationEvaluation(model, applyTransform(artifact.transform, table, held), targets as Extract<typeof targets, { task: 'classification' }>);
    assert.deepEqual(scoreOnRows({ model, transform: artifact.transform, classes: artifact.model.classes }, table, held, targets, 7), evaluated.metrics, 'chunks of 7 rows change nothing');
  });

  test('a production model fitted on other rows, features and classes is scored by label, through its own transform', async () => {
    // Production never saw "large": its class indices differ from the run's, and every large row is a miss.
    const older = tableFromRecords(RECORDS.filter((r) => r.kind !== 'large').map(({ size, kind }) => ({ size: size + 0.1, kind })));
    const production = await artifactOf(older, encodeTargets(older, 'kind', 'classification').rows, ['size']);
    assert.deepEqual(production.model.classes, ['medium', 'small']);
    const out = (await compareTask({ table: encodeTable(table), target: 'kind', task: 'classification', split: SPLIT, candidate: bytes(await artifactOf(table, train, ['size', 'colour'])), production: bytes(production) }, { progress: () => undefined, checkpoint: () => undefined })).value;
    assert.equal(out.rows, held.length);
    assert.equal(out.problem, undefined);
    const predicted = loadModel(production.model).predict(applyTransform(production.transform, table, held)) as Int32Array;
    const right = Array.from(held).filter((row, i) => production.model.classes![predicted[i]] === RECORDS[row].kind).length;
    assert.equal(out.production?.accuracy, right / held.length);
    const large = Array.from(held).filter((row) => RECORDS[row].kind === 'large').length;
    assert.ok(out.production.accuracy <= 1 - large / held.length, 'no large row is right');
    assert.ok(out.candidate.accuracy > out.production.accuracy);
  });

  test('a production version that cannot score these rows is named, not scored', async () => {
    const input = { table: encodeTable(table), target: 'kind', task: 'classification' as const, split: SPLIT, candidate: bytes(await artifactOf(table, train, ['size'])) };
    const channel = { progress: () => undefined, checkpoint: () => undefined };
    const wider = tableFromRecords(RECORDS.map((r) => ({ ...r, height: r.size * 2 })));
    const needsHeight = await artifactOf(wider, train, ['size', 'height']);
    const missing = (await compareTask({ ...input, production: bytes(needsHeight) }, channel)).value;
    assert.equal(missing.production, undefined);
    assert.match(missing.problem!, /feature column height is missing/);
    const regressor = await artifactOf(table, train, ['size'], 'weight');
    const other = (await compareTask({ ...input, production: bytes(regressor) }, channel)).value;
    assert.match(other.problem!, /it is a regression model and this run trains a classification one/);
    assert.equal(typeof other.candidate.accuracy, 'number');
  });
});
