import { type ValidationRules } from '../../contract/params';
import { type Column, type Table, cellValue } from '../data/table';
import { parseNumberText } from '../data/numbers';
import { type CheckedExpectation, RowCollector, columnOrFailure, isColumn, plural, rowList } from './report';

export type AllowedValue = ValidationRules['allowedValues'][string][number];

const MAX_LISTED_VALUES = 5;

/**
 * The rows holding a value that is not allowed (missing values are not looked at). Strings compare
 * by text form (so 1 allows "1"), numbers numerically (so "1.0" allows 1), booleans as true/false
 * (also spelled as text). String columns decide once per dictionary entry.
 */
function disallowedRows(column: Column, rowCount: number, allowed: readonly AllowedValue[], examples: Set<string>, keepAll: boolean): RowCollector {
  const found = new RowCollector(keepAll);
  const add = (row: number) => {
    found.add(row);
    if (examples.size < MAX_LISTED_VALUES) examples.add(JSON.stringify(cellValue(column, row)));
  };
  if (column.type === 'string') {
    const texts = new Set(allowed.map(String));
    const ok = Uint8Array.from(column.dictionary, (text) => (texts.has(text) ? 1 : 0));
    const codes = column.codes;
    for (let row = 0; row < rowCount; row++) {
      const code = codes[row];
      if (code >= 0 && ok[code] === 0) add(row);
    }
    return found;
  }
  const values = column.values;
  if (column.type === 'boolean') {
    const flags = new Set(allowed.map((v) => (typeof v === 'string' ? v.toLowerCase() : v)));
    const okFalse = flags.has(false) || flags.has('false');
    const okTrue = flags.has(true) || flags.has('true');
    for (let row = 0; row < rowCount; row++) {
      const value = values[row];
      if ((value === 0 && !okFalse) || (value === 1 && !okTrue)) add(row);
    }
    return found;
  }
  const numbers = new Set(allowed.map((v) => (typeof v === 'number' ? v : typeof v === 'string' ? parseNumberText(v) : NaN)));
  for (let row = 0; row < rowCount; row++) {
    const value = values[row];
    if (value === value && !numbers.has(value)) add(row);
  }
  return found;
}

/** Missing values are left to notNull. */
export function checkAllowedValues(table: Table, name: string, allowed: readonly AllowedValue[], keepAll = false): CheckedExpectation {
  const column = columnOrFailure(table, 'allowedValues', name);
  if (!isColumn(column)) return column;
  const bad = new Set<string>();
  const disallowed = disallowedRows(column, table.rowCount, allowed, bad, keepAll);
  if (disallowed.count === 0) {
    return { expectation: 'allowedValues', column: name, passed: true, observed: 0, message: `column ${name}: all values allowed` };
  }
  return {
    expectation: 'allowedValues',
    column: name,
    passed: false,
    observed: disallowed.count,
    message: `column ${name}: ${plural(disallowed.count, 'value')} not allowed, e.g. ${[...bad].join(', ')} ${rowList(disallowed)}`,
    failingRows: disallowed.rows,
    allRows: disallowed.all,
  };
}
