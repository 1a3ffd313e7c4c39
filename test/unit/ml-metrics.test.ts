import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { classificationEvaluation } from '../../ml/evaluation';
import { averagePrecision, classificationMetrics, classReport, regressionMetrics, rocAuc, rocAucOvr } from '../../ml/metrics';
import { argmaxRows } from '../../ml/models/probabilities';
import { type Matrix, type TrainedModel } from '../../ml/models';

function close(actual: number, expected: number): void {
  assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} is not ${expected}`);
}

describe('classificationMetrics', () => {
  // yTrue = a a a b b c, yPred = a a b b c c.
  // Confusion (rows true, cols predicted): a [2 1 0], b [0 1 1], c [0 0 1]; 4 of 6 right.
  // a: precision 2/2 = 1, recall 2/3, f1 = 2 * 1 * 2/3 / (1 + 2/3) = 0.8, support 3
  // b: precision 1/2, recall 1/2, f1 0.5, support 2
  // c: precision 1/2, recall 1/1, f1 = 2 * 0.5 / 1.5 = 2/3, support 1
  // macro: precision (1 + 0.5 + 0.5) / 3 = 2/3, recall (2/3 + 1/2 + 1) / 3 = 13/18, f1 (0.8 + 0.5 + 2/3) / 3 = 59/90
  const yTrue = Int32Array.from([0, 0, 0, 1, 1, 2]);
  const yPred = Int32Array.from([0, 0, 1, 1, 2, 2]);

  test('match the hand-computed values', () => {
    const m = classificationMetrics(yTrue, yPred, ['a', 'b', 'c']);
    close(m.accuracy, 2 / 3);
    close(m.precision_macro, 2 / 3);
    close(m.recall_macro, 13 / 18);
    close(m.f1_macro, 59 / 90);
    assert.deepEqual(m.confusionMatrix, [
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    assert.deepEqual(m.perClass.map((c) => [c.label, c.support]), [['a', 3], ['b', 2], ['c', 1]]);
    close(m.perClass[0].f1, 0.8);
    close(m.perClass[2].f1, 2 / 3);
  });

  test('a class never true nor predicted scores 0 and counts in the macro means (zero_division=0)', () => {
    const m = classificationMetrics(yTrue, yPred, ['a', 'b', 'c', 'd']);
    assert.deepEqual(m.perClass[3], { label: 'd', precision: 0, recall: 0, f1: 0, support: 0 });
    close(m.precision_macro, 2 / 4);
    close(m.recall_macro, (13 / 6) / 4);
    // Balanced accuracy averages recall over the classes present in yTrue only (scikit-learn): d is left out.
    close(m.balanced_accuracy, 13 / 18);
  });

  test('balanced accuracy is the mean recall: (2/3 + 1/2 + 1) / 3', () => {
    close(classificationMetrics(yTrue, yPred, ['a', 'b', 'c']).balanced_accuracy, 13 / 18);
  });

  test('rejects arrays of different lengths', () => {
    assert.throws(() => classificationMetrics(yTrue, yPred.subarray(1), ['a', 'b', 'c']), RangeError);
  });
});

const positives = (values: number[]) => Uint8Array.from(values);
const scores = (values: number[]) => Float64Array.from(values);

describe('rocAuc', () => {
  test("scikit-learn's example: 3 of the 4 positive-negative pairs are ordered right", () => {
    // Positives 0.35, 0.8; negatives 0.1, 0.4: (0.35 > 0.1), (0.35 < 0.4), (0.8 > both) = 3/4.
    close(rocAuc(positives([0, 0, 1, 1]), scores([0.1, 0.4, 0.35, 0.8]))!, 0.75);
  });

  test('a tie between a positive and a negative counts one half (average ranks)', () => {
    // Positives 0.5, 0.9; negatives 0.5, 0.2: (0.5 = 0.5) 1/2, (0.5 > 0.2) 1, (0.9 > both) 2 = 3.5/4.
    close(rocAuc(positives([0, 1, 0, 1]), scores([0.5, 0.5, 0.2, 0.9]))!, 0.875);
    close(rocAuc(positives([0, 1, 1, 0]), scores([0.5, 0.5, 0.5, 0.5]))!, 0.5);
  });

  test('perfect and reversed rankings; undefined on a single class', () => {
    close(rocAuc(positives([0, 0, 1]), scores([0.1, 0.2, 0.3]))!, 1);
    close(rocAuc(positives([1, 0, 0]), scores([0.1, 0.2, 0.3]))!, 0);
    assert.equal(rocAuc(positives([1, 1]), scores([0.1, 0.2])), undefined);
    assert.equal(rocAuc(positives([0, 0]), scores([0.1, 0.2])), undefined);
  });
});

describe('averagePrecision', () => {
  test("scikit-learn's example: step-wise, no interpolation", () => {
    // Thresholds high to low: 0.8 (P 1/1, R 1/2), 0.4 (P 1/2, R 1/2), 0.35 (P 2/3, R 1): 1/2 * 1 + 0 + 1/2 * 2/3 = 5/6.
    close(averagePrecision(positives([0, 0, 1, 1]), scores([0.1, 0.4, 0.35, 0.8]))!, 5 / 6);
  });

  test('tied scores form one threshold', () => {
    // 0.9 (P 1/1, R 1/2), then 0.5 with one positive and one negative at once (P 2/3, R 1): 1/2 + 1/2 * 2/3.
    close(averagePrecision(positives([0, 1, 0, 1]), scores([0.5, 0.5, 0.2, 0.9]))!, 5 / 6);
    // All tied: one threshold with every row, precision = the positive rate.
    close(averagePrecision(positives([0, 1, 1, 0]), scores([0.5, 0.5, 0.5, 0.5]))!, 0.5);
    assert.equal(averagePrecision(positives([0, 0]), scores([0.1, 0.2])), undefined);
  });
});

describe('classReport', () => {
  // Supports: a 3, b 2, c 1, d 1.
  const t = Int32Array.from([0, 0, 0, 1, 1, 2, 3]);
  const p = Int32Array.from([0, 1, 0, 1, 3, 2, 0]);
  const labels = ['a', 'b', 'c', 'd'];

  test('lists every class and the full matrix up to the limit', () => {
    const report = classReport(t, p, classificationMetrics(t, p, labels));
    assert.equal(report.classCount, 4);
    assert.equal(report.note, undefined);
    assert.deepEqual(report.confusionMatrix.labels, labels);
    assert.deepEqual(report.confusionMatrix.counts, [
      [2, 1, 0, 0],
      [0, 1, 0, 1],
      [0, 0, 1, 0],
      [1, 0, 0, 0],
    ]);
    assert.deepEqual(report.perClass.map((c) => c.label), labels);
  });

  test('beyond the limit keeps the classes with the most rows and sums the others in one row and column', () => {
    const report = classReport(t, p, classificationMetrics(t, p, labels), { maxClasses: 2 });
    assert.equal(report.classCount, 4);
    assert.deepEqual(report.perClass.map((c) => c.label), ['a', 'b']);
    assert.deepEqual(report.confusionMatrix.labels, ['a', 'b', '(2 other classes)']);
    // b -> d and c -> c, d -> a fold into the last row and column; every row is still counted.
    assert.deepEqual(report.confusionMatrix.counts, [
      [2, 1, 0],
      [0, 1, 1],
      [1, 0, 1],
    ]);
    assert.match(report.note!, /4 classes: the 2 with the most test rows/);
  });

  test('stays bounded with thousands of classes', () => {
    const k = 5000;
    const many = Int32Array.from({ length: 20_000 }, (_, i) => i % k);
    const shifted = Int32Array.from(many, (c) => (c + 1) % k);
    const m = classificationMetrics(many, shifted, Array.from({ length: k }, (_, c) => `c${c}`));
    assert.equal(m.confusionMatrix, undefined);
    const report = classReport(many, shifted, m);
    assert.equal(report.perClass.length, 50);
    assert.equal(report.confusionMatrix.counts.length, 51);
    assert.equal(report.confusionMatrix.counts.flat().reduce((a, b) => a + b, 0), 20_000);
    assert.ok(JSON.stringify(report).length < 50_000);
  });
});

/** A classifier whose probabilities are given, one row per test row. */
function fixedModel(proba: number[][]): TrainedModel & { predictProba(x: Matrix): Float64Array } {
  const flat = Float64Array.from(proba.flat());
  return {
    type: 'logistic_regression',
    predictProba: () => flat,
    predict: () => argmaxRows(flat, proba.length, proba[0].length),
    serialize: () => ({ type: 'logistic_regression', featureCount: 1, state: {} }),
  };
}

describe('classificationEvaluation', () => {
  const x = (rows: number): Matrix => ({ rows, cols: 1, data: new Float64Array(rows) });

  test('binary: ranks the second class by its probability', () => {
    const model = fixedModel([[0.9, 0.1], [0.6, 0.4], [0.65, 0.35], [0.2, 0.8]]);
    const e = classificationEvaluation(model, x(4), { task: 'classification', classes: ['no', 'yes'], y: Int32Array.from([0, 0, 1, 1]) });
    close(e.metrics.accuracy, 3 / 4);
    close(e.metrics.balanced_accuracy, (1 + 1 / 2) / 2);
    close(e.metrics.roc_auc, 0.75);
    close(e.metrics.average_precision, 5 / 6);
    assert.equal(e.classReport.positiveClass, 'yes');
    assert.deepEqual(e.classReport.confusionMatrix, { labels: ['no', 'yes'], counts: [[2, 0], [1, 1]] });
  });

  test('multiclass test sets have roc_auc_ovr only; single-class ones no ranking metric', () => {
    const three = fixedModel([[0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.1, 0.1, 0.8]]);
    const e = classificationEvaluation(three, x(3), { task: 'classification', classes: ['a', 'b', 'c'], y: Int32Array.from([0, 1, 2]) });
    assert.deepEqual(Object.keys(e.metrics), ['accuracy', 'precision_macro', 'recall_macro', 'f1_macro', 'balanced_accuracy', 'roc_auc_ovr']);
    close(e.metrics.roc_auc_ovr, 1);
    assert.equal(e.classReport.positiveClass, undefined);
    const one = classificationEvaluation(fixedModel([[0.3, 0.7], [0.6, 0.4]]), x(2), { task: 'classification', classes: ['a', 'b'], y: Int32Array.from([1, 1]) });
    assert.equal(one.metrics.roc_auc, undefined);
    assert.equal(one.metrics.average_precision, undefined);
    assert.equal(one.metrics.roc_auc_ovr, undefined);
  });

  test('binary roc_auc_ovr equals roc_auc', () => {
    const model = fixedModel([[0.9, 0.1], [0.6, 0.4], [0.65, 0.35], [0.2, 0.8]]);
    const e = classificationEvaluation(model, x(4), { task: 'classification', classes: ['no', 'yes'], y: Int32Array.from([0, 0, 1, 1]) });
    close(e.metrics.roc_auc_ovr, e.metrics.roc_auc);
  });
});

describe('rocAucOvr', () => {
  test('matches scikit-learn roc_auc_score(multi_class="ovr") on a hand-checked case', () => {
    // scikit-learn gives 0.9791667 = 47/48 for these rows (one-vs-rest AUCs 1, 15/16, 1).
    const y = Int32Array.from([0, 1, 2, 0, 1, 2]);
    const proba = Float64Array.from([0.7, 0.2, 0.1, 0.3, 0.4, 0.3, 0.1, 0.3, 0.6, 0.6, 0.2, 0.2, 0.2, 0.3, 0.5, 0.2, 0.2, 0.6]);
    close(rocAucOvr(y, proba, 3)!, 47 / 48);
  });

  test('averages over the classes present; undefined for fewer than two', () => {
    const proba = Float64Array.from([0.7, 0.2, 0.1, 0.2, 0.7, 0.1]);
    close(rocAucOvr(Int32Array.from([0, 1]), proba, 3)!, 1);
    assert.equal(rocAucOvr(Int32Array.from([0, 0]), proba, 3), undefined);
  });
});

describe('regressionMetrics', () => {
  test('match the hand-computed values', () => {
    // Errors 0, -1, 1, 0: mse 2/4, mae 2/4; mean 2.5, total sum of squares 2.25 + 0.25 + 0.25 + 2.25 = 5, r2 = 1 - 2/5.
    const m = regressionMetrics(Float64Array.from([1, 2, 3, 4]), Float64Array.from([1, 3, 2, 4]));
    close(m.mse, 0.5);
    close(m.rmse, Math.sqrt(0.5));
    close(m.mae, 0.5);
    close(m.r2, 0.6);
  });

  test('r2 of constant targets is 1 when predicted exactly, else 0', () => {
    assert.equal(regressionMetrics(Float64Array.from([2, 2]), Float64Array.from([2, 2])).r2, 1);
    assert.equal(regressionMetrics(Float64Array.from([2, 2]), Float64Array.from([2, 3])).r2, 0);
  });
});
