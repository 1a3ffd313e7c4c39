import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApplicationFailure } from '@temporalio/common';
import { deployGates, FAILURE_TYPES, InvalidParamsError, parsePipelineParams, runMetadata, type PipelineParamsInput } from '../../contract';
import { judgeGates, productionComparison } from '../../workflows/gates';

const base = (deploy: Record<string, unknown>, type = 'random_forest_classifier'): PipelineParamsInput =>
  ({ pipeline: 'weather', dataset: { source: 'weather.csv', target: 'sky' }, model: { type }, deploy }) as PipelineParamsInput;

const spec = (deploy: Record<string, unknown>, type?: string) => parsePipelineParams(base(deploy, type)).deploy;

function fieldsOf(input: PipelineParamsInput): string[] {
  try {
    parsePipelineParams(input);
  } catch (error) {
    assert.ok(error instanceof InvalidParamsError, String(error));
    return error.issues.map((i) => i.field);
  }
  return assert.fail('accepted');
}

// A weather classifier that never predicts the rare classes: accurate, with a poor macro F1.
const WEATHER = { accuracy: 0.861, f1_macro: 0.368, balanced_accuracy: 0.4 };

describe('deploy gates in the params', () => {
  test('the single metric/threshold of older params is still one gate, with the same summary', () => {
    const d = spec({ metric: 'accuracy', threshold: 0.9 });
    assert.deepEqual(deployGates(d), [{ metric: 'accuracy', threshold: 0.9, field: 'deploy.metric' }]);
    assert.equal(runMetadata(parsePipelineParams(base({ metric: 'accuracy', threshold: 0.9 }))).staticDetails, 'Deploys when accuracy reaches 0.9.');
  });

  test('gates add requirements after the single one', () => {
    const d = spec({ metric: 'accuracy', threshold: 0.8, gates: [{ metric: 'f1_macro', threshold: 0.6 }] });
    assert.deepEqual(
      deployGates(d).map((g) => [g.metric, g.threshold, g.field]),
      [
        ['accuracy', 0.8, 'deploy.metric'],
        ['f1_macro', 0.6, 'deploy.gates.0.metric'],
      ],
    );
  });

  test('unknown and inapplicable metrics are refused naming the field', () => {
    assert.deepEqual(fieldsOf(base({ gates: [{ metric: 'accuracy', threshold: 0.8 }, { metric: 'f2_score', threshold: 0.6 }] })), ['deploy.gates.1.metric']);
    assert.deepEqual(fieldsOf(base({ gates: [{ metric: 'accuracy', threshold: 0.8 }, { metric: 'rmse', threshold: 3 }] })), ['deploy.gates.1.metric']);
    assert.deepEqual(fieldsOf(base({ metric: 'accuracy', threshold: 0.8, beatProduction: { metric: 'r2' } })), ['deploy.beatProduction.metric']);
    assert.deepEqual(fieldsOf(base({ metric: 'accuracy', threshold: 0.8, beatProduction: { metric: 'nope' } })), ['deploy.beatProduction.metric']);
    assert.deepEqual(fieldsOf(base({ gates: [{ metric: 'accuracy' }] })), ['deploy.gates.0.threshold']);
  });

  test('a gate needs a metric and a threshold; a deploy spec needs at least one gate; margins are not negative', () => {
    assert.deepEqual(fieldsOf(base({})), ['deploy.metric']);
    assert.deepEqual(fieldsOf(base({ beatProduction: {} })), ['deploy.metric']);
    assert.deepEqual(fieldsOf(base({ threshold: 0.9 })), ['deploy.metric']);
    assert.deepEqual(fieldsOf(base({ gates: [] })), ['deploy.gates']);
    assert.deepEqual(fieldsOf(base({ metric: 'accuracy', threshold: 0.9, beatProduction: { margin: -0.1 } })), ['deploy.beatProduction.margin']);
    assert.deepEqual(fieldsOf(base({ metric: 'accuracy', threshold: 0.9, beatProduction: { margin: 0.1, by: 'me' } })), ['deploy.beatProduction.by']);
  });
});

describe('judgeGates', () => {
  test('all gates must pass: accuracy passes, f1_macro fails, and the reason names the failing one only', () => {
    const verdict = judgeGates(spec({ gates: [{ metric: 'accuracy', threshold: 0.8 }, { metric: 'f1_macro', threshold: 0.6 }] }), WEATHER);
    assert.equal(verdict.passed, false);
    assert.deepEqual(
      verdict.gates.map((g) => [g.metric, g.passed]),
      [
        ['accuracy', true],
        ['f1_macro', false],
      ],
    );
    assert.equal(verdict.reason, 'f1_macro 0.3680 does not reach 0.6000');
  });

  test('a single gate keeps the reason it always had', () => {
    assert.equal(judgeGates(spec({ metric: 'accuracy', threshold: 0.9 }), WEATHER).reason, 'accuracy 0.8610 does not reach 0.9000');
    assert.equal(judgeGates(spec({ metric: 'accuracy', threshold: 0.8 }), WEATHER).reason, 'accuracy 0.8610 reaches 0.8000');
  });

  test('errors pass at or below their threshold', () => {
    const d = spec({ gates: [{ metric: 'r2', threshold: 0.5 }, { metric: 'rmse', threshold: 3 }] }, 'linear_regression');
    assert.equal(judgeGates(d, { r2: 0.7, rmse: 2.5 }).passed, true);
    const worse = judgeGates(d, { r2: 0.7, rmse: 3.5 });
    assert.equal(worse.passed, false);
    assert.equal(worse.reason, 'rmse 3.500 does not reach 3');
  });

  test('a metric the evaluation did not produce is a non-retryable MetricMissing failure', () => {
    assert.throws(
      () => judgeGates(spec({ gates: [{ metric: 'accuracy', threshold: 0.8 }, { metric: 'roc_auc', threshold: 0.8 }] }), WEATHER),
      (e: unknown) => e instanceof ApplicationFailure && e.type === FAILURE_TYPES.MetricMissing && e.nonRetryable && /roc_auc/.test(e.message),
    );
  });
});

describe('beating production', () => {
  const beat = (margin: number, metric?: string) => spec({ metric: 'accuracy', threshold: 0.5, beatProduction: { margin, ...(metric && { metric }) } });
  const compared = (candidate: number, production: number, metric = 'accuracy') => ({
    productionVersion: '3',
    rows: 45,
    candidate: { [metric]: candidate },
    production: { [metric]: production },
  });

  test('a model worse than production does not pass, and the decision carries both scores and the margin', () => {
    const verdict = judgeGates(beat(0), { accuracy: 0.8 }, compared(0.8, 0.9));
    assert.equal(verdict.passed, false);
    assert.equal(verdict.gatesPassed, true);
    assert.deepEqual(verdict.production, { metric: 'accuracy', margin: 0, candidate: 0.8, production: 0.9, productionVersion: '3', rows: 45, improvement: 0.8 - 0.9, passed: false });
    assert.equal(verdict.reason, 'accuracy 0.8000 is worse than production version 3 (0.9000 on the same 45 rows)');
  });

  test('better by the margin passes (up to rounding); better by less does not', () => {
    assert.equal(productionComparison(beat(0.1), {}, compared(0.9, 0.8))?.passed, true, '0.9 - 0.8 is 0.1 on paper');
    assert.equal(productionComparison(beat(0.1), {}, compared(0.85, 0.8))?.passed, false);
    assert.match(judgeGates(beat(0.1), { accuracy: 0.85 }, compared(0.85, 0.8)).reason, /does not beat production version 3 \(0\.8000 on the same 45 rows\) by 0\.1000/);
    assert.equal(productionComparison(beat(0), {}, compared(0.8, 0.8))?.passed, true, 'margin 0: at least as good');
  });

  test('errors are better lower', () => {
    const d = spec({ metric: 'r2', threshold: 0, beatProduction: { metric: 'rmse', margin: 0.5 } }, 'linear_regression');
    const better = productionComparison(d, {}, compared(2, 3, 'rmse'));
    assert.equal(better?.improvement, 1);
    assert.equal(better?.passed, true);
    assert.equal(productionComparison(d, {}, compared(2.8, 3, 'rmse'))?.passed, false);
  });

  test('the compared metric is the first gate\'s unless named', () => {
    assert.equal(productionComparison(beat(0), {}, compared(0.9, 0.8))?.metric, 'accuracy');
    assert.equal(productionComparison(beat(0, 'f1_macro'), {}, compared(0.5, 0.4, 'f1_macro'))?.metric, 'f1_macro');
  });

  test('no production version yet: passes with a note, on the run\'s own score', () => {
    const verdict = judgeGates(beat(0.05), { accuracy: 0.93 }, { note: 'model weather has no production version yet' });
    assert.equal(verdict.passed, true);
    assert.deepEqual(verdict.production, { metric: 'accuracy', margin: 0.05, candidate: 0.93, passed: true, note: 'model weather has no production version yet' });
    assert.equal(verdict.reason, 'accuracy 0.9300 reaches 0.5000; nothing to beat: model weather has no production version yet');
  });

  test('a failing gate and a failing comparison are both named', () => {
    const d = spec({ metric: 'accuracy', threshold: 0.9, beatProduction: { margin: 0 } });
    assert.equal(judgeGates(d, { accuracy: 0.8 }, compared(0.8, 0.85)).reason, 'accuracy 0.8000 does not reach 0.9000; accuracy 0.8000 is worse than production version 3 (0.8500 on the same 45 rows)');
  });
});
