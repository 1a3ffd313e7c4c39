import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { startInferenceRun } from '../../client/startInference';
import { startPipelineRun } from '../../client/startRun';
import { FAILURE_TYPES, parseInferenceParams, parsePipelineParams, SEARCH_ATTRIBUTES, type PipelineResult } from '../../contract';
import { startTimeSkippingServer } from '../../launch/devServer';
import { createSandbox, readExample, testConfig, testDeps, type Sandbox } from '../helpers/fixtures';
import { bundleWorkflows, causes, withWorkers } from '../helpers/temporal';

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
let sandbox: Sandbox;

const work = <T>(body: () => Promise<T>) => withWorkers(env, testConfig(sandbox), testDeps(sandbox), bundle, body);
const infer = (params: Record<string, unknown>) => startInferenceRun(env.client, parseInferenceParams(params), { workflowId: `test-${randomUUID()}` });

before(async () => {
  [env, bundle, sandbox] = await Promise.all([startTimeSkippingServer(), bundleWorkflows(), createSandbox()]);
  // The model every run scores with: the Iris example, deployed as `iris` version 1.
  const { handle } = await startPipelineRun(env.client, parsePipelineParams(await readExample('iris.json')), { workflowId: `train-${randomUUID()}` });
  const trained = await work(() => handle.result() as Promise<PipelineResult>);
  assert.equal(trained.outcome, 'deployed');
});
after(async () => {
  await env?.teardown();
  await sandbox?.remove();
});

async function batch(name: string, lines: string[]): Promise<string> {
  await writeFile(join(sandbox.dataRoot, name), `${lines.join('\n')}\n`);
  return name;
}

/** The run's failure, asserted non-retryable: the cause a person reads. */
async function failureOf(promise: Promise<unknown>, type: string): Promise<ApplicationFailure> {
  const error = await promise.then(
    () => assert.fail('expected the run to fail'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof WorkflowFailedError, causes(error));
  let cause: unknown = error.cause;
  while (cause instanceof Error && !(cause instanceof ApplicationFailure)) cause = cause.cause;
  assert.ok(cause instanceof ApplicationFailure, causes(error));
  assert.equal(cause.type, type, cause.message);
  assert.equal(cause.nonRetryable, true);
  return cause;
}

describe('mlInference on the time-skipping server', () => {
  test('no labels: scores every row, writes parquet with the pass-through and probability columns, skips evaluate', async () => {
    const source = await batch('unlabelled.csv', ['id,sepal_length,sepal_width,petal_length,petal_width', 'a,5.1,3.5,1.4,0.2', 'b,6.7,3.0,5.2,2.3', 'c,5.9,3.0,4.2,1.5']);
    const { handle } = await infer({ pipeline: 'score', model: { name: 'iris' }, dataset: { source }, passThrough: ['id'] });
    const result = await work(() => handle.result() as Promise<PipelineResult>);
    assert.equal(result.outcome, 'scored');
    assert.equal(result.modelVersion, '1');
    assert.equal(result.modelType, 'random_forest_classifier');
    assert.deepEqual(
      result.steps.map((s) => [s.name, s.state]),
      [
        ['waitForData', 'skipped'],
        ['ingest', 'completed'],
        ['validate', 'completed'],
        ['predict', 'completed'],
        ['evaluate', 'skipped'],
        ['drift', 'completed'],
        ['alert', 'skipped'],
        ['report', 'completed'],
      ],
    );
    const { parquetReadObjects } = await import('hyparquet');
    const { asyncBufferFromFile } = await import('hyparquet');
    const rows: Record<string, unknown>[] = await parquetReadObjects({ file: await asyncBufferFromFile(fileURLToPath(result.artifacts.predictions)) });
    assert.deepEqual(rows.map((r) => [r.id, r.prediction] as unknown[]), [['a', 'setosa'], ['b', 'virginica'], ['c', 'versicolor']]);
    for (const row of rows) {
      const total = Number(row.probability_setosa) + Number(row.probability_versicolor) + Number(row.probability_virginica);
      assert.ok(Math.abs(total - 1) < 1e-9, `probabilities sum to ${total}`);
    }
    const described = await handle.describe();
    assert.equal(described.typedSearchAttributes.get(SEARCH_ATTRIBUTES.kind), 'inference');
    assert.match(await readFile(fileURLToPath(result.reportUri), 'utf8'), /Batch inference report: score/);
  });

  test('labels: evaluates the model on the batch and writes CSV on request', async () => {
    const { handle } = await infer({ pipeline: 'score-labelled', model: { name: 'iris', version: '1' }, dataset: { source: 'iris-batch.csv', label: 'species' }, passThrough: ['id'], output: { format: 'csv' } });
    const result = await work(() => handle.result() as Promise<PipelineResult>);
    assert.equal(result.outcome, 'scored');
    assert.equal(result.steps.find((s) => s.name === 'evaluate')?.state, 'completed');
    assert.ok(result.metrics!.accuracy > 0.95, `accuracy ${result.metrics!.accuracy}`);
    const csv = (await readFile(fileURLToPath(result.artifacts.predictions), 'utf8')).trim().split('\n');
    assert.equal(csv[0], 'id,prediction,probability_setosa,probability_versicolor,probability_virginica');
    assert.equal(csv.length, 151);
    assert.match(csv[1], /^flower-001,setosa,/);
    // The training data itself: no drift, so no alert.
    assert.equal(result.drift?.verdict, 'ok');
    assert.deepEqual(
      result.steps.filter((s) => s.name === 'drift' || s.name === 'alert').map((s) => [s.name, s.state]),
      [
        ['drift', 'completed'],
        ['alert', 'skipped'],
      ],
    );
  });

  test('row warnings: filled values (declared missing-value tokens too) are counted in the result and, on request, written per row', async () => {
    // Row c codes its gaps as "." (declared), b leaves one empty.
    const source = await batch('gaps.csv', ['id,sepal_length,sepal_width,petal_length,petal_width', 'a,5.1,3.5,1.4,0.2', 'b,6.7,,5.2,2.3', 'c,.,.,.,.']);
    const { handle } = await infer({ pipeline: 'gaps', model: { name: 'iris' }, dataset: { source, missingValues: ['.'] }, passThrough: ['id'], output: { format: 'csv', rowWarnings: true } });
    const result = await work(() => handle.result() as Promise<PipelineResult>);
    assert.equal(result.outcome, 'scored');
    assert.ok(
      result.warnings.includes('2 rows scored through fills or unseen categories (missing values filled: sepal_width 2, petal_length 1, petal_width 1, sepal_length 1; 1 rows with no feature at all)'),
      result.warnings.join('; '),
    );
    assert.match(result.steps.find((s) => s.name === 'predict')?.summary ?? '', /3 rows scored \(csv\), 2 with missing features or unseen categories/);
    const csv = (await readFile(fileURLToPath(result.artifacts.predictions), 'utf8')).trim().split('\n');
    assert.equal(csv[0], 'id,prediction,probability_setosa,probability_versicolor,probability_virginica,warnings');
    assert.deepEqual(csv.slice(1).map((line) => line.split(',').slice(5).join(',')), ['', 'missing sepal_width', 'all features missing']);
  });

  test('a pass-through column may not be called warnings when rowWarnings adds that column', () => {
    assert.throws(() => parseInferenceParams({ pipeline: 'p', model: { name: 'iris' }, dataset: { source: 'x.csv' }, passThrough: ['warnings'], output: { rowWarnings: true } }), /passThrough\.0: warnings clashes with the column output\.rowWarnings adds/);
  });

  test('bad batches fail without retry, naming the problem', async (t) => {
    await t.test('a missing feature column', async () => {
      const source = await batch('missing-feature.csv', ['sepal_length,sepal_width,petal_length', '5.1,3.5,1.4']);
      const { handle } = await infer({ pipeline: 'bad-feature', model: { name: 'iris' }, dataset: { source } });
      const failure = await failureOf(work(() => handle.result()), FAILURE_TYPES.ValidationFailed);
      assert.match(failure.message, /feature column petal_width is missing/);
    });
    await t.test('zero rows', async () => {
      const source = await batch('empty.csv', ['sepal_length,sepal_width,petal_length,petal_width']);
      const { handle } = await infer({ pipeline: 'bad-empty', model: { name: 'iris' }, dataset: { source } });
      const failure = await failureOf(work(() => handle.result()), FAILURE_TYPES.ValidationFailed);
      assert.match(failure.message, /the batch has no rows/);
    });
    await t.test('a label column of the wrong type', async () => {
      const source = await batch('fractional-label.csv', ['sepal_length,sepal_width,petal_length,petal_width,species', '5.1,3.5,1.4,0.2,0.5', '6.7,3.0,5.2,2.3,1.5']);
      const { handle } = await infer({ pipeline: 'bad-label', model: { name: 'iris' }, dataset: { source, label: 'species' } });
      const failure = await failureOf(work(() => handle.result()), FAILURE_TYPES.ValidationFailed);
      assert.match(failure.message, /label column species holds fractional numbers/);
    });
    await t.test('a model the registry does not have', async () => {
      const { handle } = await infer({ pipeline: 'bad-model', model: { name: 'no-such-model' }, dataset: { source: 'iris-batch.csv' } });
      const failure = await failureOf(work(() => handle.result()), FAILURE_TYPES.InvalidParams);
      assert.match(failure.message, /model\.name: no model named no-such-model/);
    });
  });
});

/** The Iris batch with every petal 3 cm longer (or `column` 3 cm larger): a drift no threshold misses. */
async function shiftedBatch(column = 'petal_length'): Promise<string> {
  const [header, ...rows] = (await readFile(join(sandbox.dataRoot, 'iris-batch.csv'), 'utf8')).trim().split('\n');
  const at = header.split(',').indexOf(column);
  const shifted = rows.map((row) => row.split(',').map((v, i) => (i === at ? String(Number(v) + 3) : v)).join(','));
  return batch(`iris-shifted-${column}.csv`, [header, ...shifted]);
}

describe('drift and the retraining loop (time-skipping server)', () => {
  test('drift above the threshold raises a drift alert; email without SMTP is a warning, not a failure', async () => {
    const source = await shiftedBatch();
    const { handle } = await infer({ pipeline: 'score-shifted', model: { name: 'iris' }, dataset: { source, label: 'species' }, notifications: { email: { to: ['team@example.com'] } } });
    const result = await work(() => handle.result() as Promise<PipelineResult>);
    assert.equal(result.outcome, 'scored');
    assert.equal(result.drift?.verdict, 'drift');
    assert.equal(result.drift?.worst[0]?.feature, 'petal_length');
    assert.equal(result.steps.find((s) => s.name === 'alert')?.state, 'completed');
    assert.deepEqual(result.retrain, { started: false, reason: result.retrain?.reason });
    assert.match(result.retrain.reason, /retraining is not enabled/);
    assert.ok(result.warnings.some((w) => /^drift alert not emailed: .*SMTP/.test(w)), result.warnings.join('; '));
    assert.ok(result.warnings.some((w) => /^run summary not emailed: .*SMTP/.test(w)), result.warnings.join('; '));
    assert.match(await readFile(fileURLToPath(result.reportUri), 'utf8'), /Drift: drift/);
  });

  test('drift with retraining on starts one training run on the batch, and not a second within the cool-down', async () => {
    const source = await shiftedBatch();
    const params = { model: { name: 'iris' }, dataset: { source, label: 'species' }, drift: { retrain: { enabled: true, cooldownSeconds: 3600 } } };
    try {
      const first = await startInferenceRun(env.client, parseInferenceParams({ pipeline: 'score-retrain-1', ...params }), { workflowId: `test-${randomUUID()}` });
      const started = await work(() => first.handle.result() as Promise<PipelineResult>);
      assert.ok(started.retrain?.started, JSON.stringify(started.retrain));
      assert.equal(started.retrain.workflowId, 'retrain-iris');
      const child = await env.client.workflow.getHandle('retrain-iris').describe();
      assert.equal(child.type, 'mlPipeline');

      // Another column shifted: a drift from the first model and from the retrained one alike, whether or not the retraining has deployed yet.
      const drifted = { ...params, dataset: { source: await shiftedBatch('sepal_width'), label: 'species' } };
      const second = await startInferenceRun(env.client, parseInferenceParams({ pipeline: 'score-retrain-2', ...drifted }), { workflowId: `test-${randomUUID()}` });
      const refused = await work(() => second.handle.result() as Promise<PipelineResult>);
      assert.equal(refused.drift?.verdict, 'drift');
      assert.equal(refused.retrain?.started, false);
      assert.match(refused.retrain.reason, /^cool-down: model iris was last retrained at /);
      assert.ok(refused.warnings.some((w) => w.startsWith('no retraining: cool-down')), refused.warnings.join('; '));
    } finally {
      await env.client.workflow.getHandle('retrain-iris').terminate('test over').catch(() => undefined);
    }
  });
});
