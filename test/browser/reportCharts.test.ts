import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { type Browser } from 'puppeteer-core';
import { createActivities } from '../../activities';
import { type ReportHistory, type ReportTuning } from '../../activities/types';
import { startInferenceRun } from '../../client/startInference';
import { startPipelineRun } from '../../client/startRun';
import { parseInferenceParams, parsePipelineParams, type ParsedPipelineParams, type PipelineResult, type RunRef } from '../../contract';
import { startDevServer } from '../../launch/devServer';
import { activityEnv } from '../helpers/activities';
import { launchChromium, openReport, type PageCheck } from '../helpers/browser';
import { createSandbox, readExample, testConfig, testDeps, type Sandbox } from '../helpers/fixtures';
import { twoClassCsv } from '../helpers/syntheticCsv';
import { bundleWorkflows, withWorkers } from '../helpers/temporal';
import { tempFiles, type TempFiles } from '../helpers/tempFiles';

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
let sandbox: Sandbox;
let browser: Browser;
let shots: TempFiles;

before(async () => {
  [env, bundle, sandbox, browser, shots] = await Promise.all([startDevServer(), bundleWorkflows(), createSandbox(), launchChromium(), tempFiles('report-shots-')]);
});
after(async () => {
  await browser?.close();
  await env?.teardown();
  await sandbox?.remove();
  console.log(`# screenshots kept in ${shots?.dir}`);
});

const work = <T>(body: () => Promise<T>) => withWorkers(env, testConfig(sandbox), testDeps(sandbox), bundle, body);

async function train(params: ParsedPipelineParams): Promise<{ result: PipelineResult; run: RunRef }> {
  const { handle, workflowId, runId } = await startPipelineRun(env.client, params);
  return { result: await work(() => handle.result() as Promise<PipelineResult>), run: { pipeline: params.pipeline, workflowId, runId } };
}

/** Every chart of the page rendered: one SVG each with drawn marks, no console error, nothing fetched. */
function assertCharts(check: PageCheck, expected: readonly RegExp[]): void {
  assert.deepEqual(check.errors, []);
  assert.deepEqual(check.outside, [], 'the report opens offline');
  for (const figure of check.figures) {
    assert.equal(figure.svgs, 1, `${figure.title}: one SVG`);
    assert.ok(figure.marks > 0, `${figure.title}: marks drawn`);
  }
  for (const title of expected) assert.ok(check.figures.some((f) => title.test(f.title)), `a chart ${title} among ${check.figures.map((f) => f.title).join(' | ')}`);
}

async function open(reportUri: string, name: string): Promise<PageCheck> {
  const html = await readFile(new URL(reportUri), 'utf8');
  // Beside its screenshot: the sandbox with the run's artifacts goes when the file ends.
  await shots.write(`${name}.html`, html);
  assert.doesNotMatch(html, /<script|<link|<img|src=|href=/i, 'no scripts, no linked resources');
  return openReport(browser, reportUri, shots.dir, name);
}

describe('reports open in headless Chromium with every chart drawn', () => {
  test('a multi-class forest: confusion matrix heatmap and permutation importances', async () => {
    const { result } = await train(parsePipelineParams({ ...(await readExample('iris.json')), allowConcurrentRuns: true }));
    assert.equal(result.outcome, 'deployed');
    assert.equal(result.featureImportances?.method, 'permutation');
    assert.equal(result.featureImportances?.features.length, 4);
    assertCharts(await open(result.reportUri, 'iris'), [/^Confusion matrix/, /^Permutation importance/]);
  });

  test('a binary classifier: ROC and precision-recall curves; with history and tuning inputs, their charts too', async () => {
    await writeFile(join(sandbox.dataRoot, 'two-class.csv'), twoClassCsv(3_000, 5, 11, (x) => x[0] + 0.5 * x[1] - 0.3 * x[2]));
    const params = parsePipelineParams({
      pipeline: 'two-class',
      dataset: { source: 'two-class.csv', target: 'label' },
      split: { testSize: 0.3, seed: 1, stratify: true },
      model: { type: 'logistic_regression' },
      deploy: { metric: 'roc_auc', threshold: 0.8 },
    });
    const { result, run } = await train(params);
    assert.ok(result.metrics!.roc_auc > 0.8, JSON.stringify(result.metrics));
    const importance = result.featureImportances!.features;
    assert.equal(importance[0].feature, 'f0', 'the feature the label depends on most comes first');
    assert.ok(importance.find((f) => f.feature === 'f4')!.mean < importance[0].mean / 5, 'a feature the label ignores matters little');
    assertCharts(await open(result.reportUri, 'two-class'), [/^Confusion matrix/, /^ROC curve, area 0\.\d+/, /^Precision-recall curve/, /^Permutation importance/]);

    // What tracking and tuning will hand the report step: fixtures in their shape, over this real run's artifacts.
    const history: ReportHistory = {
      metric: 'roc_auc',
      runs: [0.86, 0.9, 0.88, 0.91].map((value, i) => ({ runId: `earlier-${i}`, startedAt: `2026-01-0${i + 1}T10:00:00Z`, value })).concat({ runId: run.runId, startedAt: '2026-01-06T10:00:00Z', value: result.metrics!.roc_auc }),
    };
    const tuning: ReportTuning = { metric: 'roc_auc', trials: [0.81, 0.9, 0.87, 0.93, 0.85].map((mean, i) => ({ params: { C: 10 ** (i - 2), penalty: 'l2' }, mean, std: 0.01 + i / 200 })), best: 3 };
    const { report } = createActivities(testDeps(sandbox));
    const written = await activityEnv().call(report, { run, status: result, params, history, tuning });
    const check = await openReport(browser, written.html.uri, shots.dir, 'two-class-history-tuning');
    assertCharts(check, [/^ROC curve/, /^roc_auc of the pipeline's last 5 runs/, /^Cross-validated roc_auc per trial/]);
  });

  test('a regressor: predicted against actual and residuals', async () => {
    const { result } = await train(parsePipelineParams({ ...(await readExample('diabetes.json')), allowConcurrentRuns: true }));
    assertCharts(await open(result.reportUri, 'diabetes'), [/^Predicted against actual/, /^Residuals/, /^Permutation importance \(r2\)/]);
  });

  test('a batch inference run with drift: PSI per feature', async () => {
    const [header, ...rows] = (await readFile(join(sandbox.dataRoot, 'iris-batch.csv'), 'utf8')).trim().split('\n');
    const at = header.split(',').indexOf('petal_length');
    const shifted = rows.map((row) => row.split(',').map((v, i) => (i === at ? String(Number(v) + 3) : v)).join(','));
    await writeFile(join(sandbox.dataRoot, 'iris-shifted.csv'), `${[header, ...shifted].join('\n')}\n`);
    const params = parseInferenceParams({ pipeline: 'iris-drift', model: { name: 'iris' }, dataset: { source: 'iris-shifted.csv', label: 'species' } });
    const result = await work(async () => (await startInferenceRun(env.client, params)).handle.result() as Promise<PipelineResult>);
    assert.equal(result.drift?.verdict, 'drift');
    assertCharts(await open(result.reportUri, 'iris-drift'), [/^Drift per feature/, /^Confusion matrix/]);
  });
});
