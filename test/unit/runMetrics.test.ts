import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { INVALID_PIPELINE, pipelineLabel } from '../../contract';
import { RUN_METRIC_NAMES } from '../../workflows/metrics';

describe('run metrics (workflow side)', () => {
  test('the pipeline label is the name only when it is a valid pipeline name, so the label set stays bounded', () => {
    assert.equal(pipelineLabel({ pipeline: 'iris' }), 'iris');
    assert.equal(pipelineLabel({ pipeline: 'iris-v2.1_b' }), 'iris-v2.1_b');
    for (const bad of [{}, null, undefined, 42, { pipeline: '' }, { pipeline: '../etc' }, { pipeline: 'x'.repeat(64) }, { pipeline: 7 }]) {
      assert.equal(pipelineLabel(bad), INVALID_PIPELINE, JSON.stringify(bad));
    }
  });

  test('names follow the mlp_ prefix; the SDK exporter adds _total', () => {
    for (const name of Object.values(RUN_METRIC_NAMES)) assert.match(name, /^mlp_[a-z_]+$/);
    assert.ok(Object.values(RUN_METRIC_NAMES).every((n) => !n.endsWith('_total')));
  });
});
