import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { LogisticRegressionSchema, PreprocessingSchema } from '../../contract/params';
import { tableFromRecords } from '../../ml/data/records';
import { trainLogisticRegression } from '../../ml/models/logisticRegression';
import { applyTransform, encodeTargets, fitTransform } from '../../ml/preprocess';
import { MODEL_ARTIFACT_FORMAT, type ModelArtifact } from '../../storage/modelArtifact';
import { ModelRegistry } from '../../storage/modelRegistry';
import { startTestApi, type TestApi } from '../helpers/apiApp';

type Prediction = {
  model: string;
  version: string;
  predictions: string[];
  probabilities?: Record<string, number>[];
  warnings: {
    rows: number;
    unseenCategories: Record<string, number>;
    missingValues: Record<string, number>;
    allNullRows: number;
    byRow: { row: number; unseenCategories?: Record<string, string>; missingValues?: string[]; allNull?: true }[];
  };
};

// Flowers whose kind follows the size and, a little, the colour.
const TRAINING = Array.from({ length: 90 }, (_, i) => {
  const kind = ['small', 'medium', 'large'][i % 3];
  return { size: (i % 3) * 2 + (i % 5) * 0.1, colour: ['red', 'blue'][i % 2], kind };
});

let api: TestApi;
before(async () => {
  api = await startTestApi();
  const table = tableFromRecords(TRAINING);
  const encoded = encodeTargets(table, 'kind', 'classification');
  const transform = fitTransform(table, ['size', 'colour'], PreprocessingSchema.parse({}), encoded.rows);
  const model = await trainLogisticRegression(LogisticRegressionSchema.parse({}), applyTransform(transform, table, encoded.rows), encoded.targets);
  const artifact: ModelArtifact = { format: MODEL_ARTIFACT_FORMAT, model: model.serialize(), transform, target: 'kind', task: 'classification', trainedAt: new Date(0).toISOString() };
  const registry = new ModelRegistry(api.store);
  const run = { pipeline: 'flowers', workflowId: 'ml-flowers', runId: 'r1' };
  const version = await registry.claimVersion({ model: 'flowers', run, datasetFingerprint: 'x', params: {}, metrics: {}, registeredAt: new Date().toISOString() });
  await registry.putModel('flowers', version, Buffer.from(JSON.stringify(artifact)));
  await registry.promote('flowers', version, new Date(), run);
});
after(async () => {
  await api?.close();
});

describe('POST /models/:name/predict', () => {
  test('classifiers answer labels as before, with class probabilities per row that sum to 1', async () => {
    const rows = [{ size: 0, colour: 'red' }, { size: 2, colour: 'blue' }, { size: 4.2, colour: 'red' }];
    const res = await api.call<Prediction>('POST', '/models/flowers/predict', { rows });
    assert.equal(res.status, 200, res.text);
    // The shape existing clients (and test/e2e/models.test.ts) read.
    assert.equal(res.body.model, 'flowers');
    assert.equal(res.body.version, '1');
    assert.deepEqual(res.body.predictions, ['small', 'medium', 'large']);
    assert.equal(res.body.probabilities?.length, rows.length);
    res.body.probabilities.forEach((p, r) => {
      assert.deepEqual(Object.keys(p).sort(), ['large', 'medium', 'small']);
      const sum = Object.values(p).reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(sum - 1) < 1e-9, `row ${r} sums to ${sum}`);
      // The label is the most probable class.
      assert.equal(Object.entries(p).sort((a, b) => b[1] - a[1])[0][0], res.body.predictions[r]);
    });
    assert.deepEqual(res.body.warnings, { rows: 0, unseenCategories: {}, missingValues: {}, allNullRows: 0, byRow: [] });
  });

  test('per-row warnings name the column of an unseen category, the features filled and all-null rows, and count them', async () => {
    const rows = [{ size: 0, colour: 'purple' }, { size: 2, colour: 'red' }, { colour: null }, { size: null, colour: 'blue' }, { size: 1, colour: 'purple' }];
    const res = await api.call<Prediction>('POST', '/models/flowers/predict', { rows });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.predictions.length, rows.length, 'every row is still scored');
    assert.deepEqual(res.body.warnings, {
      rows: 4,
      unseenCategories: { colour: 2 },
      missingValues: { size: 2, colour: 1 },
      allNullRows: 1,
      byRow: [
        { row: 0, unseenCategories: { colour: 'purple' } },
        { row: 2, missingValues: ['size', 'colour'], allNull: true },
        { row: 3, missingValues: ['size'] },
        { row: 4, unseenCategories: { colour: 'purple' } },
      ],
    });
  });

  test('the OpenAPI document describes the answer: probabilities and warnings', async () => {
    type Doc = { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> }>>; components: { schemas: Record<string, { properties?: Record<string, { description?: string }> }> } };
    const doc = (await api.anonymous<Doc>('GET', '/docs-json')).body;
    const ok = doc.paths['/models/{name}/predict'].post.responses['200'];
    assert.equal(ok.content?.['application/json']?.schema?.$ref, '#/components/schemas/PredictionDto');
    const props = doc.components.schemas.PredictionDto.properties ?? {};
    assert.deepEqual(Object.keys(props).sort(), ['model', 'predictions', 'probabilities', 'version', 'warnings']);
    assert.match(props.probabilities.description ?? '', /sum to 1/);
  });
});
