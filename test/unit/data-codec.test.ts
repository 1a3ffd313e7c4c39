import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeSplit, decodeTable, encodeSplit, encodeTable } from '../../ml/data/codec';
import { DataFormatError } from '../../ml/data/errors';
import { type Table } from '../../ml/data/table';
import { type Matrix } from '../../ml/models/types';

const table: Table = {
  rowCount: 5,
  columns: [
    { name: 'x', type: 'number', values: Float64Array.from([1.5, NaN, -0, 1e-310, Number.MAX_VALUE]) },
    { name: 'n', type: 'integer', values: Float64Array.from([1, 2, NaN, -4, 9007199254740991]) },
    { name: 'flag', type: 'boolean', values: Float64Array.from([1, 0, NaN, 1, 0]) },
    { name: 'color', type: 'string', codes: Int32Array.from([0, -1, 1, 2, 0]), dictionary: ['red', 'grün', '"quoted"\n'] },
  ],
};

function sameBits(a: Float64Array, b: Float64Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

describe('table codec', () => {
  test('round trips exactly, including NaN, -0 and missing codes', () => {
    const bytes = encodeTable(table);
    assert.equal(bytes.length % 8, 0);
    const decoded = decodeTable(bytes);
    assert.deepEqual(decoded, table);
    for (let i = 0; i < 3; i++) {
      const [a, b] = [table.columns[i], decoded.columns[i]];
      assert.ok(a.type !== 'string' && b.type !== 'string' && sameBits(a.values, b.values));
    }
    assert.ok(Object.is((decoded.columns[0] as { values: Float64Array }).values[2], -0));
  });

  test('decodes from an unaligned view of a larger buffer', () => {
    const bytes = encodeTable(table);
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 3);
    assert.deepEqual(decodeTable(padded.subarray(3)), table);
  });

  test('round trips an empty table and a table without columns', () => {
    const empty: Table = { rowCount: 0, columns: [{ name: 'a', type: 'string', codes: new Int32Array(0), dictionary: [] }] };
    assert.deepEqual(decodeTable(encodeTable(empty)), empty);
    assert.deepEqual(decodeTable(encodeTable({ rowCount: 0, columns: [] })), { rowCount: 0, columns: [] });
  });

  test('garbage, a wrong magic, truncation and corrupt codes are DataFormatErrors', () => {
    const bytes = encodeTable(table);
    assert.throws(() => decodeTable(Buffer.from('definitely not a table')), DataFormatError);
    assert.throws(() => decodeTable(new Uint8Array(0)), /bad magic/);
    const wrongMagic = Buffer.from(bytes);
    wrongMagic.write('XXXX', 0, 'latin1');
    assert.throws(() => decodeTable(wrongMagic), /bad magic/);
    assert.throws(() => decodeTable(bytes.subarray(0, bytes.length - 8)), /truncated/);
    assert.throws(() => decodeTable(Buffer.concat([bytes, Buffer.alloc(8)])), /unexpected bytes/);
    const badHeader = Buffer.from(bytes);
    badHeader.write('!', 8, 'latin1');
    assert.throws(() => decodeTable(badHeader), /corrupt header/);
    const badCode = Buffer.from(bytes);
    badCode.writeInt32LE(7, bytes.length - 8);
    assert.throws(() => decodeTable(badCode), (error: unknown) => error instanceof DataFormatError && /code 7/.test(error.message));
  });

  test('a split is not a table', () => {
    const split = encodeSplit({ x: { rows: 0, cols: 0, data: new Float64Array(0) }, targets: { task: 'regression', y: new Float64Array(0) }, featureNames: [] });
    assert.throws(() => decodeTable(split), /expected an encoded table, found a split/);
    assert.throws(() => decodeSplit(encodeTable(table)), /expected an encoded split, found a table/);
  });
});

describe('split codec', () => {
  const x: Matrix = { rows: 3, cols: 2, data: Float64Array.from([0.1, -2, NaN, 3.25, 1e300, -0]) };

  test('round trips a classification split exactly', () => {
    const split = { x, targets: { task: 'classification' as const, classes: ['a', 'b'], y: Int32Array.from([1, 0, 1]) }, featureNames: ['f1', 'color=red'] };
    const decoded = decodeSplit(encodeSplit(split));
    assert.deepEqual(decoded, split);
    assert.ok(sameBits(decoded.x.data, x.data));
  });

  test('round trips a regression split exactly', () => {
    const split = { x, targets: { task: 'regression' as const, y: Float64Array.from([0.1, 0.2, 0.30000000000000004]) }, featureNames: ['a', 'b'] };
    assert.deepEqual(decodeSplit(encodeSplit(split)), split);
  });

  test('class indices outside the classes are corrupt', () => {
    const bytes = encodeSplit({ x, targets: { task: 'classification', classes: ['a', 'b'], y: Int32Array.from([1, 0, 1]) }, featureNames: ['f1', 'f2'] });
    const bad = Buffer.from(bytes);
    bad.writeInt32LE(-1, bytes.length - 16);
    assert.throws(() => decodeSplit(bad), DataFormatError);
  });

  test('inconsistent shapes are refused when encoding', () => {
    assert.throws(() => encodeSplit({ x, targets: { task: 'regression', y: new Float64Array(2) }, featureNames: ['a', 'b'] }), RangeError);
    assert.throws(() => encodeSplit({ x, targets: { task: 'regression', y: new Float64Array(3) }, featureNames: ['a'] }), RangeError);
  });
});
