import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDatasetFile, readDatasetFile } from '../../ml/data/parseFile';
import { DataFormatError, FormatMismatchError } from '../../ml/data/errors';
import { type Table, cellValue } from '../../ml/data/table';
import { FIXTURES, type TempFiles, tempFiles } from '../helpers/tempFiles';

/**
 * The fixtures are written by test/fixtures/make_fixtures.py with the tools that write them in
 * practice (pandas/pyarrow, Polars, openpyxl, xlsxwriter, gzip, zipfile); each holds the same
 * 50-row table as sample.csv.
 */
const fixture = (name: string) => join(FIXTURES, name);

function snapshot(table: Table): unknown {
  return {
    columns: table.columns.map((c) => [c.name, c.type]),
    rows: Array.from({ length: table.rowCount }, (_, row) => table.columns.map((c) => cellValue(c, row))),
  };
}

function rowsOf(table: Table): unknown[][] {
  return Array.from({ length: table.rowCount }, (_, row) => table.columns.map((c) => cellValue(c, row)));
}

describe('every input format reads to the same table', () => {
  let expected: unknown;
  before(async () => {
    expected = snapshot(await parseDatasetFile(fixture('sample.csv'), 'csv', 'sample.csv'));
  });

  test('the reference CSV: typed columns, missing values, non-ASCII text, dates as text', async () => {
    const table = await parseDatasetFile(fixture('sample.csv'), 'csv', 'sample.csv');
    assert.equal(table.rowCount, 50);
    assert.deepEqual(
      table.columns.map((c) => [c.name, c.type]),
      [
        ['id', 'integer'],
        ['x', 'number'],
        ['name', 'string'],
        ['flag', 'boolean'],
        ['cat', 'string'],
        ['day', 'string'],
      ],
    );
    assert.deepEqual(rowsOf(table).slice(3, 7), [
      [3, null, 'n3', false, 'a', '2024-01-04'],
      [4, -1.25, 'n4', true, 'b', '2024-01-05'],
      [5, -0.75, 'Zürich', false, 'c', '2024-01-06'],
      [6, -0.25, '東京', true, 'a', '2024-01-07'],
    ]);
  });

  for (const [name, format, compression] of [
    ['sample.tsv', 'tsv', 'none'],
    ['sample.jsonl', 'jsonl', 'none'],
    ['sample.csv.gz', 'csv', 'gzip'],
    ['sample.jsonl.gz', 'jsonl', 'gzip'],
    ['sample.pandas.snappy.parquet', 'parquet', 'none'],
    ['sample.pyarrow.gzip.parquet', 'parquet', 'none'],
    ['sample.polars.zstd.parquet', 'parquet', 'none'],
    ['sample.zip', 'csv', 'zip'],
  ] as const) {
    test(`${name}: ${format}${compression === 'none' ? '' : ` in ${compression}`}`, async () => {
      const result = await readDatasetFile(fixture(name), name);
      assert.equal(result.format, format);
      assert.equal(result.compression, compression);
      assert.deepEqual(snapshot(result.table), expected);
    });
  }

  test('a zip archive: the data file is chosen by extension, other files ignored', async () => {
    const result = await readDatasetFile(fixture('sample.zip'), 'sample.zip');
    assert.equal(result.entry, 'export/sample.csv');
  });

  test('Spark-style Parquet: INT96 timestamps become ISO 8601 text', async () => {
    const table = await parseDatasetFile(fixture('sample.spark.snappy.parquet'), 'parquet', 'spark.parquet');
    const ts = table.columns.find((c) => c.name === 'ts')!;
    assert.equal(ts.type, 'string');
    assert.equal(cellValue(ts, 0), '2024-01-01T12:00:00.000Z');
    assert.equal(cellValue(ts, 49), '2024-01-03T13:00:00.000Z');
    assert.deepEqual(snapshot({ rowCount: table.rowCount, columns: table.columns.filter((c) => c.name !== 'ts') }), expected);
  });

  test('Parquet: NaN is missing, infinity and nested columns are errors naming the column', async () => {
    assert.deepEqual(rowsOf(await parseDatasetFile(fixture('nan.parquet'), 'parquet', 'nan.parquet')), [[1.5], [null], [2.5]]);
    await assert.rejects(parseDatasetFile(fixture('infinity.parquet'), 'parquet', 'infinity.parquet'), (error: unknown) => {
      assert.ok(error instanceof DataFormatError);
      assert.deepEqual([error.column, error.record], ['v', 1]);
      assert.match(error.message, /infinity\.parquet, record 1, column "v": Infinity is not a finite number/);
      return true;
    });
    await assert.rejects(parseDatasetFile(fixture('nested.parquet'), 'parquet', 'nested.parquet'), /column "tags": nested columns \(struct, list, map\) are not supported/);
  });

  test('xlsx: the first sheet by default, a chosen sheet by name, an unknown name listed against the real ones', async () => {
    const first = await parseDatasetFile(fixture('sample.xlsx'), 'xlsx', 'sample.xlsx');
    assert.deepEqual(snapshot(first), { columns: [['note', 'string']], rows: [['the data is on the second sheet']] });
    assert.deepEqual(snapshot(await parseDatasetFile(fixture('sample.xlsx'), 'xlsx', 'sample.xlsx', { sheet: 'data' })), expected);
    await assert.rejects(parseDatasetFile(fixture('sample.xlsx'), 'xlsx', 'sample.xlsx', { sheet: 'Data' }), /no sheet named "Data"; the sheets are "notes", "data"/);
  });

  test('xlsx as Excel-like writers make it: shared and rich strings, 1904 dates, date-times, error cells, empty rows', async () => {
    const table = await parseDatasetFile(fixture('shared.xlsx'), 'xlsx', 'shared.xlsx');
    assert.deepEqual(snapshot(table), {
      columns: [
        ['site', 'string'],
        ['when', 'string'],
        ['at', 'string'],
        ['reading', 'number'],
        ['ok', 'boolean'],
      ],
      rows: [
        ['north', '2024-03-01', '2024-03-01T06:30:00.000Z', 1.25, true],
        ['south', '2024-03-02', '2024-03-02T18:00:00.000Z', null, false],
        ['north', '2024-03-03', '2024-03-03T00:00:01.000Z', 3.5, true],
        ['west', null, null, null, false],
      ],
    });
  });
});

describe('format detection and options', () => {
  let files: TempFiles;
  before(async () => {
    files = await tempFiles('data-formats-');
  });
  after(async () => {
    await files.remove();
  });

  test('a custom delimiter', async () => {
    const path = await files.write('semi.csv', 'a;b;c\n1,5;"x;y";3\n');
    const table = await parseDatasetFile(path, 'csv', 'semi.csv', { delimiter: ';' });
    assert.deepEqual(rowsOf(table), [['1,5', 'x;y', 3]]);
    await assert.rejects(parseDatasetFile(path, 'csv', 'semi.csv', { delimiter: '1' }), RangeError);
  });

  test('compression is recognised from the content when the name does not say', async () => {
    const path = join(files.dir, 'download');
    await copyFile(fixture('sample.csv.gz'), path);
    const result = await readDatasetFile(path, 'download', { format: 'csv' });
    assert.equal(result.compression, 'gzip');
    assert.equal(result.table.rowCount, 50);
  });

  test('content that plainly contradicts the format is a FormatMismatchError', async () => {
    const path = join(files.dir, 'really-parquet.csv');
    await copyFile(fixture('sample.pandas.snappy.parquet'), path);
    await assert.rejects(readDatasetFile(path, 'really-parquet.csv'), (error: unknown) => {
      assert.ok(error instanceof FormatMismatchError);
      assert.match(error.message, /"really-parquet\.csv" was expected to be csv but its content is parquet/);
      return true;
    });
    const notParquet = await files.write('fake.parquet', 'a,b\n1,2\n');
    await assert.rejects(readDatasetFile(notParquet, 'fake.parquet'), /fake\.parquet: not a Parquet file/);
    const notXlsx = await files.write('fake.xlsx', 'a,b\n1,2\n');
    await assert.rejects(readDatasetFile(notXlsx, 'fake.xlsx'), /fake\.xlsx: not an xlsx workbook/);
    await assert.rejects(readDatasetFile(fixture('sample.csv'), 'sample.csv', { format: 'json' }), FormatMismatchError);
  });

  test('a truncated Parquet file is a DataFormatError, never a crash', async () => {
    const whole = await readFile(fixture('sample.pandas.snappy.parquet'));
    const cut = await files.write('cut.parquet', Buffer.concat([whole.subarray(0, 1000), whole.subarray(whole.length - 4)]));
    await assert.rejects(readDatasetFile(cut, 'cut.parquet'), DataFormatError);
  });
});
