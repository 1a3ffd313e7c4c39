import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDataset } from '../../ml/data/parse';
import { MISSING_TOKENS } from '../../ml/data/infer';
import { type Column, type Table, cellValue, schemaOf } from '../../ml/data/table';

function column(cells: readonly string[]): Column {
  const table: Table = parseDataset(Buffer.from(`c\n${cells.map((c) => (c === '' ? '""' : c)).join('\n')}\n`), 'csv', 'infer.csv');
  return table.columns[0];
}

function values(c: Column): unknown[] {
  const count = c.type === 'string' ? c.codes.length : c.values.length;
  return Array.from({ length: count }, (_, row) => cellValue(c, row));
}

describe('type inference of text cells', () => {
  test('the documented missing tokens are missing in every type', () => {
    assert.deepEqual(MISSING_TOKENS, ['', 'NA', 'N/A', 'null', 'NULL', 'None']);
    const c = column(['1', ...MISSING_TOKENS, '2']);
    assert.equal(c.type, 'integer');
    assert.deepEqual(values(c), [1, null, null, null, null, null, null, 2]);
    assert.deepEqual(values(column(['x', 'NA', 'None'])), ['x', null, null]);
  });

  test('missing tokens are exact: other spellings are text', () => {
    const c = column(['na', 'none', ' NA']);
    assert.equal(c.type, 'string');
  });

  test('whole numbers are integer, any fraction makes number', () => {
    assert.equal(column(['1', '-2', '30']).type, 'integer');
    assert.equal(column(['1', '2.0']).type, 'integer');
    assert.equal(column(['1', '2.5']).type, 'number');
    assert.equal(column(['1e3', '12']).type, 'integer');
    assert.equal(column(['9007199254740993']).type, 'number');
  });

  test('true/false in any case is boolean, stored as 0/1', () => {
    const c = column(['true', 'FALSE', 'True', 'NA']);
    assert.equal(c.type, 'boolean');
    assert.deepEqual(Array.from(c.values), [1, 0, 1, NaN]);
    assert.deepEqual(values(c), [true, false, true, null]);
  });

  test('mixing numbers, booleans and words gives strings in first-seen order', () => {
    const mixed = column(['1', 'true']);
    assert.equal(mixed.type, 'string');
    assert.deepEqual(values(mixed), ['1', 'true']);
    const words = column(['b', 'a', 'b', 'c', 'a']);
    assert.ok(words.type === 'string');
    assert.deepEqual(words.dictionary, ['b', 'a', 'c']);
    assert.deepEqual(Array.from(words.codes), [0, 1, 0, 2, 1]);
  });

  test('numbers and booleans may be padded with spaces; other text keeps its spaces', () => {
    const table = parseDataset(Buffer.from('a, b, c\n1, 2.5, true\n 3 ,4 , FALSE \n'), 'csv', 'pad.csv');
    assert.deepEqual(
      table.columns.map((c) => [c.name, c.type]),
      [
        ['a', 'integer'],
        [' b', 'number'],
        [' c', 'boolean'],
      ],
    );
    assert.deepEqual(values(table.columns[1]), [2.5, 4]);
    assert.deepEqual(values(table.columns[2]), [true, false]);
    assert.deepEqual(values(column(['x', ' y '])), ['x', ' y ']);
    assert.equal(column(['1 2']).type, 'string');
  });

  test('number-like words stay text', () => {
    for (const text of ['0x10', '1_000', '"1,5"', '12abc', '--1', '1e', '.']) {
      assert.equal(column(['1', text]).type, 'string', text);
    }
  });

  test('a column without values is a number column of NaN', () => {
    const c = column(['', 'NA']);
    assert.equal(c.type, 'number');
    assert.deepEqual(values(c), [null, null]);
  });

  test('schemaOf reports types and missing counts', () => {
    const table = parseDataset(Buffer.from('a,b\n1,x\n,y\nNA,\n'), 'csv', 't.csv');
    assert.deepEqual(schemaOf(table), [
      { name: 'a', type: 'integer', missing: 2 },
      { name: 'b', type: 'string', missing: 1 },
    ]);
  });
});
