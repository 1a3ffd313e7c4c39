import { type Column, type Table } from '../data/table';
import { type ExpectationResult, columnOrFailure, isColumn, matchRows, plural, rowList } from './report';

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

export function checkUnique(table: Table, name: string): ExpectationResult {
  const column = columnOrFailure(table, 'unique', name);
  if (!isColumn(column)) return column;
  const repeats = matchRows(table.rowCount, repeatTest(column));
  if (repeats.count === 0) return { expectation: 'unique', column: name, passed: true, observed: 0, message: `column ${name}: all values distinct` };
  return {
    expectation: 'unique',
    column: name,
    passed: false,
    observed: repeats.count,
    message: `column ${name}: ${plural(repeats.count, 'duplicate value')} ${rowList(repeats)}`,
    failingRows: repeats.rows,
  };
}
