import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PreprocessingSchema, SplitSchema, ValidationSchema } from '../../contract/params';
import { decodeTable, encodeTable } from '../../ml/data/codec';
import { parseDataset } from '../../ml/data/parse';
import { resolveFormat } from '../../ml/data/format';
import { schemaOf } from '../../ml/data/table';
import { validateTable } from '../../ml/validate';
import { applyTransform, classOfRow, encodeTargets, fitTransform, trainTestSplit } from '../../ml/preprocess';

const source = join(__dirname, '../../examples/data/iris.csv');
const table = parseDataset(readFileSync(source), resolveFormat(source), 'iris.csv');

describe('the Iris example data', () => {
  test('parses into four number columns and the species', () => {
    assert.equal(table.rowCount, 150);
    assert.deepEqual(schemaOf(table), [
      { name: 'sepal_length', type: 'number', missing: 0 },
      { name: 'sepal_width', type: 'number', missing: 0 },
      { name: 'petal_length', type: 'number', missing: 0 },
      { name: 'petal_width', type: 'number', missing: 0 },
      { name: 'species', type: 'string', missing: 0 },
    ]);
    assert.deepEqual(decodeTable(encodeTable(table)), table);
  });

  test('meets realistic expectations', () => {
    const rules = ValidationSchema.parse({
      minRows: 100,
      requiredColumns: ['species'],
      notNull: ['sepal_length', 'species'],
      ranges: [{ column: 'petal_length', min: 0, strictMin: true, max: 10 }],
      allowedValues: { species: ['setosa', 'versicolor', 'virginica'] },
      columnTypes: { sepal_length: 'number', species: 'string' },
    });
    const report = validateTable(table, rules);
    assert.equal(report.passed, true, JSON.stringify(report.expectations.filter((e) => !e.passed)));
    assert.equal(report.expectations.length, 8);
  });

  test('splits 10 flowers of each species into the test set and scales on the rest', () => {
    const encoded = encodeTargets(table, 'species', 'classification');
    assert.ok(encoded.targets.task === 'classification');
    assert.deepEqual(encoded.targets.classes, ['setosa', 'versicolor', 'virginica']);
    const { train, test: held } = trainTestSplit(encoded.rows, SplitSchema.parse({}), classOfRow(encoded));
    assert.equal(held.length, 30);
    const classOf = classOfRow(encoded);
    assert.ok(classOf !== undefined);
    const perClass = [0, 1, 2].map((k) => Array.from(held).filter((row) => classOf(row) === k).length);
    assert.deepEqual(perClass, [10, 10, 10]);
    const features = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];
    const fitted = fitTransform(table, features, PreprocessingSchema.parse({}), train);
    const x = applyTransform(fitted, table, train);
    assert.deepEqual([x.rows, x.cols], [120, 4]);
    const mean = Array.from({ length: 4 }, (_, j) => Array.from({ length: x.rows }, (_, i) => x.data[i * 4 + j]).reduce((s, v) => s + v, 0) / x.rows);
    for (const m of mean) assert.ok(Math.abs(m) < 1e-12);
  });
});
