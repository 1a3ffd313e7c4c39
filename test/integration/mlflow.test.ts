import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { startPipelineRun } from '../../client/startRun';
import { parsePipelineParams, runPrefix, trackingKeys, type PipelineResult, type RunRef, type TrackingRecord } from '../../contract';
import { type ArtifactStore } from '../../storage/artifactStore';
import { startDevServer } from '../../launch/devServer';
import { buildActivityDeps } from '../../worker/deps';
import { createSandbox, readExample, testConfig, testDeps, type Sandbox } from '../helpers/fixtures';
import { startTestApi } from '../helpers/apiApp';
import { startMlflowServer, type MlflowServer } from '../helpers/mlflowServer';
import { freePort } from '../helpers/ports';
import { startS3Server, type S3TestServer } from '../helpers/s3Server';
import { bundleWorkflows, causes, withWorkers } from '../helpers/temporal';
import { createActivities } from '../../activities';
import { MlflowClient } from '../../mlflow';
import { type TrackRunInput } from '../../activities/trackingTypes';
import { activityEnv } from '../helpers/activities';

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
let sandbox: Sandbox;
let s3: S3TestServer;
let mlflow: MlflowServer;

before(async () => {
  // Settled, not all: when one server fails to start, the others are still assigned, so after() stops them.
  const started = await Promise.allSettled([startDevServer(), bundleWorkflows(), createSandbox(), startS3Server(), startMlflowServer()]);
  const value = <T>(r: PromiseSettledResult<T>): T | undefined => (r.status === 'fulfilled' ? r.value : undefined);
  env = value(started[0])!;
  bundle = value(started[1])!;
  sandbox = value(started[2])!;
  s3 = value(started[3])!;
  mlflow = value(started[4])!;
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
});
after(async () => {
  await Promise.all([env?.teardown(), s3?.remove(), mlflow?.close()]);
  await sandbox?.remove();
});

/** One iris run with the worker's own deps from its environment (MLFLOW_* parsed by its config), on `store`. */
async function run(pipeline: string, workerEnv: NodeJS.ProcessEnv, store?: ArtifactStore, overrides: Record<string, unknown> = {}): Promise<{ result: PipelineResult; ref: RunRef; store: ArtifactStore }> {
  const config = testConfig(sandbox, workerEnv);
  const deps = { ...buildActivityDeps(config), ...(store && { store, s3: s3.client }) };
  const params = parsePipelineParams({ ...(await readExample('iris.json')), pipeline, ...overrides });
  const { handle, workflowId, runId } = await startPipelineRun(env.client, params);
  const result = await withWorkers(env, config, deps, bundle, () => (handle.result() as Promise<PipelineResult>).catch((error: unknown) => assert.fail(causes(error))));
  return { result, ref: { pipeline, workflowId, runId }, store: deps.store };
}

async function record(store: ArtifactStore, ref: RunRef): Promise<TrackingRecord> {
  return JSON.parse((await store.get(trackingKeys.run(ref.pipeline, ref.runId))).toString('utf8')) as TrackingRecord;
}

type KeyValue = { key: string; value: string };
interface MlflowRun {
  info: { run_id: string; experiment_id: string; status: string };
  data: { params: KeyValue[]; metrics: { key: string; value: number }[]; tags: KeyValue[] };
}
interface ModelVersion {
  version: string;
  source: string;
  run_id: string;
  tags?: KeyValue[];
  aliases?: string[];
}

const asMap = (items: KeyValue[] | { key: string; value: number }[]) => new Map<string, string | number>(items.map((i) => [i.key, i.value]));

describe('MLflow tracking, against a real MLflow server', () => {
  test('each run is logged to the pipeline\'s experiment; a deployed version is registered and aliased production', async () => {
    const pipeline = 'iris-mlflow';
    const store = s3.store('mlflow-test');
    const workerEnv = { MLFLOW_TRACKING_URI: mlflow.uri };
    const first = await run(pipeline, workerEnv, store);
    assert.equal(first.result.outcome, 'deployed');
    assert.deepEqual(first.result.warnings, []);

    const { experiment } = await mlflow.get<{ experiment: { experiment_id: string; name: string } }>('experiments/get-by-name', { experiment_name: pipeline });
    const found = await mlflow.post<{ runs: MlflowRun[] }>('runs/search', { experiment_ids: [experiment.experiment_id], filter: `tags.\`temporal.run_id\` = '${first.ref.runId}'` });
    assert.equal(found.runs.length, 1);
    const [mlRun] = found.runs;
    assert.equal(mlRun.info.status, 'FINISHED');
    const params = asMap(mlRun.data.params);
    const metrics = asMap(mlRun.data.metrics);
    const tags = asMap(mlRun.data.tags);
    assert.equal(params.get('model.hyperparameters.nTrees'), '100');
    assert.equal(params.get('split.testSize'), '0.3');
    assert.equal(params.get('data.rows_ingested'), '150');
    assert.equal(params.get('data.rows_train'), '105');
    assert.equal(params.get('data.fingerprint'), (await record(store, first.ref)).dataset.fingerprint);
    assert.equal(metrics.get('accuracy'), first.result.metrics!.accuracy);
    assert.ok(typeof metrics.get('step_seconds.train') === 'number');
    assert.equal(tags.get('temporal.workflow_id'), first.ref.workflowId);
    assert.equal(tags.get('temporal.run_id'), first.ref.runId);
    assert.equal(tags.get('mlp.artifact_location'), store.uri(runPrefix(first.ref)));
    assert.match(String(tags.get('mlp.artifact_location')), /^s3:\/\//);

    const tracked = await record(store, first.ref);
    assert.deepEqual(tracked.mlflow, { experimentId: experiment.experiment_id, runId: mlRun.info.run_id, modelVersion: tracked.mlflow?.modelVersion });
    const alias = await mlflow.get<{ model_version: ModelVersion }>('registered-models/alias', { name: pipeline, alias: 'production' });
    assert.equal(alias.model_version.version, tracked.mlflow?.modelVersion);
    assert.equal(alias.model_version.run_id, mlRun.info.run_id);
    // Our registry's model: the S3 URI the deploy wrote, which MLflow takes as the version's source.
    assert.equal(alias.model_version.source, tracked.model?.uri);
    assert.match(alias.model_version.source, new RegExp(`^s3://${s3.bucket}/mlflow-test/models/${pipeline}/versions/1/`));
    assert.equal(asMap(alias.model_version.tags ?? []).get('mlp.version'), '1');

    // A second run: the same experiment, a new MLflow run and version, and the alias follows production.
    const second = await run(pipeline, workerEnv, store);
    assert.equal(second.result.modelVersion, '2');
    const all = await mlflow.post<{ runs: MlflowRun[] }>('runs/search', { experiment_ids: [experiment.experiment_id] });
    assert.deepEqual(all.runs.map((r) => asMap(r.data.tags).get('temporal.run_id')).sort(), [first.ref.runId, second.ref.runId].sort());
    const moved = await mlflow.get<{ model_version: ModelVersion }>('registered-models/alias', { name: pipeline, alias: 'production' });
    assert.equal(moved.model_version.version, (await record(store, second.ref)).mlflow?.modelVersion);
    assert.notEqual(moved.model_version.version, alias.model_version.version);
  });

  test('an unreachable MLflow is retried, then a warning: the run completes and is tracked in the store', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const { result, ref, store } = await run('iris-no-mlflow', { MLFLOW_TRACKING_URI: closed, MLFLOW_ATTEMPTS: '2', MLFLOW_RETRY_DELAY_MS: '200' });
    assert.equal(result.outcome, 'deployed');
    const warning = result.warnings.find((w) => w.startsWith('run not logged to MLflow'));
    assert.ok(warning, `warnings: ${JSON.stringify(result.warnings)}`);
    assert.match(warning, /\(2 tries\).*unreachable/);
    const tracked = await record(store, ref);
    assert.equal(tracked.outcome, 'deployed');
    assert.equal(tracked.mlflow, undefined);
    assert.ok(tracked.warnings.includes(warning));
  });

  test('a retried trackRun finds its MLflow run and version: nothing is logged twice', async () => {
    const config = testConfig(sandbox, { MLFLOW_TRACKING_URI: mlflow.uri });
    const activities = createActivities(testDeps(sandbox, { mlflow: new MlflowClient(config.mlflow!) }));
    const pipeline = 'iris-retried';
    const params = parsePipelineParams({ ...(await readExample('iris.json')), pipeline });
    const ref = { pipeline, workflowId: `ml-${pipeline}`, runId: '6f1c1a52-8d0e-4c1e-9a57-0c1d5c1e2f3a' };
    const input: TrackRunInput = {
      run: ref,
      params,
      status: { pipeline, modelType: params.model.type, stage: 'deployed', steps: [], metrics: { accuracy: 0.9 }, artifacts: {}, outcome: 'deployed', warnings: [] },
      facts: { deployed: { version: '1', uri: 's3://bucket/models/iris-retried/versions/1/model.json', serving: true } },
      startedAt: '2026-12-06T10:00:00.000Z',
      endedAt: '2026-12-06T10:00:09.000Z',
    };
    const first = await activityEnv().call(activities.trackRun, input);
    const again = await activityEnv().call(activities.trackRun, input);
    assert.deepEqual([first.warnings, again.warnings], [[], []]);
    const { experiment } = await mlflow.get<{ experiment: { experiment_id: string } }>('experiments/get-by-name', { experiment_name: pipeline });
    const runs = await mlflow.post<{ runs: MlflowRun[] }>('runs/search', { experiment_ids: [experiment.experiment_id] });
    assert.equal(runs.runs.length, 1);
    assert.deepEqual(runs.runs[0].data.metrics.filter((m) => m.key === 'accuracy'), [{ key: 'accuracy', value: 0.9, timestamp: Date.parse(input.endedAt), step: 0 }]);
    const versions = await mlflow.get<{ model_versions: ModelVersion[] }>('model-versions/search', { filter: `name='${pipeline}'` });
    assert.equal(versions.model_versions.length, 1);
    assert.equal(versions.model_versions[0].source, 's3://bucket/models/iris-retried/versions/1/model.json');
    assert.deepEqual((await record(sandbox.store, ref)).mlflow, { experimentId: experiment.experiment_id, runId: runs.runs[0].info.run_id, modelVersion: versions.model_versions[0].version });
  });

  test('a promotion or rollback through the API moves MLflow\'s production alias; a version MLflow never saw is a warning', async () => {
    const pipeline = 'iris-promote';
    const withMlflow = { MLFLOW_TRACKING_URI: mlflow.uri };
    const missesGate = { deploy: { metric: 'accuracy', threshold: 1.01 } };
    const serving = await run(pipeline, withMlflow);
    const candidate = await run(pipeline, withMlflow, undefined, missesGate);
    // Trained while the worker had no MLflow: our registry has it, MLflow does not.
    const unknown = await run(pipeline, {}, undefined, missesGate);
    assert.deepEqual([serving.result.outcome, candidate.result.outcome, unknown.result.outcome], ['deployed', 'not_deployed', 'not_deployed']);
    assert.deepEqual([serving.result.modelVersion, candidate.result.candidateVersion, unknown.result.candidateVersion], ['1', '2', '3']);
    const mlflowVersion = async (ref: RunRef) => (await record(sandbox.store, ref)).mlflow?.modelVersion;
    const [servingMlflow, candidateMlflow] = [await mlflowVersion(serving.ref), await mlflowVersion(candidate.ref)];
    assert.ok(servingMlflow !== undefined && candidateMlflow !== undefined && servingMlflow !== candidateMlflow);
    const alias = async () => (await mlflow.get<{ model_version: ModelVersion }>('registered-models/alias', { name: pipeline, alias: 'production' })).model_version.version;
    assert.equal(await alias(), servingMlflow, 'the candidate does not take the alias at training');

    const api = await startTestApi({ ARTIFACT_ROOT: sandbox.artifactRoot, ...withMlflow });
    try {
      type Answer = { version: string; production?: { version: string }; mlflow?: { alias: string; version: string }; warnings: string[] };
      const promoted = await api.call<Answer>('POST', `/models/${pipeline}/versions/2/promote`, { by: 'ana', reason: 'reviewed: the gate was too strict' });
      assert.equal(promoted.status, 200, promoted.text);
      assert.equal(promoted.body.production?.version, '2');
      assert.deepEqual([promoted.body.mlflow, promoted.body.warnings], [{ alias: 'production', version: candidateMlflow }, []]);
      assert.equal(await alias(), candidateMlflow);

      const rolledBack = await api.call<Answer>('POST', `/models/${pipeline}/rollback`);
      assert.equal(rolledBack.status, 200, rolledBack.text);
      assert.equal(rolledBack.body.version, '1');
      assert.deepEqual([rolledBack.body.mlflow, rolledBack.body.warnings], [{ alias: 'production', version: servingMlflow }, []]);
      assert.equal(await alias(), servingMlflow);

      const unseen = await api.call<Answer>('POST', `/models/${pipeline}/versions/3/promote`, { by: 'ana', reason: 'trained before MLflow' });
      assert.equal(unseen.status, 200, unseen.text);
      assert.equal(unseen.body.production?.version, '3', 'our registry decides whatever MLflow has');
      assert.equal(unseen.body.mlflow, undefined);
      assert.equal(unseen.body.warnings.length, 1);
      assert.match(unseen.body.warnings[0], /^production alias not moved in MLflow: .*no version of model iris-promote tagged mlp\.version=3/);
      assert.equal(await alias(), servingMlflow, 'the alias stays where it was');
    } finally {
      await api.close();
    }
  });
});
