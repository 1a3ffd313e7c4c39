import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DatasetSchema } from '../../contract/params';
import { withMissingTokens } from '../../ml/data/missingTokens';
import { parseDataset } from '../../ml/data/parse';
import { parseDatasetFile } from '../../ml/data/parseFile';
import { type Table, cellValue, findColumn } from '../../ml/data/table';
import { FIXTURES } from '../helpers/tempFiles';

const column = (table: Table, name: string) => {
  const c = findColumn(table, name)!;
  return { type: c.type, values: Array.from({ length: table.rowCount }, (_, row) => cellValue(c, row)) };
};

describe('dataset.missingValues', () => {
  test('csv: "." becomes missing and the column is the numbers it was meant to be; CSV\'s own tokens still apply', () => {
    const table = parseDataset(Buffer.from('a,b,c\n1,x,-999\n.,NA,2.5\n3,.,-999\n'), 'csv', 'm.csv');
    assert.equal(findColumn(table, 'a')?.type, 'string', 'without the option "." is text');
    const cleaned = withMissingTokens(table, ['.', '-999']);
    assert.deepEqual(column(cleaned, 'a'), { type: 'integer', values: [1, null, 3] });
    assert.deepEqual(column(cleaned, 'b'), { type: 'string', values: ['x', null, null] });
    assert.deepEqual(column(cleaned, 'c'), { type: 'number', values: [null, 2.5, null] }, 'a numeric token matches equal numbers');
  });

  test('json and jsonl: string cells equal to a token are missing; true/false left typed as booleans', () => {
    const json = parseDataset(Buffer.from('[{"a": 1, "b": "yes"}, {"a": "NA", "b": ""}, {"a": 2.5, "b": "no"}, {"a": null, "f": "true"}, {"f": "n/a"}]'), 'json', 'm.json');
    const cleaned = withMissingTokens(json, ['NA', '', 'n/a']);
    assert.deepEqual(column(cleaned, 'a'), { type: 'number', values: [1, null, 2.5, null, null] });
    assert.deepEqual(column(cleaned, 'b'), { type: 'string', values: ['yes', null, 'no', null, null] });
    assert.deepEqual(column(cleaned, 'f'), { type: 'boolean', values: [null, null, null, true, null] });
    const jsonl = withMissingTokens(parseDataset(Buffer.from('{"a": "-"}\n{"a": 4}\n'), 'jsonl', 'm.jsonl'), ['-']);
    assert.deepEqual(column(jsonl, 'a'), { type: 'integer', values: [null, 4] });
  });

  test('parquet and xlsx string cells too (the fixtures\' cat column holds a, b, c)', async () => {
    for (const [file, format] of [['sample.pyarrow.gzip.parquet', 'parquet'], ['sample.xlsx', 'xlsx']] as const) {
      const table = await parseDatasetFile(join(FIXTURES, file), format, file, format === 'xlsx' ? { sheet: 'data' } : {});
      const before = column(table, 'cat').values;
      const after = column(withMissingTokens(table, ['a']), 'cat');
      assert.equal(after.type, 'string', file);
      assert.deepEqual(after.values, before.map((v) => (v === 'a' ? null : v)), file);
      assert.ok(after.values.includes(null), file);
    }
  });

  test('no tokens, or none present: the table is returned as it was', () => {
    const table = parseDataset(Buffer.from('a\nx\n'), 'csv', 'm.csv');
    assert.equal(withMissingTokens(table, []), table);
    assert.equal(withMissingTokens(table, ['.']).columns[0], table.columns[0]);
  });

  test('is a dataset field of the run params, bounded', () => {
    assert.deepEqual(DatasetSchema.parse({ source: 'a.csv', target: 'y', missingValues: ['.', ''] }).missingValues, ['.', '']);
    assert.equal(DatasetSchema.safeParse({ source: 'a.csv', target: 'y', missingValues: Array.from({ length: 101 }, (_, i) => String(i)) }).success, false);
  });
});
