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
import { startMlflowServer, type MlflowServer } from '../helpers/mlflowServer';
import { freePort } from '../helpers/ports';
import { startS3Server, type S3TestServer } from '../helpers/s3Server';
import { bundleWorkflows, causes, withWorkers } from '../helpers/temporal';
import { createActivities } from '../../activities';
import { MlflowClient } from '../../activities/adapters/mlflow';
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
async function run(pipeline: string, workerEnv: NodeJS.ProcessEnv, store?: ArtifactStore): Promise<{ result: PipelineResult; ref: RunRef; store: ArtifactStore }> {
  const config = testConfig(sandbox, workerEnv);
  const deps = { ...buildActivityDeps(config), ...(store && { store, s3: s3.client }) };
  const params = parsePipelineParams({ ...(await readExample('iris.json')), pipeline });
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
});
