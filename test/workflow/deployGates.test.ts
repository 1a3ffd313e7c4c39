import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { startPipelineRun } from '../../client/startRun';
import { parsePipelineParams, type PipelineResult } from '../../contract';
import { startTimeSkippingServer } from '../../launch/devServer';
import { ModelRegistry } from '../../storage/modelRegistry';
import { createSandbox, readExample, testConfig, testDeps, type Sandbox } from '../helpers/fixtures';
import { startTestApi, type TestApi } from '../helpers/apiApp';
import { bundleWorkflows, causes, withWorkers } from '../helpers/temporal';

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
let sandbox: Sandbox;
let api: TestApi;

before(async () => {
  [env, bundle, sandbox] = await Promise.all([startTimeSkippingServer(), bundleWorkflows(), createSandbox()]);
  // The API reads the registry the runs write.
  api = await startTestApi({ ARTIFACT_ROOT: sandbox.artifactRoot });
});
after(async () => {
  await api?.close();
  await env?.teardown();
  await sandbox?.remove();
});

async function train(params: Record<string, unknown>): Promise<PipelineResult> {
  const { handle } = await startPipelineRun(env.client, parsePipelineParams(params), { workflowId: `test-${randomUUID()}` });
  return withWorkers(env, testConfig(sandbox), testDeps(sandbox), bundle, () =>
    (handle.result() as Promise<PipelineResult>).catch((error: unknown) => assert.fail(`run failed: ${causes(error)}`)),
  );
}

/**
 * 600 rows of three skies, 90 % of them clear, whose two features say nothing about the sky: a
 * classifier predicts "clear" for every row, accurate and useless on the rare classes.
 */
async function writeWeather(): Promise<string> {
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const rows = Array.from({ length: 600 }, (_, i) => `${next().toFixed(4)},${next().toFixed(4)},${i % 20 === 0 ? 'rain' : i % 20 === 1 ? 'snow' : 'clear'}`);
  await writeFile(join(sandbox.dataRoot, 'weather.csv'), ['humidity,wind,sky', ...rows].join('\n'));
  return 'weather.csv';
}

describe('deploy gates on the time-skipping server', () => {
  test('a retraining worse than production is not deployed, becomes a candidate with both scores, and a person promotes it', async () => {
    const iris = await readExample('iris.json');
    const gate = { metric: 'accuracy', threshold: 0.3, beatProduction: { margin: 0.02 } };
    const first = await train({ ...iris, pipeline: 'gated-forest', model: { type: 'random_forest_classifier', name: 'gated', hyperparameters: { nTrees: 30, seed: 1 } }, deploy: gate });
    assert.equal(first.outcome, 'deployed', first.decision?.reason);
    assert.equal(first.modelVersion, '1');
    assert.equal(first.decision?.production?.passed, true);
    assert.match(first.decision.production.note!, /no production version yet/);
    assert.match(first.decision.reason, /nothing to beat: model gated has no production version yet/);
    assert.equal(first.steps.find((s) => s.name === 'compare')?.state, 'completed');

    // The same rows (same data and split), a much weaker model: one feature, linear.
    const weak = {
      ...iris,
      pipeline: 'gated-weak',
      dataset: { source: 'iris.csv', target: 'species', features: ['sepal_width'] },
      validation: {},
      model: { type: 'logistic_regression', name: 'gated' },
      deploy: gate,
    };
    const second = await train(weak);
    assert.equal(second.outcome, 'not_deployed', JSON.stringify(second.decision));
    const comparison = second.decision!.production!;
    assert.equal(comparison.productionVersion, '1');
    assert.equal(comparison.rows, 45, 'the 30 % held out of 150 rows');
    assert.equal(comparison.margin, 0.02);
    assert.equal(comparison.passed, false);
    assert.equal(comparison.candidate, second.metrics!.accuracy, 'the new model scores on the raw held-out rows as its evaluation did');
    assert.equal(comparison.production, first.metrics!.accuracy, 'production scores on the same rows as when it was evaluated');
    assert.ok(comparison.production - comparison.candidate > 0.02);
    assert.equal(second.decision!.gates?.[0].passed, true, 'the threshold alone would have deployed it');
    assert.match(second.decision!.reason, /accuracy 0\.\d+ does not beat production version 1 \(0\.\d+ on the same 45 rows\) by 0\.02000/);
    assert.equal(second.candidateVersion, '2');
    assert.equal(second.modelVersion, undefined);
    assert.deepEqual(
      second.steps.filter((s) => ['compare', 'approval', 'deploy', 'register', 'alert'].includes(s.name)).map((s) => [s.name, s.state]),
      [
        ['compare', 'completed'],
        ['approval', 'skipped'],
        ['deploy', 'skipped'],
        ['register', 'completed'],
        ['alert', 'completed'],
      ],
    );
    const stored = JSON.parse(await readFile(fileURLToPath(second.artifacts.comparison), 'utf8')) as { production: Record<string, number> };
    assert.equal(stored.production.accuracy, comparison.production);
    const report = await readFile(fileURLToPath(second.reportUri.replace(/report\.html$/, 'report.md')), 'utf8');
    assert.match(report, /Not deployed: accuracy/);

    const registry = new ModelRegistry(sandbox.store);
    assert.equal((await registry.production('gated'))?.version, '1');
    assert.match((await registry.lineage('gated', '2')).candidate!.reason, /does not beat production version 1/);

    const listed = await api.call<{ production: string; candidates: string[] }>('GET', '/models/gated/versions');
    assert.equal(listed.status, 200, listed.text);
    assert.deepEqual([listed.body.production, listed.body.candidates], ['1', ['2']]);
    const promoted = await api.call('POST', '/models/gated/versions/2/promote', { by: 'ana@example.com', reason: 'sepal width is all the field team can measure' });
    assert.equal(promoted.status, 200, promoted.text);
    const predicted = await api.call<{ version: string }>('POST', '/models/gated/predict', { rows: [{ sepal_width: 3.1 }] });
    assert.equal(predicted.status, 200, predicted.text);
    assert.equal(predicted.body.version, '2', 'the promoted candidate serves');
    const model = await api.call<{ versions: { version: string; status: string; promotions: { by: string; reason: string; previousVersion: string }[] }[] }>('GET', '/models/gated');
    const v2 = model.body.versions.find((v) => v.version === '2')!;
    assert.equal(v2.status, 'production');
    assert.deepEqual(v2.promotions.map((p) => [p.by, p.reason, p.previousVersion]), [['ana@example.com', 'sepal width is all the field team can measure', '1']]);
    assert.equal((await api.call('POST', '/models/gated/versions/2/promote', { by: 'bo', reason: 'again' })).status, 409);
  });

  test('several gates: accuracy passes but f1_macro does not, so the model is not deployed (and kept as a candidate)', async () => {
    const source = await writeWeather();
    const result = await train({
      pipeline: 'weather',
      dataset: { source, target: 'sky' },
      split: { testSize: 0.25, seed: 3 },
      model: { type: 'logistic_regression' },
      deploy: { gates: [{ metric: 'accuracy', threshold: 0.85 }, { metric: 'f1_macro', threshold: 0.6 }] },
    });
    assert.equal(result.outcome, 'not_deployed');
    const [accuracy, f1] = result.decision!.gates!;
    assert.deepEqual([accuracy.metric, accuracy.passed], ['accuracy', true]);
    assert.ok(accuracy.value >= 0.85, `accuracy ${accuracy.value}`);
    assert.deepEqual([f1.metric, f1.passed], ['f1_macro', false]);
    assert.ok(f1.value < 0.6, `f1_macro ${f1.value}`);
    assert.equal(result.decision!.reason, `f1_macro ${f1.value.toPrecision(4)} does not reach 0.6000`);
    assert.equal(result.decision!.metric, 'accuracy', 'the first gate is the decision\'s headline metric');
    assert.equal(result.candidateVersion, '1');
    assert.equal(await new ModelRegistry(sandbox.store).production('weather'), undefined);
  });
});
