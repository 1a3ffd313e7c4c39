import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePipelineParams, type DriftSummary, type PipelineStatus } from '../../contract';
import { reportBlocks, reportTitle } from '../../activities/report/content';
import { toHtml } from '../../activities/report/document';
import { readExample } from '../helpers/fixtures';

const run = { pipeline: 'iris', workflowId: 'ml-iris', runId: 'run-7' };

const drift: DriftSummary = {
  verdict: 'drift',
  modelName: 'iris',
  version: '3',
  rows: 150,
  worst: [
    { feature: 'petal_length', psi: 4.21, verdict: 'drift' },
    { feature: '(predictions)', psi: 0.1234, verdict: 'warn' },
  ],
  metric: { name: 'accuracy', value: 0.4, threshold: 0.9, passed: false, training: 0.97 },
  reportUri: 'file:///tmp/runs/iris/ml-iris/run-7/drift/drift.json',
  warnings: [],
};

function status(extra: Partial<PipelineStatus>): PipelineStatus {
  return { pipeline: 'iris', modelType: 'random_forest_classifier', stage: 'deployed', outcome: 'deployed', steps: [], artifacts: {}, warnings: [], ...extra };
}

describe('report: drift section', () => {
  test('renders the verdict, the metric crossing, the worst features and the report link when the status has a drift result', async () => {
    const params = parsePipelineParams(await readExample('iris.json'));
    const s = status({ drift });
    const html = toHtml(reportTitle(s), reportBlocks(run, s, params, {}));
    assert.match(html, /<h2>Drift: drift<\/h2>/);
    assert.match(html, /<tr><td>petal_length<\/td><td>4\.2100<\/td><td>drift<\/td><\/tr>/);
    assert.match(html, /<td>\(predictions\)<\/td><td>0\.1234<\/td><td>warn<\/td>/);
    assert.match(html, /accuracy = 0\.4 on the labelled batch \(threshold 0\.9, crossed; 0\.97 at training\)/);
    assert.ok(html.includes(drift.reportUri!));
  });

  test('a "no profile" warning shows without a table; runs without drift have no section', async () => {
    const params = parsePipelineParams(await readExample('iris.json'));
    const noProfile: DriftSummary = { verdict: 'ok', modelName: 'iris', version: '1', rows: 0, worst: [], warnings: ['no profile: deployed before profiles'] };
    const html = toHtml('x', reportBlocks(run, status({ drift: noProfile }), params, {}));
    assert.match(html, /<h2>Drift: ok<\/h2>/);
    assert.match(html, /<li>Warning: no profile: deployed before profiles<\/li>/);
    assert.doesNotMatch(html, /<th>PSI<\/th>/);
    assert.doesNotMatch(toHtml('x', reportBlocks(run, status({}), params, {})), /Drift/);
  });
});
