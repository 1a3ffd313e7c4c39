import { type ValidationRules } from '../../contract/params';
import { type Column, type Table, isMissing } from '../data/table';
import { type CheckedExpectation, columnOrFailure, isColumn, matchRows, plural, rowList } from './report';

export type UniqueKey = ValidationRules['unique'][number];

/** Whether each row repeats a value of an earlier row; missing values never count as duplicates. */
function repeatTest(column: Column): (row: number) => boolean {
  if (column.type === 'string') {
    const seen = new Uint8Array(column.dictionary.length);
    return (row) => {
      const code = column.codes[row];
      if (code < 0) return false;
      if (seen[code] === 1) return true;
      seen[code] = 1;
      return false;
    };
  }
  const seen = new Set<number>();
  return (row) => {
    const value = column.values[row];
    if (Number.isNaN(value)) return false;
    if (seen.has(value)) return true;
    seen.add(value);
    return false;
  };
}

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);

/** The cell as a number that is equal exactly when the cells are: dictionary code or value (-0 as 0). */
function cellKey(column: Column, row: number): number {
  return column.type === 'string' ? column.codes[row] : column.values[row] + 0;
}

/**
 * Whether each row repeats the key (all columns) of an earlier row; rows with a missing key part
 * are not compared, as in SQL. Rows are bucketed by a 53-bit hash of their key cells, and rows of
 * one bucket compared cell by cell, so no per-row strings or arrays are made.
 */
function compoundRepeatTest(columns: readonly Column[]): (row: number) => boolean {
  const buckets = new Map<number, number | number[]>();
  const sameKey = (a: number, b: number) => columns.every((c) => cellKey(c, a) === cellKey(c, b));
  return (row) => {
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193;
    for (const column of columns) {
      if (isMissing(column, row)) return false;
      bits[0] = cellKey(column, row);
      h1 = Math.imul(h1 ^ words[0], 0x85ebca6b) ^ words[1];
      h2 = Math.imul(h2 ^ words[1], 0xc2b2ae35) ^ words[0];
      h1 = (h1 << 13) | (h1 >>> 19);
    }
    const hash = (h1 >>> 0) * 0x200000 + (h2 >>> 11);
    const earlier = buckets.get(hash);
    if (earlier === undefined) {
      buckets.set(hash, row);
      return false;
    }
    const rows = typeof earlier === 'number' ? [earlier] : earlier;
    if (rows.some((other) => sameKey(other, row))) return true;
    rows.push(row);
    if (typeof earlier === 'number') buckets.set(hash, rows);
    return false;
  };
}

export function checkUnique(table: Table, key: UniqueKey, keepAll = false): CheckedExpectation {
  const names = typeof key === 'string' ? [key] : key;
  const label = names.join(' + ');
  const columns: Column[] = [];
  for (const name of names) {
    const column = columnOrFailure(table, 'unique', name);
    if (!isColumn(column)) return names.length === 1 ? column : { ...column, column: label, message: `column ${name} of key ${label} not found` };
    columns.push(column);
  }
  const compound = columns.length > 1;
  const repeats = matchRows(table.rowCount, compound ? compoundRepeatTest(columns) : repeatTest(columns[0]), keepAll);
  const subject = compound ? `columns ${label}` : `column ${label}`;
  if (repeats.count === 0) return { expectation: 'unique', column: label, passed: true, observed: 0, message: `${subject}: all ${compound ? 'keys' : 'values'} distinct` };
  return {
    expectation: 'unique',
    column: label,
    passed: false,
    observed: repeats.count,
    message: `${subject}: ${plural(repeats.count, compound ? 'duplicate key' : 'duplicate value')} ${rowList(repeats)}`,
    failingRows: repeats.rows,
    allRows: repeats.all,
  };
}
