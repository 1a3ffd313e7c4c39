import { type ValidationRules } from '../../contract/params';
import { type Table } from '../data/table';
import { type CheckedExpectation, RowCollector, columnOrFailure, isColumn, plural, rowList } from './report';

export type RangeRule = ValidationRules['ranges'][number];

function interval(rule: RangeRule): string {
  const low = rule.min === undefined ? '(-∞' : `${rule.strictMin ? '(' : '['}${rule.min}`;
  const high = rule.max === undefined ? '∞)' : `${rule.max}${rule.strictMax ? ')' : ']'}`;
  return `${low}, ${high}`;
}

/** Missing values are left to notNull; booleans count as 0/1. */
export function checkRange(table: Table, rule: RangeRule, keepAll = false): CheckedExpectation {
  const name = rule.column;
  const column = columnOrFailure(table, 'range', name);
  if (!isColumn(column)) return column;
  if (column.type === 'string') {
    return { expectation: 'range', column: name, passed: false, observed: 'string', message: `column ${name} holds strings: a range needs a numeric column` };
  }
  const { values } = column;
  const { min = -Infinity, max = Infinity, strictMin, strictMax } = rule;
  // Inside means min <= v <= max (or < for strict bounds); NaN (missing) compares false both ways.
  let belowCount = 0;
  let aboveCount = 0;
  const outside = new RowCollector(keepAll);
  for (let row = 0; row < table.rowCount; row++) {
    const value = values[row];
    if (value < min || (strictMin && value === min)) belowCount++;
    else if (value > max || (strictMax && value === max)) aboveCount++;
    else continue;
    outside.add(row);
  }
  if (outside.count === 0) {
    return { expectation: 'range', column: name, passed: true, observed: 0, message: `column ${name}: all values within ${interval(rule)}` };
  }
  const parts: string[] = [];
  if (belowCount > 0) parts.push(`${plural(belowCount, 'value')} ${strictMin ? 'at or below' : 'below'} ${min}`);
  if (aboveCount > 0) parts.push(`${plural(aboveCount, 'value')} ${strictMax ? 'at or above' : 'above'} ${max}`);
  return {
    expectation: 'range',
    column: name,
    passed: false,
    observed: outside.count,
    message: `column ${name}: ${parts.join(' and ')} ${rowList(outside)}`,
    failingRows: outside.rows,
    allRows: outside.all,
  };
}
