import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { PredictionPool } from '../../api/models/predictionPool';
import { Predictor } from '../../api/models/predictor';
import { startInferenceRun } from '../../client/startInference';
import { startPipelineRun } from '../../client/startRun';
import { parseInferenceParams, parsePipelineParams, SEARCH_ATTRIBUTES, type PipelineResult } from '../../contract';
import { startDevServer } from '../../launch/devServer';
import { ModelRegistry } from '../../storage/modelRegistry';
import { findBinary } from '../../tools/temporal';
import { createSandbox, EXAMPLES, readExample, testConfig, testDeps, type Sandbox } from '../helpers/fixtures';
import { bundleWorkflows, withWorkers } from '../helpers/temporal';

const exec = promisify(execFile);

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
let sandbox: Sandbox;

before(async () => {
  [env, bundle, sandbox] = await Promise.all([startDevServer(), bundleWorkflows(), createSandbox()]);
});
after(async () => {
  await env?.teardown();
  await sandbox?.remove();
});

const work = <T>(body: () => Promise<T>) => withWorkers(env, testConfig(sandbox), testDeps(sandbox), bundle, body);

/** The batch's rows as a prediction request sends them: numbers as numbers. */
async function batchRows(): Promise<Record<string, unknown>[]> {
  const [header, ...lines] = (await readFile(join(sandbox.dataRoot, 'iris-batch.csv'), 'utf8')).trim().split('\n');
  const names = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [names[i], i === 0 || names[i] === 'species' ? v : Number(v)])));
}

describe('batch inference on a real Temporal dev server', () => {
  test('train iris, then the example inference file started from the Temporal CLI: its predictions match /models/iris/predict', async () => {
    const trained = await startPipelineRun(env.client, parsePipelineParams({ ...(await readExample('iris.json')), allowConcurrentRuns: true }));
    const cli = await findBinary('cli');
    assert.ok(cli, 'temporal CLI');
    const workflowId = `cli-infer-${randomUUID()}`;
    const result = await work(async () => {
      assert.equal(((await trained.handle.result()) as PipelineResult).outcome, 'deployed');
      await exec(cli, ['workflow', 'start', '--address', env.address, '--type', 'mlInference', '--task-queue', 'ml-pipeline', '--workflow-id', workflowId, '--input-file', `${EXAMPLES}/iris-inference.json`]);
      return env.client.workflow.getHandle(workflowId).result() as Promise<PipelineResult>;
    });
    assert.equal(result.outcome, 'scored');
    assert.ok(result.metrics!.accuracy > 0.95);

    const { asyncBufferFromFile, parquetReadObjects } = await import('hyparquet');
    const written: Record<string, unknown>[] = await parquetReadObjects({ file: await asyncBufferFromFile(fileURLToPath(result.artifacts.predictions)) });
    const rows = await batchRows();
    const pool = new PredictionPool(1);
    const served = await new Predictor(new ModelRegistry(sandbox.store), pool).predict('iris', rows).finally(() => pool.close());
    assert.equal(written.length, rows.length);
    assert.deepEqual(
      written.map((r) => [r.id, r.prediction] as unknown[]),
      rows.map((r, i) => [r.id, served.predictions[i]]),
    );
    const described = await env.client.workflow.getHandle(workflowId).describe();
    assert.equal(described.typedSearchAttributes.get(SEARCH_ATTRIBUTES.kind), 'inference', 'the CLI-started run upserts its kind');
    assert.equal((described.memo as { kind?: string }).kind, 'inference');
  });

  test('a shifted copy of the data is flagged as drift and starts one retraining run, which trains on the batch', async () => {
    const [header, ...rows] = (await readFile(join(sandbox.dataRoot, 'iris-batch.csv'), 'utf8')).trim().split('\n');
    const at = header.split(',').indexOf('petal_length');
    const shifted = rows.map((row) => row.split(',').map((v, i) => (i === at ? String(Number(v) + 3) : v)).join(','));
    await writeFile(join(sandbox.dataRoot, 'iris-shifted.csv'), `${[header, ...shifted].join('\n')}\n`);
    const params = parseInferenceParams({
      pipeline: 'iris-drift',
      model: { name: 'iris' },
      dataset: { source: 'iris-shifted.csv', label: 'species' },
      drift: { retrain: { enabled: true, cooldownSeconds: 3600 } },
    });
    const { result, retrained } = await work(async () => {
      const run = await startInferenceRun(env.client, params);
      const scored = (await run.handle.result()) as PipelineResult;
      assert.ok(scored.retrain?.started, JSON.stringify(scored.retrain));
      const child = (await env.client.workflow.getHandle(scored.retrain.workflowId).result()) as PipelineResult;
      return { result: scored, retrained: child };
    });
    assert.equal(result.drift?.verdict, 'drift');
    assert.equal(result.drift?.worst[0]?.feature, 'petal_length');
    assert.ok(result.drift.worst[0].psi > 0.25, `PSI ${result.drift.worst[0].psi}`);
    assert.equal(result.steps.find((s) => s.name === 'alert')?.state, 'completed');
    const report = JSON.parse(await readFile(fileURLToPath(result.artifacts.drift), 'utf8')) as { features: { feature: string }[] };
    assert.equal(report.features.length, 4);
    // The retraining run is an ordinary mlPipeline run on the batch's source, from the deployed version's params.
    assert.equal(retrained.pipeline, 'iris');
    assert.ok(['deployed', 'not_deployed'].includes(retrained.outcome), retrained.outcome);
    assert.match(retrained.artifacts.ingested, /iris-drift|retrain-iris/);
    const lineage = await new ModelRegistry(sandbox.store).versions('iris');
    if (retrained.outcome === 'deployed') assert.ok(lineage.some((v) => (v.params as { dataset: { source: string } }).dataset.source === 'iris-shifted.csv'));
  });
});

