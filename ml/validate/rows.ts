import { type Table } from '../data/table';
import { type ExpectationResult, plural } from './report';

export function checkMinRows(table: Table, min: number): ExpectationResult {
  const rows = table.rowCount;
  const passed = rows >= min;
  const message = passed ? `${plural(rows, 'row')}, at least ${min} required` : `expected at least ${plural(min, 'row')}, found ${rows}`;
  return { expectation: 'minRows', passed, observed: rows, message };
}

export function checkMaxRows(table: Table, max: number): ExpectationResult {
  const rows = table.rowCount;
  const passed = rows <= max;
  const message = passed ? `${plural(rows, 'row')}, at most ${max} allowed` : `expected at most ${plural(max, 'row')}, found ${rows}`;
  return { expectation: 'maxRows', passed, observed: rows, message };
}
