import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type PipelineStatus } from '../../contract';
import { WebhookDeliveryError, type Notification } from '../../activities/adapters/notifier';
import { startHttpServer } from '../helpers/httpServer';
import { activityEnv, activitySandbox, assertRetryable, newRun, rejectionOf, type ActivitySandbox } from '../helpers/activities';

type Server = Awaited<ReturnType<typeof startHttpServer>>;

const finishedStatus: PipelineStatus = {
  pipeline: 'iris',
  modelType: 'random_forest_classifier',
  stage: 'deployed',
  outcome: 'deployed',
  modelVersion: '4',
  metrics: { accuracy: 0.96 },
  artifacts: {},
  warnings: [],
  steps: [],
};

describe('alert and notifyRunFinished activities', () => {
  let box: ActivitySandbox;
  let ok: Server;
  let failing: Server;
  before(async () => {
    box = await activitySandbox();
    ok = await startHttpServer((_req, res) => res.end('ok'));
    failing = await startHttpServer((_req, res) => {
      res.statusCode = 500;
      res.end('down');
    });
  });
  after(async () => {
    await Promise.all([ok.close(), failing.close(), box.sandbox.remove()]);
  });

  /** The JSON bodies POSTed to `path` of the healthy server. */
  function received(path: string): Notification[] {
    const posts = ok.requests.filter((r) => r.url === path);
    assert.ok(
      posts.every((r) => r.method === 'POST'),
      JSON.stringify(posts),
    );
    return posts.map((r) => JSON.parse(r.body) as Notification);
  }

  test('alert POSTs a retrain_alert as JSON to every webhook', async () => {
    const run = newRun();
    await activityEnv().call(box.activities.alert, {
      run,
      reason: 'f1_macro 0.61 below 0.8',
      details: { metric: 'f1_macro', value: 0.61 },
      webhooks: [ok.url('/alerts/a'), ok.url('/alerts/b')],
    });
    for (const path of ['/alerts/a', '/alerts/b']) {
      const [notification, ...more] = received(path);
      assert.equal(more.length, 0);
      assert.deepEqual(notification, {
        kind: 'retrain_alert',
        ...run,
        title: 'retrain alert for iris: f1_macro 0.61 below 0.8',
        details: { metric: 'f1_macro', value: 0.61 },
      });
    }
  });

  test('notifyRunFinished POSTs a run_succeeded summary with the report link', async () => {
    const run = newRun();
    await activityEnv().call(box.activities.notifyRunFinished, { run, status: finishedStatus, reportUri: 'file:///tmp/report.html', webhooks: [ok.url('/finished')] });
    const [notification] = received('/finished');
    assert.equal(notification.kind, 'run_succeeded');
    assert.deepEqual({ pipeline: notification.pipeline, workflowId: notification.workflowId, runId: notification.runId }, run);
    assert.equal(notification.title, 'iris finished: deployed');
    assert.deepEqual(notification.details, { outcome: 'deployed', metrics: { accuracy: 0.96 }, modelVersion: '4', report: 'file:///tmp/report.html' });
  });

  test('a webhook answering 500 makes alert fail retryably', async () => {
    const error = await rejectionOf(
      activityEnv().call(box.activities.alert, { run: newRun(), reason: 'low', details: {}, webhooks: [ok.url('/alerts/also'), failing.url('/hook')] }),
    );
    const { cause } = assertRetryable(error);
    assert.ok(cause instanceof WebhookDeliveryError, String(error));
    assert.match(cause.message, /500/);
  });

  test('a webhook answering 500 makes notifyRunFinished fail retryably', async () => {
    const error = await rejectionOf(
      activityEnv().call(box.activities.notifyRunFinished, { run: newRun(), status: finishedStatus, reportUri: 'file:///r', webhooks: [failing.url('/hook')] }),
    );
    const { cause } = assertRetryable(error);
    assert.ok(cause instanceof WebhookDeliveryError, String(error));
    assert.equal(cause.retryable, true);
  });
});
