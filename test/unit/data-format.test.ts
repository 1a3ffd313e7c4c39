import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { baseName, dataFormatOf, formatFromName, resolveFormat, resolveSource } from '../../ml/data/format';
import { DataFormatError, FormatMismatchError, UnsupportedFormatError } from '../../ml/data/errors';

describe('resolveFormat', () => {
  test('reads the format from the extension, in any case', () => {
    assert.equal(resolveFormat('data/iris.csv'), 'csv');
    assert.equal(resolveFormat('data/IRIS.TSV'), 'tsv');
    assert.equal(resolveFormat('rows.json'), 'json');
    assert.equal(resolveFormat('rows.jsonl'), 'jsonl');
    assert.equal(resolveFormat('rows.ndjson'), 'jsonl');
  });

  test('ignores URL query strings and fragments', () => {
    assert.equal(resolveFormat('https://example.com/exports/data.csv?token=abc.json#top'), 'csv');
  });

  test('an explicit format wins when the extension says nothing', () => {
    assert.equal(resolveFormat('https://example.com/export?id=3', 'jsonl'), 'jsonl');
    assert.equal(resolveFormat('data/table.txt', 'tsv'), 'tsv');
    assert.equal(resolveFormat('data/iris.csv', 'csv'), 'csv');
  });

  test('an explicit format contradicting the extension is an error', () => {
    assert.throws(() => resolveFormat('data/iris.csv', 'json'), (error: unknown) => {
      assert.ok(error instanceof FormatMismatchError);
      assert.equal(error.name, 'FormatMismatchError');
      assert.match(error.message, /"json".*iris\.csv.*csv/);
      return true;
    });
  });

  test('an unknown extension without a format names the supported ones', () => {
    for (const source of ['data/table.txt', 'data/noextension', 'https://example.com/download?file=x.csv', 'data/export.gz']) {
      assert.throws(() => resolveFormat(source), (error: unknown) => {
        assert.ok(error instanceof UnsupportedFormatError);
        assert.equal(error.name, 'UnsupportedFormatError');
        assert.match(error.message, /csv, tsv, json, jsonl, parquet, xlsx/);
        assert.match(error.message, /\.parquet, \.xlsx \(optionally followed by \.gz\), or \.zip/);
        return true;
      });
    }
  });

  test('parquet and xlsx, and formats inside .gz and .zip names', () => {
    assert.equal(resolveFormat('data/table.parquet'), 'parquet');
    assert.equal(resolveFormat('data/book.XLSX'), 'xlsx');
    assert.equal(resolveFormat('data/rows.csv.gz'), 'csv');
    assert.equal(resolveFormat('data/rows.jsonl.GZ'), 'jsonl');
    assert.equal(resolveFormat('data/rows.csv.zip'), 'csv');
    assert.equal(resolveFormat('data/export.gz', 'tsv'), 'tsv');
    assert.equal(resolveFormat('.hidden.csv'), 'csv');
  });

  test('a bare .zip leaves the format to its entry, unless one is given', () => {
    assert.deepEqual(resolveSource('data/export.zip'), { format: undefined, compression: 'zip' });
    assert.deepEqual(resolveSource('data/export.zip', { format: 'json' }), { format: 'json', compression: 'zip' });
    assert.throws(() => resolveFormat('data/export.zip'), UnsupportedFormatError);
    assert.deepEqual(resolveSource('https://example.com/dump?id=1', { format: 'csv', compression: 'gzip' }), { format: 'csv', compression: 'gzip' });
  });

  test('an explicit compression contradicting the name is an error', () => {
    assert.throws(() => resolveSource('rows.csv.gz', { compression: 'zip' }), FormatMismatchError);
    assert.throws(() => resolveSource('rows.csv.gz', { compression: 'none' }), FormatMismatchError);
    assert.throws(() => resolveSource('rows.csv.gz', { format: 'json' }), /format "json" was given but "rows.csv.gz" has a csv extension/);
    assert.deepEqual(resolveSource('rows.csv', { compression: 'gzip' }), { format: 'csv', compression: 'gzip' });
  });

  test('names inside archives and from URLs', () => {
    assert.equal(dataFormatOf('export/2024/Rows.NDJSON'), 'jsonl');
    assert.equal(dataFormatOf('README.txt'), undefined);
    assert.deepEqual(formatFromName('https://host/a/b.tsv.gz?sig=x.zip'), { format: 'tsv', compression: 'gzip' });
    assert.equal(baseName('s3://bucket/dir/file.parquet'), 'file.parquet');
  });
});

describe('DataFormatError', () => {
  test('names file, line and column when known', () => {
    const error = new DataFormatError('bad value', { file: 'a.csv', line: 7, column: 'price' });
    assert.equal(error.name, 'DataFormatError');
    assert.equal(error.message, 'a.csv, line 7, column "price": bad value');
    assert.deepEqual([error.file, error.line, error.column], ['a.csv', 7, 'price']);
    assert.equal(new DataFormatError('bad value').message, 'bad value');
    const cell = new DataFormatError('bad cell', { file: 'b.xlsx', sheet: 'Q3', row: 12, column: 'x' });
    assert.equal(cell.message, 'b.xlsx, sheet "Q3", row 12, column "x": bad cell');
    assert.deepEqual([cell.sheet, cell.row], ['Q3', 12]);
  });
});
