import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createActivities, type PipelineActivities } from '../../activities';
import { type DeployInput } from '../../activities/types';
import { parsePipelineParams, registryKeys, runKey, type PipelineParams, type RunRef } from '../../contract';
import { type ArtifactStore } from '../../storage/artifactStore';
import { ModelRegistry, type Lineage } from '../../storage/modelRegistry';
import { activityEnv, newRun } from '../helpers/activities';
import { createSandbox, readExample, testDeps, type Sandbox } from '../helpers/fixtures';

/** The sandbox's real LocalArtifactStore, with every call counted by method. */
function counted(store: ArtifactStore): { store: ArtifactStore; calls: Map<string, number>; total: () => number } {
  const calls = new Map<string, number>();
  const wrapped = new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return (...args: unknown[]) => {
        calls.set(property, (calls.get(property) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: wrapped, calls, total: () => [...calls.values()].reduce((a, b) => a + b, 0) };
}

describe('model registry index: deploy reads a bounded number of objects', () => {
  let sandbox: Sandbox;
  let counter: ReturnType<typeof counted>;
  let activities: PipelineActivities;
  let params: PipelineParams;
  before(async () => {
    sandbox = await createSandbox();
    counter = counted(sandbox.store);
    activities = createActivities(testDeps(sandbox, { store: counter.store }));
    params = parsePipelineParams(await readExample('iris.json'));
  });
  after(async () => {
    await sandbox.remove();
  });

  async function trainedRun(modelName: string, run: RunRef = newRun()): Promise<DeployInput> {
    const model = await sandbox.store.put(runKey(run, 'model', 'model.json'), JSON.stringify({ trainedBy: run.runId }));
    return { run, modelName, model, params, datasetFingerprint: `sha-${run.runId}`, metrics: { accuracy: 0.9 } };
  }

  /** Store calls of one deploy, by method. */
  async function deployCalls(input: DeployInput): Promise<{ version: string; calls: Map<string, number>; total: number }> {
    counter.calls.clear();
    const { version } = await activityEnv().call(activities.deploy, input);
    return { version, calls: new Map(counter.calls), total: counter.total() };
  }

  test('the 2nd and the 61st version cost the same store calls, with no listing and no lineage scan', async () => {
    await deployCalls(await trainedRun('few'));
    const second = await deployCalls(await trainedRun('few'));
    assert.equal(second.version, '2');

    for (let i = 0; i < 60; i++) await activityEnv().call(activities.deploy, await trainedRun('many'));
    const sixtyFirst = await deployCalls(await trainedRun('many'));
    assert.equal(sixtyFirst.version, '61');
    assert.deepEqual(Object.fromEntries(sixtyFirst.calls), Object.fromEntries(second.calls));
    assert.equal(sixtyFirst.calls.get('list'), undefined, 'no listing of the versions');
    assert.ok(sixtyFirst.total <= 20, `${sixtyFirst.total} store calls`);
  });

  test('a retried deploy finds its version from the run key, in as many calls as the first', async () => {
    const input = await trainedRun('retried');
    const first = await deployCalls(input);
    const retried = await deployCalls(input);
    assert.equal(retried.version, first.version);
    assert.equal(retried.calls.get('list'), undefined);
    assert.ok(retried.total <= first.total, `${retried.total} > ${first.total}`);
  });

  test('a deploy that stopped between its run key and its claim claims that version when retried', async () => {
    const registry = new ModelRegistry(sandbox.store);
    const owner = await trainedRun('interrupted');
    assert.equal((await deployCalls(owner)).version, '1');
    const input = await trainedRun('interrupted');
    await sandbox.store.put(registryKeys.runVersion('interrupted', input.run), JSON.stringify({ version: '2' }));
    assert.equal((await deployCalls(input)).version, '2');
    assert.deepEqual((await registry.lineage('interrupted', '2')).run, input.run);
    assert.equal((await deployCalls(await trainedRun('interrupted'))).version, '3');
  });
});

describe('model registry index: registries written before it', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await createSandbox();
  });
  after(async () => {
    await sandbox.remove();
  });

  /** Versions as the registry wrote them before the index: a lineage claimed by put-if-absent, nothing else. */
  async function legacyVersions(model: string, runs: RunRef[], first = 1): Promise<void> {
    for (const [i, run] of runs.entries()) {
      const lineage: Lineage = { model, version: String(first + i), run, datasetFingerprint: 'x', params: {}, metrics: {}, registeredAt: new Date(1_000 * i).toISOString() };
      assert.ok(await sandbox.store.putIfAbsent(registryKeys.version(model, lineage.version, 'lineage.json'), JSON.stringify(lineage)));
    }
  }

  const lineageOf = (model: string, run: RunRef): Omit<Lineage, 'version'> => ({ model, run, datasetFingerprint: 'x', params: {}, metrics: {}, registeredAt: new Date().toISOString() });

  test('a retried deploy of a version claimed before the index keeps it; a new run numbers on', async () => {
    const runs = Array.from({ length: 5 }, () => newRun('legacy'));
    await legacyVersions('old', runs);
    const registry = new ModelRegistry(sandbox.store);
    assert.equal(await registry.claimVersion(lineageOf('old', runs[2])), '3');
    assert.equal(await registry.claimVersion(lineageOf('old', newRun('legacy'))), '6');
    assert.equal(await registry.claimVersion(lineageOf('old', runs[4])), '5');
  });

  test('versions another writer claimed without the index are skipped, not overwritten', async () => {
    const registry = new ModelRegistry(sandbox.store);
    assert.equal(await registry.claimVersion(lineageOf('mixed', newRun('mixed'))), '1');
    const outsider = newRun('mixed');
    // An older worker still writing as before: a lineage, no run key, no highest-version update.
    await legacyVersions('mixed', [outsider], 2);
    const late = newRun('mixed');
    assert.equal(await registry.claimVersion(lineageOf('mixed', late)), '3');
    assert.deepEqual((await registry.lineage('mixed', '2')).run, outsider);
    assert.deepEqual((await registry.lineage('mixed', '3')).run, late);
  });
});
