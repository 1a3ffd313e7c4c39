import assert from 'node:assert/strict';
import { test } from 'node:test';
import { composeEmail } from '../../activities/emailMessage';
import { emailFailure } from '../../activities/adapters/mailer';

test('the subject is one line, whatever the title holds', () => {
  const mail = composeEmail({ kind: 'drift_alert', pipeline: 'p', workflowId: 'w', runId: 'r', title: 'drift\r\nBcc: x@evil.example', details: {} }, ['a@example.com']);
  assert.equal(mail.subject, '[p] drift alert: drift Bcc: x@evil.example');
});

test('a report link that is not http(s) or file is shown as text, never linked', () => {
  const mail = composeEmail({ kind: 'run_succeeded', pipeline: 'p', workflowId: 'w', runId: 'r', title: 't', details: { report: 'javascript:alert(1)' } }, ['a@example.com']);
  assert.ok(!mail.html.includes('<a '), mail.html);
  assert.match(mail.text, /^report: javascript:alert\(1\)$/m);
});

test('SMTP failures: 5xx answers and refused credentials are final, connections and 4xx are retried', () => {
  assert.equal(emailFailure({ responseCode: 550, message: '550 no such user' }).retryable, false);
  assert.equal(emailFailure({ code: 'EAUTH', responseCode: 535, message: 'auth failed' }).retryable, false);
  assert.equal(emailFailure({ responseCode: 451, message: 'try later' }).retryable, true);
  assert.equal(emailFailure({ code: 'ECONNECTION', message: 'connect ECONNREFUSED' }).retryable, true);
});
