import { type ValidationRules } from '../../contract/params';
import { type Column, type Table, cellValue } from '../data/table';
import { parseNumberText } from '../data/numbers';
import { type ExpectationResult, columnOrFailure, isColumn, matchRows, plural, rowList } from './report';

export type AllowedValue = ValidationRules['allowedValues'][string][number];

const MAX_LISTED_VALUES = 5;

/**
 * Whether a non-missing row holds an allowed value. Strings compare by text form (so 1 allows "1"),
 * numbers numerically (so "1.0" allows 1), booleans as true/false (also spelled as text).
 */
function allowedTest(column: Column, allowed: readonly AllowedValue[]): (row: number) => boolean {
  if (column.type === 'string') {
    const texts = new Set(allowed.map(String));
    const ok = column.dictionary.map((text) => texts.has(text));
    return (row) => ok[column.codes[row]];
  }
  if (column.type === 'boolean') {
    const flags = new Set(allowed.map((v) => (typeof v === 'string' ? v.toLowerCase() : v)));
    const ok = [flags.has(false) || flags.has('false'), flags.has(true) || flags.has('true')];
    return (row) => ok[column.values[row]];
  }
  const numbers = new Set(allowed.map((v) => (typeof v === 'number' ? v : typeof v === 'string' ? parseNumberText(v) : NaN)));
  return (row) => numbers.has(column.values[row]);
}

/** Missing values are left to notNull. */
export function checkAllowedValues(table: Table, name: string, allowed: readonly AllowedValue[]): ExpectationResult {
  const column = columnOrFailure(table, 'allowedValues', name);
  if (!isColumn(column)) return column;
  const test = allowedTest(column, allowed);
  const bad = new Set<string>();
  const disallowed = matchRows(table.rowCount, (row) => {
    const value = cellValue(column, row);
    if (value === null || test(row)) return false;
    if (bad.size < MAX_LISTED_VALUES) bad.add(JSON.stringify(value));
    return true;
  });
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
  };
}
