import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ModelRegistry } from '../../storage/modelRegistry';
import { startTestApi, type ErrorBody, type TestApi } from '../helpers/apiApp';

type Versions = {
  model: string;
  production: string | null;
  candidates: string[];
  versions: { version: string; status: string; candidate?: { reason: string }; promotions: { by: string; reason: string; at: string }[]; params?: unknown }[];
};

let api: TestApi;
let registry: ModelRegistry;
const run = (id: string) => ({ pipeline: 'sales', workflowId: `ml-sales-${id}`, runId: id });

before(async () => {
  api = await startTestApi();
  registry = new ModelRegistry(api.store);
  const registered = (id: string, at: string, candidate?: string) =>
    registry.claimVersion({ model: 'sales', run: run(id), datasetFingerprint: id, params: { pipeline: 'sales' }, metrics: { r2: 0.8 }, registeredAt: at, ...(candidate && { candidate: { reason: candidate } }) });
  await registered('a', '2024-01-01T00:00:00.000Z');
  await registry.promoteNew(await registry.lineage('sales', '1'), new Date('2024-01-01T00:00:01.000Z'));
  await registered('b', '2024-01-02T00:00:00.000Z', 'r2 0.7 is worse than production version 1 (0.8)');
  await registered('c', '2024-01-03T00:00:00.000Z', 'r2 0.6 does not reach 0.75');
});
after(async () => {
  await api?.close();
});

describe('model versions and promotion over HTTP', () => {
  test('GET /models/:name/versions lists production and candidates apart, with a status per version', async () => {
    const res = await api.call<Versions>('GET', '/models/sales/versions');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.production, '1');
    assert.deepEqual(res.body.candidates, ['2', '3']);
    assert.deepEqual(
      res.body.versions.map((v) => [v.version, v.status]),
      [
        ['1', 'production'],
        ['2', 'candidate'],
        ['3', 'candidate'],
      ],
    );
    assert.equal(res.body.versions[1].candidate?.reason, 'r2 0.7 is worse than production version 1 (0.8)');
    assert.equal(res.body.versions[0].params, undefined, 'the summary leaves the training params to GET /models/:name');
    const only = await api.call<Versions>('GET', '/models/sales/versions?status=candidate');
    assert.deepEqual(only.body.versions.map((v) => v.version), ['2', '3']);
    const bad = await api.call<ErrorBody>('GET', '/models/sales/versions?status=serving');
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /status/);
    assert.equal((await api.call('GET', '/models/nope/versions')).status, 404);
  });

  test('a candidate is not rolled back to: it is promoted, with who and why', async () => {
    const rollback = await api.call<ErrorBody>('POST', '/models/sales/rollback', { version: '3' });
    assert.equal(rollback.status, 409, rollback.text);
    assert.match(rollback.body.error.message, /candidate that never served: promote it with POST \/models\/sales\/versions\/3\/promote/);
    assert.equal((await registry.production('sales'))?.version, '1');
  });

  test('promote: body fields are required and named; unknown versions 404; the promoted version serves with who and why in its lineage', async () => {
    const missing = await api.call<ErrorBody>('POST', '/models/sales/versions/2/promote', { by: 'ana' });
    assert.equal(missing.status, 400, missing.text);
    assert.match(missing.body.error.message, /reason/);
    const blank = await api.call<ErrorBody>('POST', '/models/sales/versions/2/promote', { by: '  ', reason: 'x' });
    assert.equal(blank.status, 400);
    assert.match(blank.body.error.message, /by/);
    const extra = await api.call<ErrorBody>('POST', '/models/sales/versions/2/promote', { by: 'ana', reason: 'x', force: true });
    assert.equal(extra.status, 400);
    assert.match(extra.body.error.message, /force/);
    const anonymous = await api.anonymous('POST', '/models/sales/versions/2/promote', { by: 'ana', reason: 'x' });
    assert.equal(anonymous.status, 401);

    const noVersion = await api.call<ErrorBody>('POST', '/models/sales/versions/9/promote', { by: 'ana', reason: 'x' });
    assert.equal(noVersion.status, 404);
    assert.match(noVersion.body.error.message, /model sales has no version 9; its versions: 1, 2, 3/);
    const noModel = await api.call<ErrorBody>('POST', '/models/nope/versions/1/promote', { by: 'ana', reason: 'x' });
    assert.equal(noModel.status, 404);
    assert.match(noModel.body.error.message, /model not found: nope/);

    const promoted = await api.call<{ version: string; production: { version: string; previousVersion: string }; promotion: { by: string; reason: string; at: string; previousVersion?: string } }>(
      'POST',
      '/models/sales/versions/2/promote',
      { by: 'ana', reason: 'holiday season: version 2 handles the new stores' },
    );
    assert.equal(promoted.status, 200, promoted.text);
    assert.equal(promoted.body.production.version, '2');
    assert.equal(promoted.body.production.previousVersion, '1');
    assert.deepEqual(promoted.body.promotion, { by: 'ana', reason: 'holiday season: version 2 handles the new stores', at: promoted.body.promotion.at, previousVersion: '1' });

    const model = await api.call<{ production: { version: string; promotion: { by: string } }; versions: Versions['versions'] }>('GET', '/models/sales');
    assert.equal(model.body.production.version, '2');
    assert.equal(model.body.production.promotion.by, 'ana');
    const v2 = model.body.versions.find((v) => v.version === '2')!;
    assert.equal(v2.status, 'production');
    assert.deepEqual(v2.promotions.map((p) => [p.by, p.reason]), [['ana', 'holiday season: version 2 handles the new stores']]);
    const listed = await api.call<Versions>('GET', '/models/sales/versions');
    assert.deepEqual(listed.body.candidates, ['3']);
    assert.deepEqual(listed.body.versions.map((v) => v.status), ['archived', 'production', 'candidate']);

    const twice = await api.call<ErrorBody>('POST', '/models/sales/versions/2/promote', { by: 'bo', reason: 'again' });
    assert.equal(twice.status, 409, twice.text);
    assert.match(twice.body.error.message, /model sales version 2 already serves/);
  });
});
