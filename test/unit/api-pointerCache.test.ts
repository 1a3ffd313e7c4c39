import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, test } from 'node:test';
import { LogisticRegressionSchema, PreprocessingSchema } from '../../contract/params';
import { tableFromRecords } from '../../ml/data/records';
import { trainLogisticRegression } from '../../ml/models/logisticRegression';
import { applyTransform, encodeTargets, fitTransform } from '../../ml/preprocess';
import { MODEL_ARTIFACT_FORMAT, type ModelArtifact } from '../../storage/modelArtifact';
import { ModelRegistry } from '../../storage/modelRegistry';
import { startTestApi, type TestApi } from '../helpers/apiApp';

const TRAINING = Array.from({ length: 60 }, (_, i) => ({ size: (i % 2) * 3 + (i % 5) * 0.1, kind: ['small', 'large'][i % 2] }));
const ROWS = { rows: [{ size: 0 }, { size: 3 }] };

const apis: TestApi[] = [];
after(async () => {
  await Promise.all(apis.map((a) => a.close()));
});

/** An API whose store holds model `flowers` with versions 1 and 2, version 1 serving; and the registry as another process sees it. */
async function apiWithTwoVersions(env: NodeJS.ProcessEnv): Promise<{ api: TestApi; registry: ModelRegistry }> {
  const api = await startTestApi(env);
  apis.push(api);
  const table = tableFromRecords(TRAINING);
  const encoded = encodeTargets(table, 'kind', 'classification');
  const transform = fitTransform(table, ['size'], PreprocessingSchema.parse({}), encoded.rows);
  const model = await trainLogisticRegression(LogisticRegressionSchema.parse({}), applyTransform(transform, table, encoded.rows), encoded.targets);
  const artifact: ModelArtifact = { format: MODEL_ARTIFACT_FORMAT, model: model.serialize(), transform, target: 'kind', task: 'classification', trainedAt: new Date(0).toISOString() };
  const registry = new ModelRegistry(api.store);
  for (const runId of ['r1', 'r2']) {
    const version = await registry.claimVersion({ model: 'flowers', run: { pipeline: 'flowers', workflowId: 'ml-flowers', runId }, datasetFingerprint: runId, params: {}, metrics: {}, registeredAt: new Date().toISOString() });
    await registry.putModel('flowers', version, Buffer.from(JSON.stringify(artifact)));
  }
  await registry.promote('flowers', '1', new Date());
  return { api, registry };
}

async function servedVersion(api: TestApi): Promise<string> {
  const res = await api.call<{ version: string }>('POST', '/models/flowers/predict', ROWS);
  assert.equal(res.status, 200, res.text);
  return res.body.version;
}

describe('POST /models/:name/predict: the production pointer', () => {
  test('is read once per bound: a move by another process is not seen within it; one through this API is, at once', async () => {
    const { api, registry } = await apiWithTwoVersions({ API_POINTER_MAX_AGE_MS: '60000' });
    assert.equal(await servedVersion(api), '1');
    await registry.promote('flowers', '2', new Date());
    assert.equal(await servedVersion(api), '1', 'within the bound the pointer read before is served');

    const rollback = await api.call('POST', '/models/flowers/rollback', { version: '1' });
    assert.equal(rollback.status, 200, rollback.text);
    assert.equal(await servedVersion(api), '1');
    const promote = await api.call('POST', '/models/flowers/versions/2/promote', { by: 'ana', reason: 'better on recent data' });
    assert.equal(promote.status, 200, promote.text);
    assert.equal(await servedVersion(api), '2', 'a promotion through this API is served from the next request');
  });

  test('a move by another process is served once the bound has passed', async () => {
    const { api, registry } = await apiWithTwoVersions({ API_POINTER_MAX_AGE_MS: '200' });
    assert.equal(await servedVersion(api), '1');
    await registry.promote('flowers', '2', new Date());
    await sleep(250);
    assert.equal(await servedVersion(api), '2');
  });

  test('with a bound of 0 every prediction reads the pointer', async () => {
    const { api, registry } = await apiWithTwoVersions({ API_POINTER_MAX_AGE_MS: '0' });
    assert.equal(await servedVersion(api), '1');
    await registry.promote('flowers', '2', new Date());
    assert.equal(await servedVersion(api), '2');
  });

  test('a model without a production version is asked for again: once deployed, it is served', async () => {
    const { api, registry } = await apiWithTwoVersions({ API_POINTER_MAX_AGE_MS: '60000' });
    await registry.promote('flowers', '2', new Date());
    const unknown = await api.call('POST', '/models/tulips/predict', ROWS);
    assert.equal(unknown.status, 404);
    assert.equal(await servedVersion(api), '2');
  });
});
