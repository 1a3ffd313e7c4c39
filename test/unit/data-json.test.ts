import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDataset } from '../../ml/data/parse';
import { tableFromRecords } from '../../ml/data/records';
import { DataFormatError } from '../../ml/data/errors';
import { type Table, cellValue } from '../../ml/data/table';

const json = (text: string): Table => parseDataset(Buffer.from(text), 'json', 'rows.json');
const jsonl = (text: string): Table => parseDataset(Buffer.from(text), 'jsonl', 'rows.jsonl');

function rowsOf(table: Table): unknown[][] {
  return Array.from({ length: table.rowCount }, (_, row) => table.columns.map((c) => cellValue(c, row)));
}

describe('JSON array of objects', () => {
  test('columns are the union of keys in first-seen order, absent keys missing', () => {
    const table = json('[{"a": 1, "b": "x"}, {"c": true, "a": 2.5}, {"b": null}]');
    assert.deepEqual(
      table.columns.map((c) => [c.name, c.type]),
      [
        ['a', 'number'],
        ['b', 'string'],
        ['c', 'boolean'],
      ],
    );
    assert.deepEqual(rowsOf(table), [
      [1, 'x', null],
      [2.5, null, true],
      [null, null, null],
    ]);
  });

  test('JSON strings are kept verbatim, never parsed as numbers or missing', () => {
    const table = json('[{"s": "1"}, {"s": "NA"}, {"s": ""}]');
    assert.equal(table.columns[0].type, 'string');
    assert.deepEqual(rowsOf(table), [['1'], ['NA'], ['']]);
  });

  test('a column mixing numbers and strings becomes strings of their text', () => {
    const table = json('[{"v": 1}, {"v": 2.5}, {"v": "x"}, {"v": null}, {"v": false}]');
    assert.equal(table.columns[0].type, 'string');
    assert.deepEqual(rowsOf(table), [['1'], ['2.5'], ['x'], [null], ['false']]);
  });

  test('integers stay integers', () => {
    assert.equal(json('[{"n": 1}, {"n": -4}]').columns[0].type, 'integer');
  });

  test('a non-object record names its index', () => {
    assert.throws(
      () => json('[{"a": 1}, [1, 2]]'),
      (error: unknown) => error instanceof DataFormatError && error.record === 1 && /rows\.json, line 1, record 1: expected an object, found an array/.test(error.message),
    );
  });

  test('a nested value names the record and the column', () => {
    assert.throws(
      () => json('[{"a": 1}, {"a": 2}, {"a": {"deep": 1}}]'),
      (error: unknown) => error instanceof DataFormatError && error.record === 2 && error.column === 'a' && /found an object/.test(error.message),
    );
  });

  test('invalid JSON and a non-array top level are errors', () => {
    assert.throws(() => json('[{"a": 1},'), DataFormatError);
    assert.throws(() => json('{"a": 1}'), /expected a JSON array of objects, found an object/);
  });

  test('an empty array is an empty table', () => {
    assert.deepEqual(json('[]'), { rowCount: 0, columns: [] });
  });
});

describe('JSON lines', () => {
  test('one object per line, blank lines skipped, CRLF accepted', () => {
    const table = jsonl('{"a": 1, "b": "x"}\r\n\n   \n{"a": 2}\n');
    assert.deepEqual(rowsOf(table), [
      [1, 'x'],
      [2, null],
    ]);
  });

  test('a bad line is named by its line number', () => {
    assert.throws(
      () => jsonl('{"a": 1}\n\n{"a": 2\n{"a": 3}\n'),
      (error: unknown) => error instanceof DataFormatError && error.line === 3 && /rows\.jsonl, line 3: invalid JSON/.test(error.message),
    );
    assert.throws(
      () => jsonl('{"a": 1}\n"text"\n'),
      (error: unknown) => error instanceof DataFormatError && error.line === 2 && /expected an object, found a string/.test(error.message),
    );
    assert.throws(
      () => jsonl('{"a": 1}\n\n{"a": [1]}\n'),
      (error: unknown) => error instanceof DataFormatError && error.line === 3 && error.column === 'a',
    );
  });

  test('a file without records is an error', () => {
    assert.throws(() => jsonl('\n \n'), /empty file/);
  });

  test('invalid UTF-8 names its line', () => {
    const bytes = Buffer.concat([Buffer.from('{"a": "x"}\n{"a": "'), Buffer.from([0xff]), Buffer.from('"}\n')]);
    assert.throws(() => parseDataset(bytes, 'jsonl', 'rows.jsonl'), (error: unknown) => error instanceof DataFormatError && error.line === 2);
  });
});

describe('tableFromRecords', () => {
  test('types records like JSON', () => {
    const table = tableFromRecords([
      { x: 1.5, color: 'red', flag: true },
      { x: 2, color: null, flag: false, extra: 'e' },
    ]);
    assert.deepEqual(
      table.columns.map((c) => [c.name, c.type]),
      [
        ['x', 'number'],
        ['color', 'string'],
        ['flag', 'boolean'],
        ['extra', 'string'],
      ],
    );
    assert.deepEqual(rowsOf(table), [
      [1.5, 'red', true, null],
      [2, null, false, 'e'],
    ]);
  });

  test('inherited properties are not values', () => {
    const table = tableFromRecords([{ a: 1 }, { toString: 'x' }, { a: 2 }]);
    assert.deepEqual(rowsOf(table), [
      [1, null],
      [null, 'x'],
      [2, null],
    ]);
  });

  test('bad values name the record index', () => {
    assert.throws(() => tableFromRecords([{ a: 1 }, { a: NaN }]), (error: unknown) => error instanceof DataFormatError && error.record === 1 && error.column === 'a');
    assert.throws(() => tableFromRecords([{ a: [1] }]), (error: unknown) => error instanceof DataFormatError && error.record === 0);
  });
});
