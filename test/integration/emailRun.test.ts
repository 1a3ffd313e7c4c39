import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { startPipelineRun } from '../../client/startRun';
import { parsePipelineParams, type PipelineResult } from '../../contract';
import { startDevServer } from '../../launch/devServer';
import { buildActivityDeps } from '../../worker/deps';
import { createSandbox, readExample, testConfig, type Sandbox } from '../helpers/fixtures';
import { startSmtpServer, type SmtpServer } from '../helpers/smtpServer';
import { bundleWorkflows, withWorkers } from '../helpers/temporal';

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
let sandbox: Sandbox;
let smtp: SmtpServer;

before(async () => {
  [env, bundle, sandbox, smtp] = await Promise.all([startDevServer(), bundleWorkflows(), createSandbox(), startSmtpServer()]);
});
after(async () => {
  await Promise.all([env?.teardown(), sandbox?.remove(), smtp?.close()]);
});

test('on a real dev server, a deployed iris run mails its summary through the worker\'s SMTP configuration', async () => {
  // The worker's own path: SMTP_* variables parsed by its config, the mailer built by its deps.
  const config = testConfig(sandbox, { SMTP_HOST: smtp.host, SMTP_PORT: String(smtp.port), SMTP_TLS: 'none', SMTP_FROM: 'pipelines@example.com' });
  const params = parsePipelineParams({ ...(await readExample('iris.json')), pipeline: 'iris-mail', notifications: { email: { to: ['ops@example.com'] } } });
  const { handle } = await startPipelineRun(env.client, params);
  const result = await withWorkers(env, config, buildActivityDeps(config), bundle, () => handle.result() as Promise<PipelineResult>);
  assert.equal(result.outcome, 'deployed');
  assert.deepEqual(result.warnings, []);
  const [mail, ...more] = await smtp.waitFor(1);
  assert.equal(more.length, 0);
  assert.deepEqual(mail.rcpt_tos, ['ops@example.com']);
  assert.equal(mail.subject, '[iris-mail] succeeded: iris-mail finished: deployed');
  assert.match(mail.text!, /^metrics\.accuracy: 0\.\d{4}$/m);
  assert.match(mail.text!, new RegExp(`^report: ${result.reportUri.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
  assert.match(mail.html!, /<a href="file:\/\/[^"]+report\.html">Open the report<\/a>/);
});
