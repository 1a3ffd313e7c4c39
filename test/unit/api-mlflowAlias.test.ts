import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiConfigError, loadApiConfig } from '../../api/config';
import { PromotionAnswerDto, RollbackAnswerDto } from '../../api/models/models.dto';
import { MlflowClient, type MlflowSettings } from '../../mlflow';
import { ModelRegistry } from '../../storage/modelRegistry';
import { startTestApi, type TestApi } from '../helpers/apiApp';

type Answer = { version: string; production?: { version: string }; mlflow?: { alias: string; version: string }; warnings: string[] };

interface Call {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: unknown;
}

/** An MLflow server in memory: each request is recorded and answered by `answer`. */
function fakeMlflow(answer: (call: Call, init: RequestInit) => Promise<Response>, over: Partial<MlflowSettings> = {}) {
  const calls: Call[] = [];
  // The client calls fetch with a URL string and a JSON string body.
  const fetchImpl = (input: string, init: RequestInit & { body?: string } = {}): Promise<Response> => {
    const url = new URL(input);
    const call = { method: init.method ?? 'GET', path: url.pathname.replace('/api/2.0/mlflow/', ''), query: url.searchParams, body: init.body ? (JSON.parse(init.body) as unknown) : undefined };
    calls.push(call);
    return answer(call, init);
  };
  const settings: MlflowSettings = { trackingUri: 'http://mlflow.test:5000', timeoutMs: 2_000, attempts: 3, retryDelayMs: 10, ...over };
  return { client: new MlflowClient(settings, fetchImpl as unknown as typeof fetch), calls };
}

/** A registry with model sales: version 1 serves, version 2 is a candidate. */
async function apiWith(client?: MlflowClient): Promise<TestApi> {
  const api = await startTestApi({}, client ? { mlflow: client } : {});
  const registry = new ModelRegistry(api.store);
  const run = (id: string) => ({ pipeline: 'sales', workflowId: `ml-sales-${id}`, runId: id });
  const base = { model: 'sales', params: { pipeline: 'sales' }, metrics: { r2: 0.8 } };
  await registry.claimVersion({ ...base, run: run('a'), datasetFingerprint: 'a', registeredAt: '2024-01-01T00:00:00.000Z' });
  await registry.promoteNew(await registry.lineage('sales', '1'), new Date('2024-01-01T00:00:01.000Z'));
  await registry.claimVersion({ ...base, run: run('b'), datasetFingerprint: 'b', registeredAt: '2024-01-02T00:00:00.000Z', candidate: { reason: 'r2 too low' } });
  return api;
}

const promote = (api: TestApi) => api.call<Answer>('POST', '/models/sales/versions/2/promote', { by: 'ana', reason: 'reviewed' });

/** MLflow knows our versions 1 and 2 as its versions 11 and 12. */
const knowsBoth = ({ path, query }: Call): Promise<Response> => {
  if (path === 'model-versions/search') {
    const ours = /tags\.`mlp\.version`='(\d+)'/.exec(query.get('filter') ?? '')?.[1];
    return Promise.resolve(Response.json({ model_versions: ours ? [{ version: `1${ours}` }] : [] }));
  }
  return Promise.resolve(Response.json({}));
};

describe('MLflow\'s production alias follows promotions and rollbacks made through the API', () => {
  test('without MLFLOW_TRACKING_URI: no mlflow field, no warnings', async () => {
    const api = await apiWith();
    try {
      const res = await promote(api);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.mlflow, undefined);
      assert.deepEqual(res.body.warnings, []);
    } finally {
      await api.close();
    }
  });

  test('promote then rollback: the alias is set on the MLflow version tagged with ours, each time', async () => {
    const mlflow = fakeMlflow(knowsBoth);
    const api = await apiWith(mlflow.client);
    try {
      const promoted = await promote(api);
      assert.equal(promoted.status, 200, promoted.text);
      assert.deepEqual([promoted.body.production?.version, promoted.body.mlflow, promoted.body.warnings], ['2', { alias: 'production', version: '12' }, []]);
      const rolledBack = await api.call<Answer>('POST', '/models/sales/rollback');
      assert.equal(rolledBack.status, 200, rolledBack.text);
      assert.deepEqual([rolledBack.body.version, rolledBack.body.mlflow, rolledBack.body.warnings], ['1', { alias: 'production', version: '11' }, []]);
      // The documented answers (strict: no field beyond them) are what the API sends.
      PromotionAnswerDto.schema.parse(promoted.body);
      RollbackAnswerDto.schema.parse(rolledBack.body);
      assert.deepEqual(
        mlflow.calls.map((c) => [c.method, c.path, c.query.get('filter') ?? c.body]),
        [
          ['GET', 'model-versions/search', "name='sales' and tags.`mlp.version`='2'"],
          ['POST', 'registered-models/alias', { name: 'sales', alias: 'production', version: '12' }],
          ['GET', 'model-versions/search', "name='sales' and tags.`mlp.version`='1'"],
          ['POST', 'registered-models/alias', { name: 'sales', alias: 'production', version: '11' }],
        ],
      );
    } finally {
      await api.close();
    }
  });

  test('MLflow has no version tagged with ours: the promotion stands, with a warning and a log line', async () => {
    const mlflow = fakeMlflow(() => Promise.resolve(Response.json({})));
    const api = await apiWith(mlflow.client);
    try {
      const res = await promote(api);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.production?.version, '2');
      assert.equal(res.body.mlflow, undefined);
      assert.deepEqual(res.body.warnings, ['production alias not moved in MLflow: MLflow has no version of model sales tagged mlp.version=2 (trained before MLflow was configured?)']);
      assert.equal(mlflow.calls.length, 1, 'no alias set without a version');
      assert.ok(api.logs.some((l) => l.level === 'warn' && l.message === 'production alias not moved in MLflow' && l.version === '2'));
      const model = await api.call<{ production: { version: string } }>('GET', '/models/sales');
      assert.equal(model.body.production.version, '2');
    } finally {
      await api.close();
    }
  });

  test('MLflow answers 503: retried MLFLOW_ATTEMPTS times, then a warning; the rollback stands too', async () => {
    const mlflow = fakeMlflow(() => Promise.resolve(new Response('upstream down', { status: 503 })));
    const api = await apiWith(mlflow.client);
    try {
      const res = await promote(api);
      assert.equal(res.status, 200, res.text);
      assert.equal(mlflow.calls.length, 3);
      assert.match(res.body.warnings[0], /^production alias not moved in MLflow: MLflow GET model-versions\/search: 503 upstream down$/);
      const back = await api.call<Answer>('POST', '/models/sales/rollback');
      assert.equal(back.status, 200, back.text);
      assert.equal(back.body.version, '1');
      assert.match(back.body.warnings[0], /^production alias not moved in MLflow: .*503/);
      PromotionAnswerDto.schema.parse(res.body);
      RollbackAnswerDto.schema.parse(back.body);
    } finally {
      await api.close();
    }
  });

  test('an MLflow that never answers: the answer comes within MLFLOW_TIMEOUT_MS x MLFLOW_ATTEMPTS, with a warning', async () => {
    // Without the overall bound this would take 3 x 1 s of timeouts plus 3 s of retry waits.
    const hang = (_: Call, init: RequestInit) => new Promise<Response>((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error)));
    const mlflow = fakeMlflow(hang, { timeoutMs: 1_000, attempts: 3, retryDelayMs: 1_000 });
    const api = await apiWith(mlflow.client);
    try {
      const started = Date.now();
      const res = await promote(api);
      const elapsed = Date.now() - started;
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.production?.version, '2');
      assert.match(res.body.warnings[0], /^production alias not moved in MLflow: MLflow GET model-versions\/search: http:\/\/mlflow\.test:5000 unreachable \(.*(timeout|aborted)/);
      assert.ok(elapsed < 4_500, `answered after ${elapsed} ms`);
      assert.ok(mlflow.calls.length <= 3);
    } finally {
      await api.close();
    }
  });
});

describe('the API\'s MLFLOW_* variables', () => {
  const invalid = (env: NodeJS.ProcessEnv): string => {
    try {
      loadApiConfig({ ARTIFACT_ROOT: '/tmp/mlp-artifacts', ...env });
    } catch (error) {
      assert.ok(error instanceof ApiConfigError);
      return error.message;
    }
    assert.fail('the configuration was accepted');
  };

  test('parsed once: settings from the variables, none without MLFLOW_TRACKING_URI', () => {
    assert.equal(loadApiConfig({ ARTIFACT_ROOT: '/tmp/mlp-artifacts' }).mlflow, undefined);
    const config = loadApiConfig({ ARTIFACT_ROOT: '/tmp/mlp-artifacts', MLFLOW_TRACKING_URI: 'http://mlflow:5000', MLFLOW_TRACKING_TOKEN: 't0ken', MLFLOW_ATTEMPTS: '2', MLFLOW_TIMEOUT_MS: '500' });
    assert.deepEqual(config.mlflow, { trackingUri: 'http://mlflow:5000', token: 't0ken', username: undefined, password: undefined, timeoutMs: 500, attempts: 2, retryDelayMs: 1_000 });
  });

  test('a bad variable stops the API, named', () => {
    assert.match(invalid({ MLFLOW_TRACKING_URI: 'mlflow:5000' }), /MLFLOW_TRACKING_URI: expected the http\(s\) URL of an MLflow tracking server/);
    assert.match(invalid({ MLFLOW_TRACKING_URI: 'http://mlflow:5000', MLFLOW_ATTEMPTS: '0' }), /MLFLOW_ATTEMPTS/);
    assert.match(invalid({ MLFLOW_TRACKING_TOKEN: 't0ken' }), /MLFLOW_TRACKING_TOKEN: set without MLFLOW_TRACKING_URI/);
  });
});
