import { type ValidationRules } from '../../contract/params';
import { type Column, type Table } from '../data/table';
import { type CheckedExpectation, RowCollector, columnOrFailure, isColumn, plural, rowList } from './report';

export type NotNullRule = ValidationRules['notNull'][number];

/** A plain loop per storage kind: this runs over every row of every not-null column. */
function missingRows(column: Column, rowCount: number, keepAll: boolean): RowCollector {
  const found = new RowCollector(keepAll);
  if (column.type === 'string') {
    const codes = column.codes;
    for (let row = 0; row < rowCount; row++) if (codes[row] < 0) found.add(row);
  } else {
    const values = column.values;
    for (let row = 0; row < rowCount; row++) if (values[row] !== values[row]) found.add(row);
  }
  return found;
}

function percent(fraction: number): string {
  return `${+(fraction * 100).toPrecision(3)}%`;
}

/**
 * No missing value in the column, or (with maxNullFraction) at most that fraction of the rows
 * missing. Observed is the count of missing values; the first rows holding one are listed.
 */
export function checkNotNull(table: Table, rule: NotNullRule, keepAll = false): CheckedExpectation {
  const { column: name, maxNullFraction } = typeof rule === 'string' ? { column: rule, maxNullFraction: 0 } : rule;
  const column = columnOrFailure(table, 'notNull', name);
  if (!isColumn(column)) return column;
  const missing = missingRows(column, table.rowCount, keepAll);
  const fraction = table.rowCount === 0 ? 0 : missing.count / table.rowCount;
  const passed = fraction <= maxNullFraction;
  if (maxNullFraction === 0) {
    if (passed) return { expectation: 'notNull', column: name, passed, observed: 0, message: `column ${name}: no missing values` };
    return { expectation: 'notNull', column: name, passed, observed: missing.count, message: `column ${name}: ${plural(missing.count, 'missing value')} ${rowList(missing)}`, failingRows: missing.rows, allRows: missing.all };
  }
  const share = `${plural(missing.count, 'missing value')} (${percent(fraction)} of rows)`;
  return {
    expectation: 'notNull',
    column: name,
    passed,
    observed: missing.count,
    message: passed ? `column ${name}: ${share}, at most ${percent(maxNullFraction)} allowed` : `column ${name}: ${share}, more than the ${percent(maxNullFraction)} allowed ${rowList(missing)}`,
    ...(passed || missing.rows.length === 0 ? {} : { failingRows: missing.rows, allRows: missing.all }),
  };
}
