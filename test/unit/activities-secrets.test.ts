import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { createActivities, type PipelineActivities } from '../../activities';
import { AllowList } from '../../activities/adapters/addressPolicy';
import { WebhookNotifier } from '../../activities/adapters/notifier';
import { SecretStore } from '../../activities/adapters/secrets';
import { describeFailure, FAILURE_TYPES, type PipelineStatus } from '../../contract';
import { startHttpServer } from '../helpers/httpServer';
import { activityEnv, activitySandbox, assertNonRetryable, assertRetryable, newRun, rejectionOf, type ActivitySandbox } from '../helpers/activities';
import { TEST_HTTP, testDeps } from '../helpers/fixtures';

type Server = Awaited<ReturnType<typeof startHttpServer>>;

/** What must never show: a path segment and a query value that carry the credential. */
const TOKEN = 'T0K3N-8f2c91';
const QUERY_TOKEN = 'qs-5e3cr3t-77';
const secretPath = (path: string) => `/${TOKEN}${path}?token=${QUERY_TOKEN}`;

const status: PipelineStatus = {
  pipeline: 'iris',
  modelType: 'random_forest_classifier',
  stage: 'deployed',
  outcome: 'deployed',
  modelVersion: '1',
  metrics: { accuracy: 0.96 },
  artifacts: {},
  warnings: [],
  steps: [],
};

/** Everything a failure carries to Temporal and the logs: its messages and stacks down the cause chain, and its fields. */
function everything(error: unknown): string {
  const parts: unknown[] = [];
  for (let e: unknown = error; e instanceof Error; e = e.cause) parts.push(e.message, e.stack, { ...e });
  return JSON.stringify(parts);
}

function assertNoToken(error: unknown): void {
  const text = everything(error);
  for (const leak of [TOKEN, QUERY_TOKEN]) assert.ok(!text.includes(leak), `the credential ${leak} shows: ${text}`);
}

describe('secret references used by the activities', () => {
  let box: ActivitySandbox;
  let server: Server;
  let irisBytes: Buffer;
  let secretsDir: string;
  const env: NodeJS.ProcessEnv = {};

  before(async () => {
    box = await activitySandbox();
    irisBytes = await readFile(join(box.sandbox.dataRoot, 'iris.csv'));
    server = await startHttpServer((req, res) => {
      if (req.url.startsWith(`/${TOKEN}/down`)) res.statusCode = 500;
      else if (req.url.startsWith(`/${TOKEN}/missing`) || req.url.startsWith(`/${TOKEN}/absent`)) res.statusCode = 404;
      res.end(req.url.includes('iris.csv') ? irisBytes : 'ok');
    });
    secretsDir = join(box.sandbox.dir, 'secrets');
    await mkdir(secretsDir);
    // As `kubectl create secret --from-file` leaves them: with a trailing newline.
    await writeFile(join(secretsDir, 'HOOK'), `${server.url(secretPath('/hook'))}\n`);
    await writeFile(join(secretsDir, 'HOOK_DOWN'), server.url(secretPath('/down')));
    await writeFile(join(secretsDir, 'train.data'), `${server.url(secretPath('/datasets/iris.csv'))}\n`);
    await writeFile(join(secretsDir, 'NOT_HTTP'), 'ftp://example.com/hook');
    Object.assign(env, {
      MLP_SECRET_MISSING_DATA: server.url(secretPath('/missing/iris.csv')),
      MLP_SECRET_READY: server.url(secretPath('/ready')),
      MLP_SECRET_ABSENT: server.url(secretPath('/absent')),
      MLP_SECRET_LOCAL_IRIS: 'iris.csv',
    });
    box = { sandbox: box.sandbox, activities: createActivities(testDeps(box.sandbox, { secrets: new SecretStore({ dir: secretsDir, env }) })) };
  });
  after(async () => {
    await Promise.all([server.close(), box.sandbox.remove()]);
  });

  const requestsTo = (path: string) => server.requests.filter((r) => r.url === secretPath(path));

  describe('webhooks', () => {
    test('a webhook given as a secret reference is delivered to the URL the secret holds', async () => {
      await activityEnv().call(box.activities.alert, { run: newRun(), reason: 'f1 0.6 below 0.8', details: {}, webhooks: ['secret://HOOK'] });
      const [post, ...more] = requestsTo('/hook');
      assert.equal(more.length, 0);
      assert.equal(post.method, 'POST');
      assert.equal((JSON.parse(post.body) as { kind: string }).kind, 'retrain_alert');
    });

    test('a failed delivery names the reference, never the URL, in the failure and the warning made of it', async () => {
      const error = await rejectionOf(activityEnv().call(box.activities.notifyRunFinished, { run: newRun(), status, reportUri: 'file:///r', webhooks: ['secret://HOOK_DOWN'] }));
      assertRetryable(error);
      assert.equal(requestsTo('/down').length, 1, 'the secret URL was tried');
      assertNoToken(error);
      // What the workflow puts in the run's warnings.
      const warning = `run summary not delivered: ${describeFailure(error)}`;
      assert.match(warning, /WebhookDeliveryError: webhook secret:\/\/HOOK_DOWN failed: answered 500/);
    });

    test('a missing secret fails without retry naming secret://NAME, after the other webhooks are served', async () => {
      const before = requestsTo('/hook').length;
      const error = await rejectionOf(activityEnv().call(box.activities.alert, { run: newRun(), reason: 'low', details: {}, webhooks: ['secret://NOPE', 'secret://HOOK'] }));
      const failure = assertNonRetryable(error, FAILURE_TYPES.SecretNotFoundError);
      assert.match(failure.message, /secret:\/\/NOPE not found/);
      assert.match(failure.message, /SECRETS_DIR/);
      assert.match(failure.message, /MLP_SECRET_NOPE/);
      assert.equal(requestsTo('/hook').length, before + 1, 'the webhook that resolves still gets the alert');
    });

    test('a webhook secret that holds no http(s) URL is refused without retry, its value unsaid', async () => {
      const error = await rejectionOf(activityEnv().call(box.activities.alert, { run: newRun(), reason: 'low', details: {}, webhooks: ['secret://NOT_HTTP'] }));
      const failure = assertNonRetryable(error, FAILURE_TYPES.InvalidSecretError);
      assert.match(failure.message, /secret:\/\/NOT_HTTP does not hold an http\(s\) URL/);
      assert.ok(!everything(error).includes('ftp://example.com'), everything(error));
    });

    test('a resolved URL passes the same address policy as a literal one', async () => {
      const http = { ...TEST_HTTP, allow: AllowList.parse('') };
      const strict: PipelineActivities = createActivities(
        testDeps(box.sandbox, { http, notifier: new WebhookNotifier(() => undefined, http), secrets: new SecretStore({ dir: secretsDir, env }) }),
      );
      const error = await rejectionOf(activityEnv().call(strict.alert, { run: newRun(), reason: 'low', details: {}, webhooks: ['secret://HOOK'] }));
      assert.ok(error instanceof ApplicationFailure && error.type === FAILURE_TYPES.WebhookDeliveryError && error.nonRetryable, String(error));
      assert.match(error.message, /secret:\/\/HOOK/);
      assertNoToken(error);
    });
  });

  describe('dataset sources', () => {
    test('an http source given as a secret reference is ingested', async () => {
      const result = await activityEnv().call(box.activities.ingest, { run: newRun(), source: 'secret://train.data' });
      assert.deepEqual({ rows: result.rows, columns: result.columns, format: result.format }, { rows: 150, columns: 5, format: 'csv' });
      assert.equal(requestsTo('/datasets/iris.csv').length, 1);
      assertNoToken(JSON.stringify(result));
    });

    test('a secret may hold a data-root path too, checked as a literal one', async () => {
      const result = await activityEnv().call(box.activities.ingest, { run: newRun(), source: 'secret://LOCAL_IRIS' });
      assert.equal(result.rows, 150);
    });

    test('a secret source that answers 404 fails without retry, named by its reference', async () => {
      const error = await rejectionOf(activityEnv().call(box.activities.ingest, { run: newRun(), source: 'secret://MISSING_DATA' }));
      const failure = assertNonRetryable(error, FAILURE_TYPES.HttpSourceError);
      assert.match(failure.message, /secret:\/\/MISSING_DATA/);
      assertNoToken(error);
    });

    test('a missing secret fails without retry naming secret://NAME', async () => {
      const error = await rejectionOf(activityEnv().call(box.activities.ingest, { run: newRun(), source: 'secret://NO_SUCH_DATA' }));
      const failure = assertNonRetryable(error, FAILURE_TYPES.SecretNotFoundError);
      assert.match(failure.message, /secret:\/\/NO_SUCH_DATA not found/);
    });
  });

  describe('sensor markers', () => {
    test('a secret http marker is checked at the URL it holds', async () => {
      const found = await activityEnv().call(box.activities.checkDataReady, { marker: 'secret://READY', pokeIntervalSeconds: 5, timeoutSeconds: 10 });
      assert.equal(found.found, true);
      assert.equal(requestsTo('/ready')[0]?.method, 'HEAD');
    });

    test('not there yet names the reference', async () => {
      const error = await rejectionOf(activityEnv().call(box.activities.checkDataReady, { marker: 'secret://ABSENT', pokeIntervalSeconds: 5, timeoutSeconds: 10 }));
      assert.ok(error instanceof ApplicationFailure && error.type === FAILURE_TYPES.DataNotReady, String(error));
      assert.match(error.message, /marker secret:\/\/ABSENT not there yet/);
      assertNoToken(error);
    });

    test('a missing marker secret fails without retry', async () => {
      const error = await rejectionOf(activityEnv().call(box.activities.waitForDataPoke, { marker: 'secret://NO_MARKER', pokeIntervalSeconds: 5, timeoutSeconds: 10 }));
      assertNonRetryable(error, FAILURE_TYPES.SecretNotFoundError);
    });
  });
});
