import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { type ArtifactStore } from '../../storage/artifactStore';
import { ModelRegistry } from '../../storage/modelRegistry';
import { startPipelineRun } from '../../client/startRun';
import { approveDeploySignal, FAILURE_TYPES, parsePipelineParams, rejectDeploySignal, runKey, SEARCH_ATTRIBUTES, TASK_QUEUES, type PipelineResult } from '../../contract';
import { startTimeSkippingServer } from '../../launch/devServer';
import { createSandbox, readExample, testConfig, testDeps, type Sandbox } from '../helpers/fixtures';
import { startHttpServer } from '../helpers/httpServer';
import { bundleWorkflows, causes, waitForStatus, withWorkers } from '../helpers/temporal';
import { freePort } from '../helpers/ports';
import { SmtpMailer } from '../../activities/adapters/mailer';
import { decodeModelArtifact } from '../../storage/modelArtifact';
import { loadModel } from '../../ml/models';
import { tableFromRecords } from '../../ml/data/records';
import { applyTransform, type ColumnSummary } from '../../ml/preprocess';

/** The committed table of identifier, date and target-with-gaps columns (test/fixtures/make_visits.py). */
const VISITS = join(__dirname, '../fixtures/data/visits.csv');

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
let sandbox: Sandbox;

before(async () => {
  [env, bundle, sandbox] = await Promise.all([startTimeSkippingServer(), bundleWorkflows(), createSandbox()]);
});
after(async () => {
  await env?.teardown();
  await sandbox?.remove();
});

const run = (params: Record<string, unknown>) => startPipelineRun(env.client, parsePipelineParams(params), { workflowId: `test-${randomUUID()}` });
const work = <T>(body: () => Promise<T>, store?: ArtifactStore) => withWorkers(env, testConfig(sandbox), testDeps(sandbox, store ? { store } : {}), bundle, body);

async function failureOf(promise: Promise<unknown>): Promise<WorkflowFailedError> {
  const error = await promise.then(
    () => assert.fail('expected the run to fail'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof WorkflowFailedError, `expected WorkflowFailedError, got ${causes(error)}`);
  return error;
}

/** What the SDK records of a local activity in its marker (JSON): its type and the attempt it ended on. */
function localActivityMarker(e: { markerRecordedEventAttributes?: { markerName?: string | null; details?: Record<string, { payloads?: { data?: Uint8Array | null }[] | null }> | null } | null }) {
  const marker = e.markerRecordedEventAttributes;
  const data = marker?.markerName === 'core_local_activity' ? marker.details?.data?.payloads?.[0]?.data : undefined;
  return data ? (JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type?: string; attempt?: number }) : undefined;
}

/** Attempts of each activity type, read from the run's history: remote ones' started events, local ones' markers. */
async function attemptsOf(handle: { fetchHistory(): Promise<{ events?: unknown[] | null }> }, activityType: string): Promise<number> {
  const { events } = await handle.fetchHistory();
  type Event = Parameters<typeof localActivityMarker>[0] & {
    activityTaskScheduledEventAttributes?: { activityType?: { name?: string } };
    activityTaskStartedEventAttributes?: { scheduledEventId?: unknown; attempt?: number };
  };
  const scheduled = new Set<string>();
  let attempts = 0;
  (events as (Event & { eventId?: { toString(): string } })[]).forEach((e) => {
    if (e.activityTaskScheduledEventAttributes?.activityType?.name === activityType) scheduled.add(String(e.eventId));
    const started = e.activityTaskStartedEventAttributes;
    if (started && scheduled.has(String(started.scheduledEventId))) attempts = Math.max(attempts, started.attempt ?? 0);
    const local = localActivityMarker(e);
    if (local?.activity_type === activityType) attempts = Math.max(attempts, local.attempt ?? 0);
  });
  return attempts;
}

describe('mlPipeline on the time-skipping server', () => {
  test('deploy branch: the iris forest reaches the gate and goes to production with a report', async () => {
    const { handle, workflowId } = await run(await readExample('iris.json'));
    const result = await work(() => handle.result() as Promise<PipelineResult>);
    assert.equal(result.outcome, 'deployed');
    assert.ok(result.metrics!.accuracy >= 0.9, `accuracy ${result.metrics!.accuracy}`);
    assert.equal(result.decision?.action, 'deploy');
    assert.equal(result.modelVersion, '1');
    assert.equal(typeof result.metrics!.balanced_accuracy, 'number');
    assert.deepEqual(result.classReport?.confusionMatrix.labels, ['setosa', 'versicolor', 'virginica']);
    assert.deepEqual(result.classReport?.perClass.map((c) => c.support), [15, 15, 15]);
    assert.deepEqual(
      result.steps.map((s) => [s.name, s.state]),
      [
        ['waitForData', 'skipped'],
        ['ingest', 'completed'],
        ['validate', 'completed'],
        ['preprocess', 'completed'],
        ['train', 'completed'],
        ['evaluate', 'completed'],
        ['compare', 'skipped'],
        ['approval', 'skipped'],
        ['deploy', 'completed'],
        ['register', 'skipped'],
        ['alert', 'skipped'],
        ['report', 'completed'],
      ],
    );
    const pointer = await new ModelRegistry(sandbox.store).production('iris');
    assert.equal(pointer?.version, '1');
    const html = await readFile(fileURLToPath(result.reportUri), 'utf8');
    assert.match(html, /Outcome: deployed/);
    assert.match(html, new RegExp(workflowId));
    const markdown = await readFile(fileURLToPath(result.reportUri.replace(/report\.html$/, 'report.md')), 'utf8');
    assert.match(markdown, /^\| report \| completed \| 1 \|.*\| this report \|$/m, 'the report shows its own step as done, not running');
  });

  test('a small run writes a lean history: one patch marker, and its attributes upserted when they can be seen (at ingest, at the end)', async () => {
    const { handle } = await run(await readExample('iris.json'));
    const result = await work(() => handle.result() as Promise<PipelineResult>);
    assert.equal(result.outcome, 'deployed');
    const events = (await handle.fetchHistory()).events ?? [];
    const patches = events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch');
    assert.equal(patches.length, 1, 'the lean-history marker stands for every older patch');
    const upserted = events.flatMap((e) => {
      const fields = e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields;
      return fields ? [Object.keys(fields).sort()] : [];
    });
    // Started with its memo, pipeline, model type and kind: none upserted again; the local steps' stages go with the last.
    assert.deepEqual(upserted, [['TemporalChangeVersion'], ['MlStage'], ['MlPrimaryMetric', 'MlStage']]);
    assert.equal(events.filter((e) => e.workflowPropertiesModifiedEventAttributes).length, 0);
    const { typedSearchAttributes } = await handle.describe();
    assert.equal(typedSearchAttributes.get(SEARCH_ATTRIBUTES.stage), 'deployed');
    assert.equal(typedSearchAttributes.get(SEARCH_ATTRIBUTES.primaryMetric), result.metrics!.accuracy);
  });

  test('alert branch: a weak model is not deployed and the retrain alert reaches the webhook', async () => {
    const hook = await startHttpServer();
    try {
      const params = { ...(await readExample('iris-alert.json')), notifications: { webhooks: [hook.url('/alerts')] } };
      const { handle } = await run(params);
      const result = await work(() => handle.result() as Promise<PipelineResult>);
      assert.equal(result.outcome, 'not_deployed');
      assert.equal(result.decision?.action, 'alert');
      assert.equal(result.decision?.passed, false);
      const alert = result.steps.find((s) => s.name === 'alert');
      assert.equal(alert?.state, 'completed');
      assert.equal(alert?.summary, `retrain alert raised (1 webhook and the worker log): ${result.decision?.reason}`);
      assert.equal(result.steps.find((s) => s.name === 'deploy')?.state, 'skipped');
      const kinds = hook.requests.map((r) => (JSON.parse(r.body) as { kind: string }).kind);
      assert.deepEqual(kinds, ['retrain_alert', 'run_succeeded']);
      assert.deepEqual(result.warnings, []);
    } finally {
      await hook.close();
    }
  });

  test('a retrain alert webhook that keeps failing is retried, then a warning: the run ends not_deployed', async () => {
    const hook = await startHttpServer((_req, res) => {
      res.statusCode = 503;
      res.end('down');
    });
    try {
      const params = { ...(await readExample('iris-alert.json')), pipeline: 'alert-hook-down', notifications: { webhooks: [hook.url('/alerts')] } };
      const { handle } = await run(params);
      const result = await work(() => handle.result() as Promise<PipelineResult>);
      assert.equal(result.outcome, 'not_deployed');
      assert.equal(result.steps.find((s) => s.name === 'alert')?.state, 'failed');
      assert.equal(result.steps.find((s) => s.name === 'report')?.state, 'completed');
      assert.equal(await attemptsOf(handle, 'alert'), 5);
      assert.ok(result.warnings.some((w) => /^retrain alert not delivered: .*answered 503/.test(w)), JSON.stringify(result.warnings));
      assert.ok(result.warnings.some((w) => /^run summary not delivered: /.test(w)), JSON.stringify(result.warnings));
    } finally {
      await hook.close();
    }
  });

  test('an unreachable mail server is retried, then a warning: the run still deploys', async () => {
    const mailer = new SmtpMailer({ host: '127.0.0.1', port: await freePort(), tls: 'none', from: 'ml@example.com', timeoutMs: 2_000 });
    try {
      const params = { ...(await readExample('iris.json')), pipeline: 'mail-down', notifications: { email: { to: ['ops@example.com'] } } };
      const { handle } = await run(params);
      const result = await withWorkers(env, testConfig(sandbox), testDeps(sandbox, { mailer }), bundle, () => handle.result() as Promise<PipelineResult>);
      assert.equal(result.outcome, 'deployed');
      assert.equal(await attemptsOf(handle, 'emailRunFinished'), 5);
      assert.ok(result.warnings.some((w) => /^run summary not emailed: .*email not sent/.test(w)), JSON.stringify(result.warnings));
    } finally {
      mailer.close();
    }
  });

  test('email asked for on a worker without SMTP: a warning saying so, and the alert still raised', async () => {
    const params = { ...(await readExample('iris-alert.json')), pipeline: 'no-smtp', notifications: { email: { to: ['ops@example.com'], on: ['retrain_alert', 'run_succeeded'] } } };
    const { handle } = await run(params);
    const result = await work(() => handle.result() as Promise<PipelineResult>);
    assert.equal(result.outcome, 'not_deployed');
    assert.equal(result.steps.find((s) => s.name === 'alert')?.state, 'completed');
    assert.deepEqual(result.warnings, [
      'retrain alert not emailed: the worker has no SMTP server configured (SMTP_URL or SMTP_HOST)',
      'run summary not emailed: the worker has no SMTP server configured (SMTP_URL or SMTP_HOST)',
    ]);
  });

  test('approval: an approveDeploy signal deploys, a rejectDeploy signal does not', async () => {
    const params = await readExample('iris-approval.json');
    // One run at a time: the time-skipping server may jump to another run's approval timer while an activity runs.
    const decide = async (signal: typeof approveDeploySignal, input: { by: string; comment?: string }) => {
      const { handle } = await run(params);
      return work(async () => {
        const waiting = await waitForStatus(handle, (s) => s.stage === 'awaiting_approval');
        // As over REST; the Temporal CLI prints every empty JSON list as null (its rendering, not the payload).
        assert.deepEqual(waiting.warnings, []);
        await handle.signal(signal, input);
        return (handle.result() as Promise<PipelineResult>).catch((e: unknown) => assert.fail(causes(e)));
      });
    };
    const approved = await decide(approveDeploySignal, { by: 'alice', comment: 'looks good' });
    assert.equal(approved.outcome, 'deployed');
    assert.equal(approved.decision?.approval, 'approved');
    assert.match(approved.decision?.reason ?? "", /alice: looks good/);
    const rejected = await decide(rejectDeploySignal, { by: 'bob' });
    assert.equal(rejected.outcome, 'not_deployed');
    assert.equal(rejected.decision?.approval, 'rejected');
    assert.equal(rejected.steps.find((s) => s.name === 'deploy')?.state, 'skipped');
  });

  test('approval timeout: without a decision in time the model is not deployed', async () => {
    const params = await readExample('iris-approval.json');
    const { handle } = await run({ ...params, deploy: { ...(params.deploy as object), approvalTimeoutSeconds: 6 * 3600 } });
    const result = await work(() => handle.result() as Promise<PipelineResult>);
    assert.equal(result.outcome, 'not_deployed');
    assert.equal(result.decision?.approval, 'timed_out');
    assert.equal(result.steps.find((s) => s.name === 'approval')?.summary, 'timed out');
  });

  test('sensor timeout (reschedule mode) fails the run; with softFail the run is skipped', async () => {
    const iris = await readExample('iris.json');
    const sensor = { marker: 'never-there.flag', mode: 'reschedule', pokeIntervalSeconds: 60, timeoutSeconds: 600 };
    // One run at a time: two activity attempts failing at the same instant can unbalance the
    // time-skipping server's time lock (IllegalStateException), after which it hangs.
    const failing = await run({ ...iris, sensor });
    const error = await work(() => failureOf(failing.handle.result()));
    const skipping = await run({ ...iris, sensor: { ...sensor, softFail: true } });
    const skipped = await work(() => (skipping.handle.result() as Promise<PipelineResult>).catch((e: unknown) => assert.fail(causes(e))));
    assert.ok(error.cause instanceof ApplicationFailure && error.cause.type === FAILURE_TYPES.SensorTimeout, causes(error));
    assert.match(error.cause.message, /never-there\.flag did not appear within 600 s/);
    assert.ok((await attemptsOf(failing.handle, 'checkDataReady')) >= 5, 'the sensor checked repeatedly before timing out');
    assert.equal(skipped.outcome, 'skipped');
    assert.equal(skipped.steps.find((s) => s.name === 'ingest')?.state, 'skipped');
    assert.match(await readFile(fileURLToPath(skipped.reportUri), 'utf8'), /Outcome: skipped/);
  });

  test('rows without a target reach the run\'s warnings, the preprocess summary and the report', async () => {
    const lines = (await readFile(join(sandbox.dataRoot, 'iris.csv'), 'utf8')).trimEnd().split('\n');
    await writeFile(join(sandbox.dataRoot, 'iris-8-unlabelled.csv'), lines.map((line, i) => (i > 0 && i % 15 === 0 && i <= 120 ? line.replace(/,[^,]*$/, ',') : line)).join('\n') + '\n');
    const iris = await readExample('iris.json');
    const params = { ...iris, pipeline: 'unlabelled', dataset: { source: 'iris-8-unlabelled.csv', target: 'species' }, validation: { minRows: 100 } };
    const { handle } = await run(params);
    const result = await work(() => handle.result() as Promise<PipelineResult>);
    const warning = '8 rows without a value in target "species" were left out';
    assert.deepEqual(result.warnings, [warning]);
    assert.match(result.steps.find((s) => s.name === 'preprocess')?.summary ?? '', /, 8 without a target left out$/);
    const markdown = await readFile(fileURLToPath(result.reportUri.replace(/report\.html$/, 'report.md')), 'utf8');
    assert.match(markdown, /## Warnings\n\n- 8 rows without a value in target "species" were left out\n/);
  });

  test('quarantine: rows failing a quarantined range are left out of training, counted in the warnings, summary and report', async () => {
    const iris = await readExample('iris.json');
    const validation = { ranges: [{ column: 'sepal_length', max: 7.5 }], onFailure: { ranges: 'quarantine' }, maxQuarantineFraction: 0.05 };
    const { handle } = await run({ ...iris, pipeline: 'quarantined', validation });
    const result = await work(() => handle.result() as Promise<PipelineResult>);
    assert.equal(result.outcome, 'deployed');
    assert.equal(result.steps.find((s) => s.name === 'validate')?.summary, '1 expectations passed, 6 rows quarantined');
    // 144 rows reach preprocess, not the 150 ingested.
    assert.match(result.steps.find((s) => s.name === 'preprocess')?.summary ?? '', /^100 train \/ 44 test rows/);
    assert.equal(result.warnings.length, 1);
    assert.match(result.warnings[0], /^6 rows of 150 quarantined \(4%; range sepal_length: 6 rows\): written to file:.*\/validation\/quarantine\.jsonl$/);
    const markdown = await readFile(fileURLToPath(result.reportUri.replace(/report\.html$/, 'report.md')), 'utf8');
    assert.match(markdown, /## Validation: passed, 6 rows of 150 quarantined/);
    assert.match(markdown, /\| range \| sepal_length \| quarantined 6 \|/);
  });

  test('validation failure is not retried and names every failed expectation', async () => {
    const iris = await readExample('iris.json');
    const validation = { minRows: 1000, notNull: ['petal_color'], allowedValues: { species: ['setosa'] }, ranges: [{ column: 'sepal_length', max: 5 }] };
    const { handle } = await run({ ...iris, validation });
    const error = await work(() => failureOf(handle.result()));
    const cause = error.cause?.cause;
    assert.ok(cause instanceof ApplicationFailure);
    assert.equal(cause.type, FAILURE_TYPES.ValidationFailed);
    assert.equal(cause.nonRetryable, true);
    for (const part of ['at least 1000 rows', 'petal_color', 'species', 'sepal_length']) assert.match(cause.message, new RegExp(part));
    assert.equal(await attemptsOf(handle, 'validate'), 1);
  });

  test('report is not retried: a failing report write fails the run after one attempt', async () => {
    let reportWrites = 0;
    const store = sandbox.store;
    const failingReports: ArtifactStore = {
      kind: store.kind,
      uri: (k) => store.uri(k),
      putIfAbsent: (k, d) => store.putIfAbsent(k, d),
      putStream: (k, b) => store.putStream(k, b),
      get: (k) => store.get(k),
      getStream: (k) => store.getStream(k),
      getVersioned: (k) => store.getVersioned(k),
      replaceIfVersion: (k, d, v) => store.replaceIfVersion(k, d, v),
      exists: (k) => store.exists(k),
      list: (p) => store.list(p),
      delete: (k) => store.delete(k),
      put: async (k, d) => {
        if (!k.includes('/report/')) return store.put(k, d);
        reportWrites++;
        throw new Error('disk full');
      },
    };
    const { handle } = await run({ ...(await readExample('iris-alert.json')), pipeline: 'report-fails' });
    const error = await work(() => failureOf(handle.result()), failingReports);
    assert.match(String((error.cause?.cause as Error | undefined)?.message), /disk full/);
    assert.equal(await attemptsOf(handle, 'report'), 1);
    assert.equal(reportWrites, 1);
  });

  test('cancellation writes a report that says cancelled', async () => {
    const { handle, workflowId, runId } = await run({ ...(await readExample('iris-approval.json')), pipeline: 'cancel-me' });
    const error = await work(async () => {
      await waitForStatus(handle, (s) => s.stage === 'awaiting_approval');
      await handle.cancel();
      return failureOf(handle.result());
    });
    assert.ok(error.cause instanceof CancelledFailure, String(error.cause));
    const report = (await sandbox.store.get(runKey({ pipeline: 'cancel-me', workflowId, runId }, 'report', 'report.md'))).toString('utf8');
    assert.match(report, /Outcome: cancelled/);
    assert.match(report, /\| approval \| cancelled \|/);
  });

  test('a binary-only gate metric on a multiclass target fails before training, naming deploy.metric', async () => {
    const iris = await readExample('iris.json');
    const { handle } = await run({ ...iris, deploy: { metric: 'roc_auc', threshold: 0.9 } });
    const error = await work(() => failureOf(handle.result()));
    const cause = error.cause;
    assert.ok(cause instanceof ApplicationFailure);
    assert.equal(cause.type, FAILURE_TYPES.InvalidParams);
    assert.equal(cause.nonRetryable, true);
    assert.match(cause.message, /deploy\.metric: roc_auc applies to binary classifiers only, and the target has 3 classes/);
    assert.equal(await attemptsOf(handle, 'train'), 0);
  });

  test('real tabular data: the id column is left out with a warning, the date becomes its parts, the saved transform scores new rows', async () => {
    await copyFile(VISITS, join(sandbox.dataRoot, 'visits.csv'));
    const params = {
      pipeline: 'visits',
      dataset: { source: 'visits.csv', target: 'churned' },
      model: { type: 'random_forest_classifier', hyperparameters: { nTrees: 30, seed: 3 } },
      deploy: { metric: 'accuracy', threshold: 0 },
    };
    const { handle, workflowId, runId } = await run(params);
    const result = await work(() => handle.result() as Promise<PipelineResult>);
    assert.equal(result.outcome, 'deployed');
    // 7 of the 120 visits have no churned value: counted, not dropped silently.
    assert.deepEqual(result.warnings, [
      '7 rows without a value in target "churned" were left out',
      '1 column left out of the features as identifiers: customer_id (90 distinct of 90 rows); name them in dataset.features or preprocessing.roles to use them',
    ]);
    assert.equal(result.steps.find((s) => s.name === 'preprocess')?.summary, '90 train / 23 test rows, 7 features, 7 without a target left out');
    // A binary target: the forest's vote shares for "yes" (the second sorted label) rank the test rows.
    assert.equal(result.classReport?.positiveClass, 'yes');
    for (const metric of ['balanced_accuracy', 'roc_auc', 'average_precision']) {
      const value = result.metrics![metric];
      assert.ok(value >= 0 && value <= 1, `${metric} ${value}`);
    }
    const ref = { pipeline: 'visits', workflowId, runId };
    const columns = JSON.parse((await sandbox.store.get(runKey(ref, 'preprocessed', 'columns.json'))).toString('utf8')) as ColumnSummary[];
    assert.deepEqual(
      columns.map((c) => [c.name, c.role, c.used]),
      [
        ['customer_id', 'identifier', false],
        ['visit_date', 'datetime', true],
        ['age', 'numeric', true],
        ['plan', 'categorical', true],
      ],
    );
    const profile = JSON.parse((await sandbox.store.get(runKey(ref, 'preprocessed', 'profile.json'))).toString('utf8')) as { features: { name: string }[] };
    assert.deepEqual(
      profile.features.map((f) => f.name),
      ['age', 'plan'],
      'dates are not profiled for drift',
    );
    const report = (await sandbox.store.get(runKey(ref, 'report', 'report.md'))).toString('utf8');
    assert.match(report, /## Warnings/);
    assert.match(report, /## Per class\n[\s\S]*Positive class \(roc_auc, average_precision\): yes/);
    assert.match(report, /\| customer_id \| string \| identifier \| 90 distinct of 90 rows \| no: an identifier: not a default feature \|/);

    const artifact = decodeModelArtifact(await new ModelRegistry(sandbox.store).getModel('visits', result.modelVersion!));
    assert.deepEqual(artifact.transform.featureNames, ['visit_date.year', 'visit_date.month', 'visit_date.day', 'visit_date.weekday', 'visit_date.days', 'age', 'plan']);
    const rows = [
      { customer_id: 'C99999', visit_date: '2025-01-15', age: 22, plan: 'basic' },
      { customer_id: 'C99998', visit_date: 'sometime in June', age: 60, plan: 'pro' },
    ];
    const predicted = loadModel(artifact.model).predict(applyTransform(artifact.transform, tableFromRecords(rows)));
    assert.equal(predicted.length, 2);
    assert.deepEqual(
      Array.from(predicted, (c) => artifact.model.classes![c]),
      ['yes', 'no'],
    );
  });

  test('a misspelt target fails the ingest at once, suggesting the real name; validation never runs', async () => {
    await copyFile(VISITS, join(sandbox.dataRoot, 'visits.csv'));
    const params = { pipeline: 'visits-typo', dataset: { source: 'visits.csv', target: 'Churned' }, model: { type: 'logistic_regression' }, deploy: { metric: 'accuracy', threshold: 0 } };
    const { handle } = await run(params);
    const error = await work(() => failureOf(handle.result()));
    const failure = error.cause?.cause;
    assert.ok(failure instanceof ApplicationFailure, causes(error));
    assert.equal(failure.type, FAILURE_TYPES.ColumnNotFoundError);
    assert.equal(failure.nonRetryable, true);
    assert.equal(failure.message, 'dataset.target: no column "Churned"; did you mean "churned"?');
    assert.equal(await attemptsOf(handle, 'ingest'), 1);
    assert.equal(await attemptsOf(handle, 'validate'), 0);
  });

  test('invalid params fail the run at once, naming each bad field', async () => {
    const handle = await env.client.workflow.start('mlPipeline', {
      taskQueue: TASK_QUEUES.light,
      workflowId: `test-${randomUUID()}`,
      args: [{ pipeline: 'has spaces', dataset: { source: '', target: 'y' }, model: { type: 'svm' }, deploy: { metric: 'accuracy', threshold: 'high' } }],
    });
    const error = await work(() => failureOf(handle.result()));
    const cause = error.cause;
    assert.ok(cause instanceof ApplicationFailure);
    assert.equal(cause.type, FAILURE_TYPES.InvalidParams);
    assert.equal(cause.nonRetryable, true);
    for (const field of ['pipeline', 'dataset.source', 'model.type', 'deploy.threshold']) assert.match(cause.message, new RegExp(`${field}:`));
  });
});
