import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type PreprocessingSpec, type SplitSpec, PreprocessingSchema, SplitSchema } from '../../contract/params';
import { parseDataset } from '../../ml/data/parse';
import { tableFromRecords } from '../../ml/data/records';
import { PreprocessError } from '../../ml/data/errors';
import { type Table, cellValue } from '../../ml/data/table';
import { type Matrix } from '../../ml/models/types';
import { applyTransform, applyTransformWithIssues, IssueTally, classOfRow, encodeTargets, missingTargetsWarning, fitTransform, selectTargets, trainTestSplit } from '../../ml/preprocess';

const csv = (text: string): Table => parseDataset(Buffer.from(text), 'csv', 'p.csv');
const preprocessing = (input: Partial<PreprocessingSpec> = {}): PreprocessingSpec => PreprocessingSchema.parse(input);
const split = (input: Partial<SplitSpec> = {}): SplitSpec => SplitSchema.parse(input);
const range = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);

function column(x: Matrix, j: number): number[] {
  return Array.from({ length: x.rows }, (_, i) => x.data[i * x.cols + j]);
}

function isPreprocessError(column: string | undefined, message: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof PreprocessError, String(error));
    assert.equal(error.name, 'PreprocessError');
    assert.equal(error.column, column);
    assert.match(error.message, message);
    return true;
  };
}

describe('encodeTargets', () => {
  test('classification: sorted text labels, missing targets left out', () => {
    const table = csv('y\nb\na\nNA\nc\na\n');
    const { targets, rows } = encodeTargets(table, 'y', 'classification');
    assert.deepEqual(Array.from(rows), [0, 1, 3, 4]);
    assert.ok(targets.task === 'classification');
    assert.deepEqual(targets.classes, ['a', 'b', 'c']);
    assert.deepEqual(Array.from(targets.y), [1, 0, 2, 0]);
  });

  test('rows left out for want of a target are a warning naming the count and the target', () => {
    assert.equal(missingTargetsWarning('mpg', 8), '8 rows without a value in target "mpg" were left out');
    assert.equal(missingTargetsWarning('mpg', 1), '1 row without a value in target "mpg" was left out');
    assert.equal(missingTargetsWarning('mpg', 0), undefined);
  });

  test('integer labels sort numerically, booleans as false/true', () => {
    const ints = encodeTargets(csv('y\n10\n2\n-1\n2\n'), 'y', 'classification').targets;
    assert.ok(ints.task === 'classification');
    assert.deepEqual(ints.classes, ['-1', '2', '10']);
    assert.deepEqual(Array.from(ints.y), [2, 1, 0, 1]);
    const flags = encodeTargets(csv('y\ntrue\nfalse\n'), 'y', 'classification').targets;
    assert.ok(flags.task === 'classification');
    assert.deepEqual(flags.classes, ['false', 'true']);
    assert.deepEqual(Array.from(flags.y), [1, 0]);
  });

  test('regression needs numbers', () => {
    const { targets, rows } = encodeTargets(csv('y\n1.5\nNA\n-2\n'), 'y', 'regression');
    assert.deepEqual(targets, { task: 'regression', y: Float64Array.from([1.5, -2]) });
    assert.deepEqual(Array.from(rows), [0, 2]);
    assert.throws(() => encodeTargets(csv('y\na\n'), 'y', 'regression'), isPreprocessError('y', /regression needs a numeric target/));
    assert.throws(() => encodeTargets(csv('y\n0.5\n'), 'y', 'classification'), isPreprocessError('y', /classification needs/));
  });

  test('a missing or empty target column is an error', () => {
    assert.throws(() => encodeTargets(csv('y\n1\n'), 'label', 'classification'), isPreprocessError('label', /target column label not found/));
    assert.throws(() => encodeTargets(csv('y,x\nNA,1\n'), 'y', 'regression'), isPreprocessError('y', /has no values/));
  });

  test('selectTargets and classOfRow follow table rows', () => {
    const encoded = encodeTargets(csv('y\nb\nNA\na\nb\n'), 'y', 'classification');
    const classOf = classOfRow(encoded);
    assert.ok(classOf !== undefined);
    assert.deepEqual([0, 2, 3].map(classOf), [1, 0, 1]);
    assert.deepEqual(selectTargets(encoded, Int32Array.from([3, 2])), { task: 'classification', classes: ['a', 'b'], y: Int32Array.from([1, 0]) });
    assert.throws(() => selectTargets(encoded, Int32Array.from([1])), RangeError);
    assert.equal(classOfRow(encodeTargets(csv('y\n1.5\n'), 'y', 'regression')), undefined);
  });
});

describe('trainTestSplit', () => {
  test('sizes follow testSize (test rounds up), the splits partition the rows', () => {
    const { train, test: held } = trainTestSplit(range(150), split({ testSize: 0.2 }));
    assert.equal(held.length, 30);
    assert.equal(train.length, 120);
    assert.deepEqual(
      [...train, ...held].sort((a, b) => a - b),
      Array.from(range(150)),
    );
    assert.equal(trainTestSplit(range(11), split({ testSize: 0.25 })).test.length, 3);
  });

  test('the same seed gives the same split, another seed another', () => {
    const a = trainTestSplit(range(100), split({ seed: 7 }));
    const b = trainTestSplit(range(100), split({ seed: 7 }));
    const c = trainTestSplit(range(100), split({ seed: 8 }));
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.test, c.test);
  });

  test('stratified: each class keeps its proportion', () => {
    const classOf = (row: number) => (row < 100 ? 0 : row < 150 ? 1 : 2);
    const { train, test: held } = trainTestSplit(range(160), split({ testSize: 0.25 }), classOf);
    const count = (rows: Int32Array, k: number) => Array.from(rows).filter((r) => classOf(r) === k).length;
    assert.equal(held.length, 40);
    // Shares 25, 12.5 and 2.5: the row left after rounding down goes to the larger of the tied classes.
    assert.deepEqual([0, 1, 2].map((k) => count(held, k)), [25, 13, 2]);
    assert.deepEqual([0, 1, 2].map((k) => count(train, k) + count(held, k)), [100, 50, 10]);
  });

  test('stratified: a rare class keeps a training row', () => {
    const classOf = (row: number) => (row < 2 ? 1 : 0);
    for (let seed = 0; seed < 20; seed++) {
      const { train, test: held } = trainTestSplit(range(10), split({ testSize: 0.5, seed }), classOf);
      assert.ok(Array.from(train).some((r) => classOf(r) === 1));
      assert.equal(held.length, 5);
    }
    const singles = trainTestSplit(range(5), split({ testSize: 0.2 }), (row) => (row === 4 ? 1 : 0));
    assert.ok(singles.train.includes(4));
  });

  test('stratify: false or no classOf is a plain shuffle', () => {
    const plain = trainTestSplit(range(50), split({ seed: 3 }));
    assert.deepEqual(trainTestSplit(range(50), split({ seed: 3, stratify: false }), () => 0), plain);
  });

  test('an empty split is an error', () => {
    assert.throws(() => trainTestSplit(range(1), split({ testSize: 0.5 })), isPreprocessError(undefined, /training split of 1 rows empty/));
    assert.throws(() => trainTestSplit(range(0), split()), PreprocessError);
    assert.throws(() => trainTestSplit(range(3), split({ testSize: 0.2 }), (row) => row), isPreprocessError(undefined, /every class has a single row/));
  });
});

describe('fitTransform and applyTransform', () => {
  const table = csv(
    [
      'x,color,flag,y',
      '1,red,true,a',
      '2,blue,false,b',
      'NA,red,true,a',
      '3,green,,b',
      '4,,false,a',
      '1000,purple,true,b',
    ].join('\n'),
  );
  const trainRows = Int32Array.from([0, 1, 2, 3, 4]);

  test('learns only from the training rows: the test row does not move the mean', () => {
    const fitted = fitTransform(table, ['x'], preprocessing(), trainRows);
    const [x] = fitted.features;
    assert.ok(x.type !== 'string' && x.type !== 'datetime');
    assert.equal(x.fill, 2.5);
    assert.equal(x.center, 2.5);
    assert.equal(x.scale, Math.sqrt((1.5 ** 2 + 0.5 ** 2 + 0 + 0.5 ** 2 + 1.5 ** 2) / 5));
  });

  test('standard scaling gives mean 0 and std 1 on the training rows', () => {
    const fitted = fitTransform(table, ['x', 'flag'], preprocessing(), trainRows);
    const x = applyTransform(fitted, table, trainRows);
    for (let j = 0; j < x.cols; j++) {
      const values = column(x, j);
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
      assert.ok(Math.abs(mean) < 1e-12, `mean ${mean}`);
      assert.ok(Math.abs(variance - 1) < 1e-12, `variance ${variance}`);
    }
  });

  test('median and zero imputation, minmax and no scaling, constant columns', () => {
    const median = fitTransform(table, ['x'], preprocessing({ numericImpute: 'median', scaling: 'none' }), trainRows);
    assert.deepEqual(median.features[0], { name: 'x', type: 'integer', fill: 2.5, center: 0, scale: 1 });
    const zero = fitTransform(table, ['x'], preprocessing({ numericImpute: 'zero', scaling: 'minmax' }), trainRows);
    assert.deepEqual(zero.features[0], { name: 'x', type: 'integer', fill: 0, center: 0, scale: 4 });
    assert.deepEqual(column(applyTransform(zero, table, trainRows), 0), [0.25, 0.5, 0, 0.75, 1]);
    const constant = csv('c\n5\n5\n5\n');
    for (const scaling of ['standard', 'minmax'] as const) {
      assert.deepEqual(column(applyTransform(fitTransform(constant, ['c'], preprocessing({ scaling }), range(3)), constant), 0), [0, 0, 0]);
    }
  });

  test('one-hot: sorted categories, most frequent fill, unseen category all zeros', () => {
    const fitted = fitTransform(table, ['color'], preprocessing(), trainRows);
    assert.deepEqual(fitted.features[0], { name: 'color', type: 'string', fill: 'red', encoding: 'one_hot', categories: ['blue', 'green', 'red'], other: false });
    assert.deepEqual(fitted.featureNames, ['color=blue', 'color=green', 'color=red']);
    const x = applyTransform(fitted, table);
    assert.deepEqual(Array.from(x.data), [0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0]);
  });

  test('one-hot beyond maxCategories pools rare and unseen categories into __other__', () => {
    const many = csv(`c\n${['a', 'a', 'a', 'b', 'b', 'c', 'd'].join('\n')}\n`);
    const fitted = fitTransform(many, ['c'], preprocessing({ maxCategories: 3 }), range(7));
    assert.deepEqual(fitted.featureNames, ['c=a', 'c=b', 'c=__other__']);
    const request = applyTransform(fitted, tableFromRecords([{ c: 'b' }, { c: 'd' }, { c: 'never seen' }, { c: null }]));
    assert.deepEqual(Array.from(request.data), [0, 1, 0, 0, 0, 1, 0, 0, 1, 1, 0, 0]);
  });

  test('missing_category imputation and ordinal codes', () => {
    const fitted = fitTransform(table, ['color'], preprocessing({ categoricalImpute: 'missing_category', oneHot: false }), trainRows);
    assert.deepEqual(fitted.features[0], { name: 'color', type: 'string', fill: '__missing__', encoding: 'ordinal', categories: ['__missing__', 'blue', 'green', 'red'], other: false });
    assert.deepEqual(fitted.featureNames, ['color']);
    assert.deepEqual(column(applyTransform(fitted, table), 0), [3, 1, 3, 2, 0, -1]);
  });

  test('applying to a prediction table built from records gives the same rows as the training table', () => {
    const fitted = fitTransform(table, ['x', 'color', 'flag'], preprocessing(), trainRows);
    const fromTable = applyTransform(fitted, table, trainRows);
    const records = Array.from(trainRows, (row) => Object.fromEntries(table.columns.map((c) => [c.name, cellValue(c, row)])));
    const fromRecords = applyTransform(fitted, tableFromRecords(records));
    assert.deepEqual(fromRecords, fromTable);
    assert.deepEqual(fitted.featureNames, ['x', 'color=blue', 'color=green', 'color=red', 'flag']);
    assert.deepEqual(JSON.parse(JSON.stringify(fitted)), fitted);
  });

  test('a categorical feature accepts numbers by their text form', () => {
    const fitted = fitTransform(csv('size\nS\n1\n2\n'), ['size'], preprocessing(), range(3));
    assert.deepEqual(Array.from(applyTransform(fitted, tableFromRecords([{ size: 2 }, { size: 'S' }])).data), [0, 1, 0, 0, 0, 1]);
  });

  test('applyTransformWithIssues: the same matrix, plus unseen categories (numbers by their text), fills and all-null rows per row', () => {
    const fitted = fitTransform(csv('size,x\nS,1\n1,2\n2,3\n'), ['size', 'x'], preprocessing(), range(3));
    const records = [{ size: 2, x: 1 }, { size: 7, x: 1 }, { size: null, x: null }, { size: 'XL', x: null }];
    const { x, issues } = applyTransformWithIssues(fitted, tableFromRecords(records));
    assert.deepEqual(x, applyTransform(fitted, tableFromRecords(records)));
    assert.deepEqual(issues, {
      rows: [
        { row: 1, unseenCategories: { size: '7' } },
        { row: 2, missingValues: ['size', 'x'], allNull: true },
        { row: 3, unseenCategories: { size: 'XL' }, missingValues: ['x'] },
      ],
      unseenCategories: { size: 2 },
      missingValues: { size: 1, x: 2 },
      allNullRows: 1,
    });
  });

  test('IssueTally: a batch chunk by chunk counts what applyTransformWithIssues counts, with one line of text per row', () => {
    const fitted = fitTransform(csv('size,x\nS,1\n1,2\n2,3\n'), ['size', 'x'], preprocessing(), range(3));
    const records = [{ size: 2, x: 1 }, { size: 7, x: 1 }, { size: null, x: null }, { size: 'XL', x: null }, { size: 'S', x: 4 }];
    const batch = tableFromRecords(records);
    const tally = new IssueTally(fitted);
    const texts = [...tally.chunk(batch, Int32Array.of(0, 1)), ...tally.chunk(batch, Int32Array.of(2, 3, 4))];
    assert.deepEqual(texts, [null, 'unseen size=7', 'all features missing', 'missing x; unseen size=XL', null]);
    const whole = applyTransformWithIssues(fitted, batch).issues;
    assert.deepEqual(tally.counts(), { unseenCategories: whole.unseenCategories, missingValues: whole.missingValues, allNullRows: whole.allNullRows, rows: whole.rows.length });
  });

  test('missing or wrong-kind feature columns are errors naming the feature', () => {
    const fitted = fitTransform(table, ['x', 'color'], preprocessing(), trainRows);
    assert.throws(() => applyTransform(fitted, tableFromRecords([{ color: 'red' }])), isPreprocessError('x', /feature column x not found/));
    assert.throws(() => applyTransform(fitted, tableFromRecords([{ x: 'big', color: 'red' }])), isPreprocessError('x', /must be numeric/));
    assert.throws(() => fitTransform(table, ['nope'], preprocessing(), trainRows), isPreprocessError('nope', /feature column nope not found/));
    assert.throws(() => fitTransform(table, ['x'], preprocessing(), new Int32Array(0)), PreprocessError);
  });
});
