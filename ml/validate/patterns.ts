import { RE2JS } from 're2js';
import { type Table, cellValue } from '../data/table';
import { type CheckedExpectation, columnOrFailure, isColumn, matchRows, plural, rowList } from './report';

/**
 * Longest value a pattern is matched against. Matching is linear in the value (RE2, no
 * backtracking), so this bounds the work per value; longer values fail the expectation, saying so.
 */
export const MAX_MATCHED_LENGTH = 1000;
const MAX_LISTED_VALUES = 5;

/**
 * Every non-missing value of a string column matches `pattern` as a whole (it is anchored at both
 * ends). Each distinct value is matched once, through the column's dictionary.
 */
export function checkPattern(table: Table, name: string, pattern: string, keepAll = false): CheckedExpectation {
  const column = columnOrFailure(table, 'pattern', name);
  if (!isColumn(column)) return column;
  if (column.type !== 'string') {
    return { expectation: 'pattern', column: name, passed: false, observed: column.type, message: `column ${name} holds ${column.type} values: a pattern needs a string column` };
  }
  // RE2 rather than RegExp: a backtracking engine takes minutes on `a*a*a*a*b` over 1,000 characters.
  // matches() is anchored at both ends.
  const regex = RE2JS.compile(pattern);
  let tooLong = 0;
  const matches = column.dictionary.map((text) => {
    if (text.length > MAX_MATCHED_LENGTH) {
      tooLong++;
      return false;
    }
    return regex.matches(text);
  });
  const bad = new Set<string>();
  const failing = matchRows(table.rowCount, (row) => {
    const code = column.codes[row];
    if (code < 0 || matches[code]) return false;
    if (bad.size < MAX_LISTED_VALUES) bad.add(JSON.stringify(cellValue(column, row)));
    return true;
  }, keepAll);
  if (failing.count === 0) return { expectation: 'pattern', column: name, passed: true, observed: 0, message: `column ${name}: all values match /${pattern}/` };
  const note = tooLong > 0 ? `; values longer than ${MAX_MATCHED_LENGTH} characters are not matched` : '';
  return {
    expectation: 'pattern',
    column: name,
    passed: false,
    observed: failing.count,
    message: `column ${name}: ${plural(failing.count, 'value')} not matching /${pattern}/, e.g. ${[...bad].map((v) => (v.length > 80 ? `${v.slice(0, 77)}…` : v)).join(', ')} ${rowList(failing)}${note}`,
    failingRows: failing.rows,
    allRows: failing.all,
  };
}
