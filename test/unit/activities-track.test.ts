import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MlflowClient, MlflowError, type MlflowSettings } from '../../mlflow';
import { mlflowParams } from '../../activities/tracking/mlflowRun';
import { buildTrackingRecord } from '../../activities/tracking/record';
import { type TrackRunInput } from '../../activities/trackingTypes';
import { parsePipelineParams, trackingKeys, type TrackingRecord } from '../../contract';
import { loadWorkerConfig } from '../../worker/config';
import { readExample } from '../helpers/fixtures';
import { freePort } from '../helpers/ports';
import { activityEnv, activitySandbox, newRun, type ActivitySandbox } from '../helpers/activities';

async function input(): Promise<TrackRunInput> {
  const params = parsePipelineParams({ ...(await readExample('iris.json')), notifications: { webhooks: ['https://user:secret@hooks.example.com/x?token=abc'] } });
  return {
    run: newRun(),
    params,
    status: {
      pipeline: 'iris',
      modelType: params.model.type,
      stage: 'deployed',
      steps: [
        { name: 'ingest', state: 'completed', attempt: 1, startedAt: '2026-12-06T10:00:00.000Z', endedAt: '2026-12-06T10:00:00.250Z' },
        { name: 'alert', state: 'skipped', attempt: 0 },
      ],
      metrics: { accuracy: 0.97 },
      classReport: { classes: ['a'], perClass: [], confusionMatrix: [[1]] } as never,
      artifacts: { model: 'file:///store/model.json' },
      outcome: 'deployed',
      warnings: ['an earlier warning'],
    },
    facts: { dataset: { fingerprint: 'f00d', sourceBytes: 10, rows: 150, columns: 5, format: 'csv' }, deployed: { version: '3', uri: 'file:///store/models/iris/versions/3/model.json', serving: true } },
    startedAt: '2026-12-06T10:00:00.000Z',
    endedAt: '2026-12-06T10:00:04.000Z',
  };
}

const settings = (over: Partial<MlflowSettings>): MlflowSettings => ({ trackingUri: 'http://127.0.0.1:9', timeoutMs: 2_000, attempts: 2, retryDelayMs: 10, ...over });

describe('trackRun activity', () => {
  let plain: ActivitySandbox;
  let unreachable: ActivitySandbox;
  before(async () => {
    plain = await activitySandbox();
    unreachable = await activitySandbox({ mlflow: new MlflowClient(settings({ trackingUri: `http://127.0.0.1:${await freePort()}` })) });
  });
  after(async () => {
    await Promise.all([plain.sandbox.remove(), unreachable.sandbox.remove()]);
  });

  const stored = async (box: ActivitySandbox, i: TrackRunInput): Promise<TrackingRecord> =>
    JSON.parse((await box.sandbox.store.get(trackingKeys.run(i.run.pipeline, i.run.runId))).toString('utf8')) as TrackingRecord;

  test('writes a small record: ids, redacted params, data, step times, metrics, model; no class tables', async () => {
    const i = await input();
    const result = await activityEnv().call(plain.activities.trackRun, i);
    assert.deepEqual(result.warnings, []);
    const record = await stored(plain, i);
    assert.equal(result.uri, plain.sandbox.store.uri(trackingKeys.run('iris', i.run.runId)));
    assert.equal(record.runId, i.run.runId);
    assert.equal(record.durationSeconds, 4);
    assert.deepEqual(record.steps, { ingest: { state: 'completed', attempt: 1, seconds: 0.25 }, alert: { state: 'skipped', attempt: 0 } });
    assert.deepEqual(record.model, { version: '3', uri: 'file:///store/models/iris/versions/3/model.json', serving: true });
    assert.equal(record.dataset.fingerprint, 'f00d');
    assert.equal(JSON.stringify(record).includes('secret'), false, 'credentials in URLs are redacted');
    assert.equal(JSON.stringify(record).includes('confusionMatrix'), false);
    assert.equal(record.mlflow, undefined);
  });

  test('an unreachable MLflow is tried, then a warning; the record is still written and says so', async () => {
    const i = await input();
    const result = await activityEnv().call(unreachable.activities.trackRun, i);
    assert.equal(result.warnings.length, 1);
    assert.match(result.warnings[0], /^run not logged to MLflow \(2 tries\): MLflow GET experiments\/get-by-name: http:\/\/127\.0\.0\.1:\d+ unreachable/);
    const record = await stored(unreachable, i);
    assert.deepEqual(record.warnings, ['an earlier warning', result.warnings[0]]);
  });
});

describe('the tracking record of a searched run', () => {
  test('holds the hyperparameters fitted (the best configuration) and how the search went', async () => {
    const i = await input();
    const best = { ...i.params.model.hyperparameters, nTrees: 7 };
    const tuning = {
      strategy: 'random' as const,
      metric: 'accuracy',
      direction: 'maximize' as const,
      folds: 3,
      planned: 2,
      trials: [
        { trial: 0, config: { nTrees: 7 }, foldScores: [0.9, 0.95, 0.92], mean: 0.9233, std: 0.02, seconds: 1 },
        { trial: 1, config: { nTrees: 0 }, error: 'cannot train' },
      ],
      best: { trial: 0, config: { nTrees: 7 }, hyperparameters: best, mean: 0.9233, std: 0.02 },
    };
    const record = buildTrackingRecord({ ...i, status: { ...i.status, tuning } });
    assert.deepEqual((record.params as { model: { hyperparameters: unknown } }).model.hyperparameters, best);
    assert.deepEqual(record.tuning, { strategy: 'random', metric: 'accuracy', folds: 3, trials: 2, failedTrials: 1, best: { mean: 0.9233, std: 0.02 } });
    assert.equal(buildTrackingRecord(i).tuning, undefined);
    const rungs = [{ rung: 0, candidates: 2, resource: 50 }, { rung: 1, candidates: 1, resource: 100 }];
    const halving = buildTrackingRecord({ ...i, status: { ...i.status, tuning: { ...tuning, strategy: 'halving' as const, rungs } } });
    assert.deepEqual(halving.tuning?.rungs, rungs, 'a halving search keeps its rungs');
  });
});

describe('MLflow client', () => {
  function fakeFetch(answers: (() => Response)[]): { fetch: typeof fetch; calls: () => number } {
    let calls = 0;
    return {
      fetch: () => Promise.resolve(answers[Math.min(calls++, answers.length - 1)]()),
      calls: () => calls,
    };
  }

  test('a 5xx is retried up to the attempts, a 4xx is final with MLflow\'s error code', async () => {
    const busy = fakeFetch([() => new Response('down', { status: 503 })]);
    const error = await new MlflowClient(settings({ attempts: 3 }), busy.fetch).post('runs/create', {}).catch((e: unknown) => e);
    assert.ok(error instanceof MlflowError && error.retryable);
    assert.equal(busy.calls(), 3);
    const refused = fakeFetch([() => Response.json({ error_code: 'INVALID_PARAMETER_VALUE', message: 'bad key' }, { status: 400 })]);
    const final = await new MlflowClient(settings({ attempts: 3 }), refused.fetch).post('runs/log-batch', {}).catch((e: unknown) => e);
    assert.ok(final instanceof MlflowError);
    assert.equal(final.errorCode, 'INVALID_PARAMETER_VALUE');
    assert.equal(refused.calls(), 1);
    const flaky = fakeFetch([() => new Response('', { status: 502 }), () => Response.json({ experiment_id: '7' })]);
    assert.deepEqual(await new MlflowClient(settings({ attempts: 2 }), flaky.fetch).post('experiments/create', { name: 'x' }), { experiment_id: '7' });
  });

  test('params are flat, with keys MLflow accepts', async () => {
    const i = await input();
    const params = mlflowParams(buildTrackingRecord({ ...i, params: { ...i.params, preprocessing: { ...i.params.preprocessing, roles: { 'odd (col)': 'categorical' } } } }), {
      artifactLocation: 's3://b/runs/iris/x/y',
      recordUri: 's3://b/tracking/iris/runs/y.json',
    });
    const byKey = new Map(params.map((p) => [p.key, p.value]));
    assert.equal(byKey.get('model.hyperparameters.nTrees'), '100');
    assert.equal(byKey.get('preprocessing.roles.odd _col_'), 'categorical');
    assert.equal(byKey.get('data.rows_ingested'), '150');
    assert.equal(byKey.get('artifact_location'), 's3://b/runs/iris/x/y');
    assert.ok(params.every((p) => /^[\w\-. :/]+$/.test(p.key)));
  });
});

describe('worker MLflow configuration', () => {
  test('MLFLOW_TRACKING_URI turns MLflow on; a bad URL or a token without it is refused by name', () => {
    const on = loadWorkerConfig({ MLFLOW_TRACKING_URI: 'http://mlflow:5000', MLFLOW_ATTEMPTS: '4' });
    assert.deepEqual(on.mlflow, { trackingUri: 'http://mlflow:5000', token: undefined, username: undefined, password: undefined, timeoutMs: 10_000, attempts: 4, retryDelayMs: 1_000 });
    assert.equal(loadWorkerConfig({}).mlflow, undefined);
    assert.throws(() => loadWorkerConfig({ MLFLOW_TRACKING_URI: 'ftp://mlflow' }), /MLFLOW_TRACKING_URI: expected the http\(s\) URL/);
    assert.throws(() => loadWorkerConfig({ MLFLOW_TRACKING_TOKEN: 't' }), /MLFLOW_TRACKING_TOKEN: set without MLFLOW_TRACKING_URI/);
  });
});
