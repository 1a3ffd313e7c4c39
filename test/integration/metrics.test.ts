import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowFailedError } from '@temporalio/client';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { startPipelineRun } from '../../client/startRun';
import { parsePipelineParams, type PipelineResult } from '../../contract';
import { startDevServer } from '../../launch/devServer';
import { createSandbox, readExample, type Sandbox } from '../helpers/fixtures';
import { freePort } from '../helpers/ports';
import { scrape, scrapeUntil, select, valueOf, type Sample } from '../helpers/prometheus';
import { SDK_METRIC_NAMES } from '../helpers/sdkMetricNames';
import { bundleWorkflows } from '../helpers/temporal';
import { spawnWorker, type WorkerProcess } from '../helpers/workerProcess';

let env: TestWorkflowEnvironment;
let sandbox: Sandbox;
let worker: WorkerProcess;
let appUrl: string;
let sdkUrl: string;
const results: Record<string, string> = {};

async function waitReady(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fetch(url).then((r) => r.status, () => 0);
    if (status === 200) return;
    if (Date.now() > deadline || worker.child.exitCode !== null) assert.fail(`worker never became ready (${url}: ${status}):\n${worker.output()}`);
    await sleep(200);
  }
}

/** Runs one pipeline to its end on the worker process; returns its outcome ('failed' when the run failed). */
async function run(params: Record<string, unknown>): Promise<string> {
  // Every step an ordinary activity: the SDK's activity and compute-queue metrics are what is checked (small data would run its later steps as local activities).
  const { handle } = await startPipelineRun(env.client, parsePipelineParams({ ...params, allowConcurrentRuns: true, smallData: { maxRows: 0 } }));
  try {
    return ((await handle.result()) as PipelineResult).outcome;
  } catch (error) {
    if (error instanceof WorkflowFailedError) return 'failed';
    throw error;
  }
}

function logLines(): Record<string, unknown>[] {
  return worker
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

before(async () => {
  let bundle;
  [env, sandbox, bundle] = await Promise.all([startDevServer(), createSandbox(), bundleWorkflows()]);
  const bundlePath = join(sandbox.dir, 'workflow-bundle.js');
  await writeFile(bundlePath, bundle.code);
  const [appPort, sdkPort] = [await freePort(), await freePort()];
  appUrl = `http://127.0.0.1:${appPort}`;
  sdkUrl = `http://127.0.0.1:${sdkPort}/metrics`;
  worker = await spawnWorker({
    TEMPORAL_ADDRESS: env.address,
    ARTIFACT_ROOT: sandbox.artifactRoot,
    DATA_ROOT: sandbox.dataRoot,
    WORKFLOW_BUNDLE_PATH: bundlePath,
    METRICS_HOST: '127.0.0.1',
    WORKER_METRICS_PORT: String(appPort),
    SDK_METRICS_PORT: String(sdkPort),
    // Debug level: the SDK logs every activity's start and completion, so every step has log lines.
    LOG_LEVEL: 'DEBUG',
  });
  await waitReady(`${appUrl}/readyz`);
  const iris = await readExample('iris.json');
  results.deployed = await run(iris);
  results.alert = await run(await readExample('iris-alert.json'));
  // Every sepal is longer than 1 cm: the range expectation fails the gate.
  results.invalid = await run({ ...iris, pipeline: 'iris-invalid', validation: { ranges: [{ column: 'sepal_length', max: 1 }] } });
  // A reschedule sensor whose marker never comes: a few polls, then the run is skipped.
  results.skipped = await run({ ...iris, pipeline: 'iris-waiting', sensor: { marker: 'never.ready', mode: 'reschedule', pokeIntervalSeconds: 1, timeoutSeconds: 3, softFail: true } });
});
after(async () => {
  if (worker?.child.exitCode === null) {
    worker.child.kill('SIGTERM');
    await worker.exited();
  }
  await env?.teardown();
  await sandbox?.remove();
});

describe('metrics of a worker process after four real runs (deployed, alert, invalid data, no data)', () => {
  test('the runs ended as expected', () => {
    assert.deepEqual(results, { deployed: 'deployed', alert: 'not_deployed', invalid: 'failed', skipped: 'skipped' });
  });

  test('worker /metrics: step durations, rows ingested, validation failures, model metric, process metrics', async () => {
    const m = await scrape(`${appUrl}/metrics`);
    const count = (step: string, outcome: string) => valueOf(m, 'mlp_step_duration_seconds_count', { step, outcome });
    assert.equal(count('train', 'completed'), 2, 'iris and iris-sepal-only trained; the invalid run stopped at validation');
    assert.equal(count('ingest', 'completed'), 3);
    assert.equal(count('validate', 'completed'), 2);
    assert.equal(count('validate', 'failed'), 1);
    assert.equal(count('deploy', 'completed'), 1);
    assert.equal(count('alert', 'completed'), 1);
    assert.equal(count('report', 'completed'), 4, 'the skipped run reports too');
    assert.ok(valueOf(m, 'mlp_step_duration_seconds_sum', { step: 'train', outcome: 'completed' })! > 0);
    assert.equal(valueOf(m, 'mlp_rows_ingested_total', { pipeline: 'iris' }), 150);
    assert.equal(valueOf(m, 'mlp_rows_ingested_total'), 450);
    assert.ok(valueOf(m, 'mlp_ingested_bytes_total', { pipeline: 'iris' })! > 1000);
    assert.equal(valueOf(m, 'mlp_validation_failures_total', { pipeline: 'iris-invalid', expectation: 'range' }), 1);
    assert.equal(select(m, 'mlp_validation_failures_total').length, 1, 'only the failed expectation is counted');
    const accuracy = valueOf(m, 'mlp_model_metric', { pipeline: 'iris', metric: 'accuracy' });
    assert.ok(accuracy !== undefined && accuracy >= 0.9, `accuracy ${accuracy}`);
    assert.ok(valueOf(m, 'mlp_model_metric', { pipeline: 'iris-sepal-only', metric: 'f1_macro' })! < 0.9);
    assert.ok(Math.abs(valueOf(m, 'mlp_model_evaluated_timestamp_seconds', { pipeline: 'iris' })! - Date.now() / 1000) < 600);
    assert.ok(valueOf(m, 'mlp_worker_process_cpu_seconds_total')! > 0, 'default process metrics, prefixed');
    assert.ok(valueOf(m, 'mlp_worker_nodejs_eventloop_lag_seconds') !== undefined);
  });

  test('sensor polls that find nothing are benign: not failures in our metrics, the SDK metrics or the logs', async () => {
    const m = await scrape(`${appUrl}/metrics`);
    const polls = valueOf(m, 'mlp_step_duration_seconds_count', { step: 'waitForData', outcome: 'benign' });
    assert.ok(polls !== undefined && polls >= 2, `benign polls: ${polls}`);
    assert.equal(valueOf(m, 'mlp_step_duration_seconds_count', { step: 'waitForData', outcome: 'failed' }), undefined);
    const sdk = await scrape(sdkUrl);
    assert.equal(valueOf(sdk, 'temporal_activity_execution_failed_total', { activity_type: 'checkDataReady' }), undefined);
    assert.ok(valueOf(sdk, 'temporal_activity_execution_failed_total', { activity_type: 'validate' })! >= 1, 'a real failure is still counted');
    const warnings = logLines().filter((l) => l.activityType === 'checkDataReady' && l.level !== 'DEBUG' && l.level !== 'TRACE');
    assert.deepEqual(warnings, []);
    assert.ok(logLines().some((l) => l.activityType === 'checkDataReady' && l.message === 'Activity failed' && l.level === 'DEBUG'));
  });

  test('SDK endpoint: runs started and finished by outcome, deploy decisions, the SDK metrics the dashboard reads', async () => {
    const finished = (s: Sample[]) => valueOf(s, 'mlp_runs_finished_total') === 4;
    const m = await scrapeUntil(sdkUrl, finished);
    assert.equal(valueOf(m, 'mlp_runs_started_total', { pipeline: 'iris' }), 1);
    assert.equal(valueOf(m, 'mlp_runs_started_total'), 4);
    assert.equal(valueOf(m, 'mlp_runs_finished_total', { pipeline: 'iris', outcome: 'deployed' }), 1);
    assert.equal(valueOf(m, 'mlp_runs_finished_total', { pipeline: 'iris-sepal-only', outcome: 'not_deployed' }), 1);
    assert.equal(valueOf(m, 'mlp_runs_finished_total', { pipeline: 'iris-invalid', outcome: 'failed' }), 1);
    assert.equal(valueOf(m, 'mlp_runs_finished_total', { pipeline: 'iris-waiting', outcome: 'skipped' }), 1);
    assert.equal(valueOf(m, 'mlp_deploy_decisions_total', { pipeline: 'iris', decision: 'deploy' }), 1);
    assert.equal(valueOf(m, 'mlp_deploy_decisions_total', { pipeline: 'iris-sepal-only', decision: 'alert' }), 1);
    assert.equal(valueOf(m, 'mlp_deploy_decisions_total', { pipeline: 'iris-invalid' }), undefined);
    const names = new Set(m.map((s) => s.name.replace(/_(bucket|sum|count)$/, '')));
    for (const name of SDK_METRIC_NAMES) assert.ok(names.has(name), `SDK metric ${name} not exported; got ${[...names].filter((n) => n.startsWith('temporal_')).join(', ')}`);
    assert.ok(valueOf(m, 'temporal_activity_schedule_to_start_latency_seconds_count', { task_queue: 'ml-compute' })! >= 4, 'train and evaluate, twice');
    assert.ok(valueOf(m, 'temporal_worker_task_slots_available', { task_queue: 'ml-compute', worker_type: 'ActivityWorker' })! > 0);
  });

  test('every activity log line is JSON with workflow id, run id, step and attempt', () => {
    const activityLines = logLines().filter((l) => typeof l.activityType === 'string');
    const steps = new Set(activityLines.map((l) => l.step));
    for (const step of ['ingest', 'validate', 'preprocess', 'train', 'evaluate', 'deploy', 'alert', 'report']) assert.ok(steps.has(step), `no log line of ${step}`);
    for (const line of activityLines) {
      assert.equal(typeof line.workflowId, 'string', JSON.stringify(line));
      assert.equal(typeof line.workflowRunId, 'string', JSON.stringify(line));
      assert.equal(typeof line.attempt, 'number', JSON.stringify(line));
      assert.equal(typeof line.step, 'string', JSON.stringify(line));
    }
  });

  test('probes: /healthz answers, /readyz while the pools poll, anything else is 404', async () => {
    assert.equal((await fetch(`${appUrl}/healthz`)).status, 200);
    assert.equal((await fetch(`${appUrl}/readyz`)).status, 200);
    assert.equal((await fetch(`${appUrl}/nope`)).status, 404);
  });
});
