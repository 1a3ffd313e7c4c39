import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunRef } from '../../contract';
import { LocalArtifactStore } from '../../storage/localArtifactStore';
import { type Lineage, ModelRegistry, ModelVersionConflictError } from '../../storage/modelRegistry';

const run = (id: string): RunRef => ({ pipeline: 'iris', workflowId: `ml-iris-${id}`, runId: `run-${id}` });

function lineage(model: string, id: string, registeredAt = '2024-01-01T00:00:00.000Z'): Omit<Lineage, 'version'> {
  return { model, run: run(id), datasetFingerprint: `fp-${id}`, params: { id }, metrics: { accuracy: 0.9 }, registeredAt };
}

describe('ModelRegistry', () => {
  let dir: string;
  let store: LocalArtifactStore;
  let registry: ModelRegistry;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlp-registry-'));
    store = new LocalArtifactStore(dir);
    registry = new ModelRegistry(store);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('two runs get versions 1 and 2, and the lineage is stored', async () => {
    assert.equal(await registry.claimVersion(lineage('seq', 'a', '2024-01-01T00:00:00.000Z')), '1');
    assert.equal(await registry.claimVersion(lineage('seq', 'b', '2024-01-02T00:00:00.000Z')), '2');
    const versions = await registry.versions('seq');
    assert.deepEqual(
      versions.map((v) => [v.version, v.run.runId, v.datasetFingerprint]),
      [
        ['1', 'run-a', 'fp-a'],
        ['2', 'run-b', 'fp-b'],
      ],
    );
  });

  test('the same run claiming again gets the same version (a retried deploy)', async () => {
    const first = await registry.claimVersion(lineage('retry', 'a'));
    const again = await registry.claimVersion(lineage('retry', 'a'));
    assert.equal(first, '1');
    assert.equal(again, first);
    assert.equal((await registry.versions('retry')).length, 1);
  });

  test('a requested version is claimed; another run asking for it conflicts, the same run gets it again', async () => {
    assert.equal(await registry.claimVersion(lineage('explicit', 'a'), '2024.1'), '2024.1');
    await assert.rejects(registry.claimVersion(lineage('explicit', 'b'), '2024.1'), (error: unknown) => {
      assert.ok(error instanceof ModelVersionConflictError);
      assert.match(error.message, /explicit/);
      assert.match(error.message, /2024\.1/);
      return true;
    });
    assert.equal(await registry.claimVersion(lineage('explicit', 'a'), '2024.1'), '2024.1');
    const versions = await registry.versions('explicit');
    assert.equal(versions.length, 1);
    assert.equal(versions[0].run.runId, 'run-a');
  });

  test('a named version does not stop numbering: the next numbered version follows the highest integer', async () => {
    await registry.claimVersion(lineage('mixed', 'a'), 'v-special');
    assert.equal(await registry.claimVersion(lineage('mixed', 'b')), '1');
    await registry.claimVersion(lineage('mixed', 'c'), '7');
    assert.equal(await registry.claimVersion(lineage('mixed', 'd')), '8');
  });

  test('10 concurrent claims from different runs get 10 distinct versions 1..10', async () => {
    const ids = Array.from({ length: 10 }, (_, i) => `c${i}`);
    const versions = await Promise.all(ids.map((id) => registry.claimVersion(lineage('concurrent', id))));
    assert.deepEqual([...versions].sort((a, b) => Number(a) - Number(b)), ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    // Each run's lineage sits under the version it was given.
    const stored = await registry.versions('concurrent');
    assert.equal(stored.length, 10);
    for (const [i, id] of ids.entries()) {
      assert.equal(stored.find((l) => l.version === versions[i])?.run.runId, `run-${id}`);
    }
  });

  test('versions() is sorted by registration time, then numerically by version', async () => {
    await registry.claimVersion(lineage('sorted', 'x', '2024-03-01T00:00:00.000Z'), '10');
    await registry.claimVersion(lineage('sorted', 'y', '2024-03-01T00:00:00.000Z'), '9');
    await registry.claimVersion(lineage('sorted', 'z', '2024-02-01T00:00:00.000Z'), '11');
    assert.deepEqual(
      (await registry.versions('sorted')).map((v) => v.version),
      ['11', '9', '10'],
    );
    assert.deepEqual(await registry.versions('no-such-model'), []);
  });

  test('production() is undefined before any promote', async () => {
    assert.equal(await registry.production('prod'), undefined);
  });

  test('promote moves the pointer and records the previous version', async () => {
    const t1 = new Date('2024-05-01T10:00:00.000Z');
    const t2 = new Date('2024-05-02T10:00:00.000Z');
    const first = await registry.promote('prod', '1', t1, run('p1'));
    assert.deepEqual(first, { version: '1', previousVersion: undefined, updatedAt: t1.toISOString(), run: run('p1') });
    assert.equal((await registry.production('prod'))?.version, '1');

    await registry.promote('prod', '2', t2, run('p2'));
    const pointer = await registry.production('prod');
    assert.equal(pointer?.version, '2');
    assert.equal(pointer?.previousVersion, '1');
    assert.equal(pointer?.updatedAt, t2.toISOString());
    assert.deepEqual(pointer?.run, run('p2'));
  });

  test('promoting the current version again keeps its previous version', async () => {
    await registry.promote('prod', '2', new Date('2024-05-03T10:00:00.000Z'));
    const pointer = await registry.production('prod');
    assert.equal(pointer?.version, '2');
    assert.equal(pointer?.previousVersion, '1');
  });

  test('putModel and getModel round trip the model bytes of a version', async () => {
    const bytes = Buffer.from('{"format":"x"}');
    const uri = await registry.putModel('stored', '3', bytes);
    assert.match(uri, /^file:\/\/.*\/models\/stored\/versions\/3\/model\.json$/);
    assert.deepEqual(await registry.getModel('stored', '3'), bytes);
  });

  test('models are kept apart', async () => {
    assert.equal(await registry.claimVersion(lineage('apart-a', 'same')), '1');
    assert.equal(await registry.claimVersion(lineage('apart-b', 'same')), '1');
  });

  test('a candidate is a version that does not serve until a person promotes it; who and why are kept', async () => {
    await registry.claimVersion(lineage('cand', 'a', '2024-06-01T00:00:00.000Z'));
    await registry.promoteNew(await registry.lineage('cand', '1'), new Date('2024-06-01T00:00:01.000Z'));
    const v2 = await registry.claimVersion({ ...lineage('cand', 'b', '2024-06-02T00:00:00.000Z'), candidate: { reason: 'accuracy 0.8 is worse than production version 1' } });
    assert.equal(v2, '2');
    const candidate = await registry.lineage('cand', '2');
    assert.deepEqual(candidate.candidate, { reason: 'accuracy 0.8 is worse than production version 1' });
    const status = async (version: string) => ModelRegistry.statusOf(await registry.lineage('cand', version), await registry.production('cand'), await registry.promotions('cand', version));
    assert.equal(await status('1'), 'production');
    assert.equal(await status('2'), 'candidate');

    const at = new Date('2024-06-03T00:00:00.000Z');
    const outcome = await registry.promoteVersion('cand', '2', { by: 'ana', reason: 'better on the new stores' }, at);
    assert.ok(outcome.promoted);
    assert.deepEqual(outcome.promotion, { by: 'ana', reason: 'better on the new stores', at: at.toISOString(), previousVersion: '1' });
    assert.deepEqual(await registry.production('cand'), { version: '2', previousVersion: '1', updatedAt: at.toISOString(), promotion: { by: 'ana', reason: 'better on the new stores' } });
    assert.deepEqual(await registry.promotions('cand', '2'), [outcome.promotion]);
    assert.equal(await status('2'), 'production');
    assert.equal(await status('1'), 'archived');

    const again = await registry.promoteVersion('cand', '2', { by: 'bo', reason: 'twice' }, new Date('2024-06-04T00:00:00.000Z'));
    assert.equal(again.promoted, false, 'a serving version is not promoted again');
    assert.equal((await registry.promotions('cand', '2')).length, 1);
  });

  test('two people promoting the same version at once: one promotion, one refusal', async () => {
    await registry.claimVersion(lineage('race', 'a'));
    await registry.claimVersion({ ...lineage('race', 'b'), candidate: { reason: 'gate' } });
    await registry.promote('race', '1', new Date('2024-07-01T00:00:00.000Z'));
    const outcomes = await Promise.all(['ana', 'bo'].map((by) => registry.promoteVersion('race', '2', { by, reason: 'r' }, new Date('2024-07-02T00:00:00.000Z'))));
    assert.deepEqual(outcomes.map((o) => o.promoted).sort(), [false, true]);
    assert.equal((await registry.promotions('race', '2')).length, 1);
    assert.equal((await registry.production('race'))?.previousVersion, '1');
  });

  test('a retried deploy does not undo a promotion made after its version was registered', async () => {
    await registry.claimVersion(lineage('undo', 'a', '2024-08-01T00:00:00.000Z'));
    await registry.claimVersion({ ...lineage('undo', 'b', '2024-07-01T00:00:00.000Z'), candidate: { reason: 'gate' } });
    await registry.promoteVersion('undo', '2', { by: 'ana', reason: 'r' }, new Date('2024-08-02T00:00:00.000Z'));
    const pointer = await registry.promoteNew(await registry.lineage('undo', '1'), new Date('2024-08-03T00:00:00.000Z'));
    assert.equal(pointer.version, '2');
    // A deploy registered after the promotion moves the pointer as usual.
    await registry.claimVersion(lineage('undo', 'c', '2024-08-04T00:00:00.000Z'));
    assert.equal((await registry.promoteNew(await registry.lineage('undo', '3'), new Date('2024-08-04T00:00:01.000Z'))).version, '3');
  });
});
