import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FAILURE_TYPES, parsePipelineParams, registryKeys, runKey, type PipelineParams, type RunRef } from '../../contract';
import { ModelRegistry, type Lineage, type ProductionPointer } from '../../storage/modelRegistry';
import { type DeployInput } from '../../activities/types';
import { readExample } from '../helpers/fixtures';
import { activityEnv, activitySandbox, assertNonRetryable, newRun, rejectionOf, type ActivitySandbox } from '../helpers/activities';

describe('deploy activity', () => {
  let box: ActivitySandbox;
  let params: PipelineParams;
  let registry: ModelRegistry;
  before(async () => {
    box = await activitySandbox();
    params = parsePipelineParams(await readExample('iris.json'));
    registry = new ModelRegistry(box.sandbox.store);
  });
  after(async () => {
    await box.sandbox.remove();
  });

  /** A run that trained a model: its model.json (content tagged with the run) and the deploy input. */
  async function trainedRun(modelName: string, version?: string): Promise<{ run: RunRef; input: DeployInput; bytes: string }> {
    const run = newRun();
    const bytes = JSON.stringify({ format: 'ml-pipeline-model/1', trainedBy: run.runId });
    const model = await box.sandbox.store.put(runKey(run, 'model', 'model.json'), bytes);
    return {
      run,
      bytes,
      input: { run, modelName, version, model, params, datasetFingerprint: `sha-${run.runId}`, metrics: { accuracy: 0.95 } },
    };
  }

  const deploy = (input: DeployInput) => activityEnv().call(box.activities.deploy, input);

  async function pointer(model: string): Promise<ProductionPointer> {
    return JSON.parse((await box.sandbox.store.get(registryKeys.production(model))).toString('utf8')) as ProductionPointer;
  }

  test('the first deploy is version 1 with production pointing at it', async () => {
    const { run, input, bytes } = await trainedRun('first-model');
    const result = await deploy(input);
    assert.equal(result.version, '1');
    assert.equal(result.modelName, 'first-model');
    assert.equal(result.previousVersion, undefined);
    assert.equal(result.uri, box.sandbox.store.uri(registryKeys.version('first-model', '1', 'model.json')));
    assert.equal((await registry.getModel('first-model', '1')).toString('utf8'), bytes);
    const prod = await pointer('first-model');
    assert.equal(prod.version, '1');
    assert.deepEqual(prod.run, run);
    const [lineage] = await registry.versions('first-model');
    assert.deepEqual(
      { version: lineage.version, run: lineage.run, fingerprint: lineage.datasetFingerprint, metrics: lineage.metrics },
      { version: '1', run, fingerprint: `sha-${run.runId}`, metrics: { accuracy: 0.95 } },
    );
  });

  test('a retried deploy of the same run keeps its version; another run gets the next one', async () => {
    const first = await trainedRun('retry-model');
    assert.equal((await deploy(first.input)).version, '1');
    const retried = await deploy(first.input);
    assert.equal(retried.version, '1');
    assert.equal(retried.previousVersion, undefined, 'a retry does not make a version its own predecessor');
    const versions: Lineage[] = await registry.versions('retry-model');
    assert.deepEqual(
      versions.map((v) => v.version),
      ['1'],
    );
    assert.deepEqual(await box.sandbox.store.list(registryKeys.versionsPrefix('retry-model')), [
      registryKeys.version('retry-model', '1', 'lineage.json'),
      registryKeys.version('retry-model', '1', 'model.json'),
    ]);
    assert.equal((await pointer('retry-model')).version, '1');

    const second = await trainedRun('retry-model');
    const next = await deploy(second.input);
    assert.equal(next.version, '2');
    assert.equal(next.previousVersion, '1');
    const prod = await pointer('retry-model');
    assert.deepEqual({ version: prod.version, previousVersion: prod.previousVersion, run: prod.run }, { version: '2', previousVersion: '1', run: second.run });
    assert.equal((await registry.getModel('retry-model', '2')).toString('utf8'), second.bytes);
    assert.equal((await registry.getModel('retry-model', '1')).toString('utf8'), first.bytes, 'version 1 is left as it was');
  });

  test('an explicit version another run already has is a non-retryable ModelVersionConflictError', async () => {
    const owner = await trainedRun('pinned-model', 'v2024');
    assert.equal((await deploy(owner.input)).version, 'v2024');
    const intruder = await trainedRun('pinned-model', 'v2024');
    const error = await rejectionOf(deploy(intruder.input));
    const failure = assertNonRetryable(error, FAILURE_TYPES.ModelVersionConflictError);
    assert.match(failure.message, /pinned-model.*v2024/);
    assert.equal((await registry.getModel('pinned-model', 'v2024')).toString('utf8'), owner.bytes, 'the owner keeps its model');
    assert.deepEqual((await pointer('pinned-model')).run, owner.run);
  });

  test('a deploy retried after a newer version went to production does not roll production back', async () => {
    const older = await trainedRun('no-rollback');
    assert.equal((await deploy(older.input)).version, '1');
    const newer = await trainedRun('no-rollback');
    assert.equal((await deploy(newer.input)).production, '2');
    const retried = await deploy(older.input);
    assert.equal(retried.version, '1');
    assert.equal(retried.production, '2');
    assert.equal((await pointer('no-rollback')).version, '2');
  });
});
