import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveFormat } from '../../ml/data/format';
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
    for (const source of ['data/table.parquet', 'data/noextension', 'https://example.com/download?file=x.csv']) {
      assert.throws(() => resolveFormat(source), (error: unknown) => {
        assert.ok(error instanceof UnsupportedFormatError);
        assert.equal(error.name, 'UnsupportedFormatError');
        assert.match(error.message, /csv, tsv, json, jsonl/);
        return true;
      });
    }
  });
});

describe('DataFormatError', () => {
  test('names file, line and column when known', () => {
    const error = new DataFormatError('bad value', { file: 'a.csv', line: 7, column: 'price' });
    assert.equal(error.name, 'DataFormatError');
    assert.equal(error.message, 'a.csv, line 7, column "price": bad value');
    assert.deepEqual([error.file, error.line, error.column], ['a.csv', 7, 'price']);
    assert.equal(new DataFormatError('bad value').message, 'bad value');
  });
});
