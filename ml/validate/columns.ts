import { type ColumnType } from '../../contract/params';
import { type Table, findColumn } from '../data/table';
import { type ExpectationResult, columnOrFailure, isColumn } from './report';

export function checkRequiredColumn(table: Table, name: string): ExpectationResult {
  const present = findColumn(table, name) !== undefined;
  return present
    ? { expectation: 'requiredColumn', column: name, passed: true, observed: 'present', message: `column ${name} is present` }
    : { expectation: 'requiredColumn', column: name, passed: false, observed: null, message: `column ${name} not found` };
}

/** An integer column satisfies an expected 'number': whole numbers are numbers. */
export function checkColumnType(table: Table, name: string, expected: ColumnType): ExpectationResult {
  const column = columnOrFailure(table, 'columnType', name);
  if (!isColumn(column)) return column;
  const passed = column.type === expected || (expected === 'number' && column.type === 'integer');
  const message = passed ? `column ${name} is ${column.type}` : `column ${name}: expected type ${expected}, found ${column.type}`;
  return { expectation: 'columnType', column: name, passed, observed: column.type, message };
}
