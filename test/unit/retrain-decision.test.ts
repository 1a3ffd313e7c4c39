import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DriftSpec, parsePipelineParams, type DriftSummary, type PipelineParams } from '../../contract';
import { decideRetrain, retrainWorkflowId } from '../../workflows/retrain';

const lineage: PipelineParams = parsePipelineParams({
  pipeline: 'iris',
  dataset: { source: 'iris.csv', target: 'species', features: ['petal_length', 'petal_width'] },
  sensor: { marker: 'ready.flag' },
  model: { type: 'logistic_regression' },
  deploy: { metric: 'accuracy', threshold: 0.9 },
});

const summary = (extra: Partial<DriftSummary>): DriftSummary => ({ verdict: 'ok', modelName: 'iris', version: '2', rows: 100, worst: [], warnings: [], ...extra });
const drifted = summary({ verdict: 'drift', worst: [{ feature: 'petal_length', psi: 0.8, verdict: 'drift' }] });

describe('decideRetrain', () => {
  test('drift with retraining on: the lineage params with the fresh source, no sensor, a fixed id per model', () => {
    const decision = decideRetrain(drifted, DriftSpec.parse({ retrain: { enabled: true } }), lineage, { source: 's3://bucket/new.parquet', format: 'parquet' });
    assert.equal(decision.retrain, true);
    assert.ok(decision.retrain);
    assert.equal(decision.workflowId, 'retrain-iris');
    assert.equal(retrainWorkflowId('iris'), 'retrain-iris');
    assert.match(decision.reason, /petal_length \(PSI 0\.800\)/);
    const params = parsePipelineParams(decision.params);
    assert.deepEqual(params.dataset, { source: 's3://bucket/new.parquet', format: 'parquet', target: 'species', features: ['petal_length', 'petal_width'] });
    assert.equal(params.sensor.marker, undefined);
    assert.deepEqual(params.model, lineage.model);
    assert.deepEqual(params.deploy, lineage.deploy);
  });

  test('drift with retraining off is an alert only; ok is nothing; a warning retrains only with onWarn', () => {
    assert.deepEqual(decideRetrain(drifted, DriftSpec.parse({}), lineage, { source: 'x.csv' }), {
      retrain: false,
      alert: true,
      reason: 'drift in petal_length (PSI 0.800); retraining is not enabled',
    });
    assert.equal(decideRetrain(summary({}), DriftSpec.parse({ retrain: { enabled: true } }), lineage, { source: 'x.csv' }).alert, false);
    const warned = summary({ verdict: 'warn', worst: [{ feature: 'petal_width', psi: 0.15, verdict: 'warn' }] });
    assert.equal(decideRetrain(warned, DriftSpec.parse({ retrain: { enabled: true } }), lineage, { source: 'x.csv' }).retrain, false);
    assert.equal(decideRetrain(warned, DriftSpec.parse({ retrain: { enabled: true, onWarn: true } }), lineage, { source: 'x.csv' }).retrain, true);
  });

  test('a labelled metric crossing its threshold retrains even when the features are stable', () => {
    const metric = summary({ metric: { name: 'accuracy', value: 0.5, threshold: 0.9, passed: false }, verdict: 'drift' });
    const decision = decideRetrain(metric, DriftSpec.parse({ retrain: { enabled: true } }), lineage, { source: 'x.csv' });
    assert.equal(decision.retrain, true);
    assert.equal(decision.reason, 'accuracy 0.5 crossed its threshold 0.9');
  });
});
