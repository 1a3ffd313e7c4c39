import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { type PipelineStatus } from '../../contract';
import { SmtpMailer } from '../../activities/adapters/mailer';
import { activityEnv, activitySandbox, newRun, rejectionOf, type ActivitySandbox } from '../helpers/activities';
import { freePort } from '../helpers/ports';
import { startSmtpServer, type SmtpServer } from '../helpers/smtpServer';

const failedStatus: PipelineStatus = {
  pipeline: 'iris <b>&"q"',
  modelType: 'random_forest_classifier',
  stage: 'failed',
  outcome: 'failed',
  metrics: { accuracy: 0.5 },
  artifacts: {},
  warnings: [],
  error: 'column "<script>alert(1)</script>" is not numeric',
  steps: [
    { name: 'ingest', state: 'completed', attempt: 1 },
    { name: 'validate', state: 'failed', attempt: 1 },
  ],
};

describe('email activities against a real aiosmtpd', () => {
  let smtp: SmtpServer;
  let mailer: SmtpMailer;
  let box: ActivitySandbox;
  before(async () => {
    smtp = await startSmtpServer();
    mailer = new SmtpMailer({ host: smtp.host, port: smtp.port, tls: 'none', from: 'pipelines@example.com', timeoutMs: 5_000 });
    box = await activitySandbox({ mailer });
  });
  after(async () => {
    mailer?.close();
    await Promise.all([smtp?.close(), box?.sandbox.remove()]);
  });

  test('a failed run is mailed to every recipient with the failed step, the error and both parts, escaped in HTML', async () => {
    const before = (await smtp.messages()).length;
    const run = { ...newRun(), pipeline: failedStatus.pipeline };
    const result = await activityEnv().call(box.activities.emailRunFinished, {
      run,
      status: failedStatus,
      reportUri: 'file:///data/report.html?a=1&b=2',
      to: ['ops@example.com', 'ml@example.org'],
    });
    assert.deepEqual(result, { sent: true });
    const mail = (await smtp.waitFor(before + 1)).at(-1)!;
    assert.deepEqual(mail.rcpt_tos, ['ops@example.com', 'ml@example.org']);
    assert.equal(mail.mail_from, 'pipelines@example.com');
    assert.equal(mail.subject, '[iris <b>&"q"] FAILED: iris <b>&"q" finished: failed');
    assert.match(mail.text!, /^failedStep: validate$/m);
    assert.match(mail.text!, /^error: column "<script>alert\(1\)<\/script>" is not numeric$/m);
    assert.match(mail.text!, /^metrics\.accuracy: 0\.5000$/m);
    assert.match(mail.text!, /^report: file:\/\/\/data\/report\.html\?a=1&b=2$/m);
    const html = mail.html!;
    assert.ok(!html.includes('<script>'), html);
    assert.ok(!html.includes('<b>'), html);
    assert.match(html, /column &quot;&lt;script&gt;alert\(1\)&lt;\/script&gt;&quot; is not numeric/);
    assert.match(html, /<h1>iris &lt;b&gt;&amp;&quot;q&quot; finished: failed<\/h1>/);
    assert.match(html, /<a href="file:\/\/\/data\/report\.html\?a=1&amp;b=2">Open the report<\/a>/);
  });

  test('a retrain alert names the reason and the metrics', async () => {
    const before = (await smtp.messages()).length;
    await activityEnv().call(box.activities.emailAlert, {
      run: newRun(),
      reason: 'f1_macro 0.61 below 0.8',
      details: { metric: 'f1_macro', value: 0.61, metrics: { f1_macro: 0.61 } },
      to: ['ops@example.com'],
    });
    const mail = (await smtp.waitFor(before + 1)).at(-1)!;
    assert.equal(mail.subject, '[iris] retrain alert: retrain alert for iris: f1_macro 0.61 below 0.8');
    assert.match(mail.text!, /^metrics\.f1_macro: 0\.6100$/m);
    assert.match(mail.html!, /<th>metric<\/th><td>f1_macro<\/td>/);
  });

  test('an unreachable mail server is a retryable EmailDeliveryError', async () => {
    const closed = new SmtpMailer({ host: '127.0.0.1', port: await freePort(), tls: 'none', from: 'pipelines@example.com', timeoutMs: 2_000 });
    const unreachable = await activitySandbox({ mailer: closed });
    try {
      const error = await rejectionOf(activityEnv().call(unreachable.activities.sendEmail, { notification: { kind: 'drift_alert', ...newRun(), title: 'drift', details: {} }, to: ['ops@example.com'] }));
      assert.ok(error instanceof ApplicationFailure, String(error));
      assert.equal(error.type, 'EmailDeliveryError');
      assert.notEqual(error.nonRetryable, true);
      assert.match(error.message, /email not sent/);
    } finally {
      closed.close();
      await unreachable.sandbox.remove();
    }
  });

  test('without a mailer nothing is sent and the result says why', async () => {
    const none = await activitySandbox();
    try {
      const result = await activityEnv().call(none.activities.sendEmail, { notification: { kind: 'run_succeeded', ...newRun(), title: 'ok', details: {} }, to: ['ops@example.com'] });
      assert.equal(result.sent, false);
      assert.match(result.note ?? '', /SMTP_URL or SMTP_HOST/);
    } finally {
      await none.sandbox.remove();
    }
  });
});
