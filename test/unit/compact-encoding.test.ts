import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LinearRegressionSchema, PreprocessingSchema, RandomForestRegressorSchema } from '../../contract/params';
import { decodeAnySplit, decodeBinnedSplit, encodeBinnedSplit } from '../../ml/data/binnedCodec';
import { encodeSplit, encodeTable } from '../../ml/data/codec';
import { DataFormatError } from '../../ml/data/errors';
import { tableFromRecords } from '../../ml/data/records';
import { type BinnedMatrix, representativeMatrix } from '../../ml/models/binning';
import { isBinned, trainModel } from '../../ml/models';
import { applyTransform, binSplits, encodeTargets, fitTransform, selectTargets } from '../../ml/preprocess';
import { createRng } from '../../ml/random';

const binned: BinnedMatrix = {
  rows: 3,
  cols: 2,
  bins: Uint8Array.from([0, 2, 1, 255, 0, 3]),
  thresholds: [Float64Array.from([0.5, 1.5]), Float64Array.from({ length: 255 }, (_, i) => i + 0.25)],
};

describe('binned split codec', () => {
  test('round trips bins, edges and classification targets exactly', () => {
    const split = { x: binned, targets: { task: 'classification' as const, classes: ['a', 'b'], y: Int32Array.from([1, 0, 1]) }, featureNames: ['x', 'city'] };
    const decoded = decodeBinnedSplit(encodeBinnedSplit(split));
    assert.deepEqual(decoded, split);
  });

  test('round trips regression targets, and decodeAnySplit tells binned from dense splits', () => {
    const split = { x: binned, targets: { task: 'regression' as const, y: Float64Array.from([0.1, -2, 3e10]) }, featureNames: ['x', 'city'] };
    const decoded = decodeAnySplit(encodeBinnedSplit(split));
    assert.ok(isBinned(decoded.x));
    assert.deepEqual(decoded, split);
    const dense = decodeAnySplit(encodeSplit({ x: { rows: 1, cols: 1, data: Float64Array.from([2]) }, targets: { task: 'regression', y: Float64Array.from([1]) }, featureNames: ['x'] }));
    assert.ok(!isBinned(dense.x));
  });

  test('a bin past its feature edges, or a table, is refused as corrupt', () => {
    const bytes = encodeBinnedSplit({ x: binned, targets: { task: 'regression', y: new Float64Array(3) }, featureNames: ['x', 'city'] });
    const bad = Buffer.from(bytes);
    const binsAt = bytes.indexOf(Buffer.from([0, 2, 1, 255, 0, 3]));
    bad[binsAt + 1] = 3;
    assert.throws(() => decodeBinnedSplit(bad), (error: unknown) => error instanceof DataFormatError && /feature x holds bin 3/.test(error.message));
    assert.throws(() => decodeBinnedSplit(encodeTable({ rowCount: 0, columns: [] })), /expected an encoded binned, found a table/);
  });
});

describe('forest preparation', () => {
  const rng = createRng(7);
  const cities = Array.from({ length: 40 }, (_, i) => `c${String(i).padStart(2, '0')}`);
  const records = Array.from({ length: 2000 }, () => {
    const city = cities[rng.nextInt(cities.length)];
    const x = rng.next() * 10;
    return { city, x, y: x + (city < 'c20' ? 5 : 0) + rng.next() };
  });
  const table = tableFromRecords(records);
  const trainRows = Int32Array.from({ length: 1500 }, (_, i) => i);
  const testRows = Int32Array.from({ length: 500 }, (_, i) => 1500 + i);
  const spec = PreprocessingSchema.parse({});

  test('categories become ordinal codes, the rarest beyond the limit and unseen ones share the other code', () => {
    const fitted = fitTransform(table, ['city', 'x'], spec, trainRows, { forestCodes: 11 });
    const [city] = fitted.features;
    assert.ok(city.type === 'string');
    assert.equal(city.encoding, 'ordinal');
    assert.equal(city.categories.length, 10);
    assert.equal(city.other, true);
    assert.deepEqual(fitted.featureNames, ['city', 'x']);
    const raw = tableFromRecords([{ city: city.categories[3], x: 1 }, { city: 'never seen', x: 1 }]);
    const x = applyTransform(fitted, raw);
    assert.deepEqual([x.data[0], x.data[2]], [3, 10]);
  });

  test('binned splits hold a byte per feature and row, and a forest grown on them predicts raw rows as it scored the bins', async () => {
    const fitted = fitTransform(table, ['city', 'x'], spec, trainRows, { forestCodes: 255 });
    const splits = binSplits(fitted, table, trainRows, testRows, 255);
    assert.equal(splits.train.bins.length, trainRows.length * 2);
    assert.deepEqual(splits.test.thresholds, splits.train.thresholds);
    const targets = encodeTargets(table, 'y', 'regression');
    const model = await trainModel(
      { type: 'random_forest_regressor', hyperparameters: RandomForestRegressorSchema.parse({ nTrees: 5, maxDepth: 6, seed: 3 }) },
      splits.train,
      selectTargets(targets, trainRows),
    );
    const fromRaw = model.predict(applyTransform(fitted, table, testRows));
    assert.deepEqual(fromRaw, model.predict(representativeMatrix(splits.test)));
    const withUnseen = tableFromRecords([{ city: 'never seen', x: 4 }]);
    assert.ok(Number.isFinite(model.predict(applyTransform(fitted, withUnseen))[0]), 'an unseen city predicts through the other code');
  });

  test('a linear model refuses binned features by name', async () => {
    await assert.rejects(
      trainModel({ type: 'linear_regression', hyperparameters: LinearRegressionSchema.parse({}) }, binned, { task: 'regression', y: new Float64Array(3) }),
      /linear_regression needs dense features, got binned ones/,
    );
  });
});
