import { type Table, isMissing } from '../data/table';
import { type ExpectationResult, columnOrFailure, isColumn, matchRows, plural, rowList } from './report';

export function checkNotNull(table: Table, name: string): ExpectationResult {
  const column = columnOrFailure(table, 'notNull', name);
  if (!isColumn(column)) return column;
  const missing = matchRows(table.rowCount, (row) => isMissing(column, row));
  if (missing.count === 0) return { expectation: 'notNull', column: name, passed: true, observed: 0, message: `column ${name}: no missing values` };
  return {
    expectation: 'notNull',
    column: name,
    passed: false,
    observed: missing.count,
    message: `column ${name}: ${plural(missing.count, 'missing value')} ${rowList(missing)}`,
    failingRows: missing.rows,
  };
}
