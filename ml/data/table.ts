import { type ColumnType } from '../../contract/params';

/**
 * The columnar in-memory form of a dataset. Numbers live in typed arrays (NaN = missing); strings
 * are dictionary-encoded (code -1 = missing), so a table costs bytes per cell, not objects per row.
 */
export interface NumericColumn {
  readonly name: string;
  /** `boolean` columns hold 0/1; `integer` columns hold whole numbers. */
  readonly type: 'number' | 'integer' | 'boolean';
  readonly values: Float64Array;
}

export interface StringColumn {
  readonly name: string;
  readonly type: 'string';
  readonly codes: Int32Array;
  readonly dictionary: readonly string[];
}

export type Column = NumericColumn | StringColumn;

export interface Table {
  readonly rowCount: number;
  readonly columns: readonly Column[];
}

export interface ColumnSchema {
  readonly name: string;
  readonly type: ColumnType;
  readonly missing: number;
}

export function isMissing(column: Column, row: number): boolean {
  return column.type === 'string' ? column.codes[row] < 0 : Number.isNaN(column.values[row]);
}

export function findColumn(table: Table, name: string): Column | undefined {
  return table.columns.find((c) => c.name === name);
}

export function schemaOf(table: Table): ColumnSchema[] {
  return table.columns.map((column) => {
    let missing = 0;
    for (let row = 0; row < table.rowCount; row++) if (isMissing(column, row)) missing++;
    return { name: column.name, type: column.type, missing };
  });
}

/** The value of one cell as JSON would show it (null when missing). */
export function cellValue(column: Column, row: number): string | number | boolean | null {
  if (isMissing(column, row)) return null;
  if (column.type === 'string') return column.dictionary[column.codes[row]];
  if (column.type === 'boolean') return column.values[row] === 1;
  return column.values[row];
}

/** The table without the given rows (0-based, ascending): e.g. the rows validation quarantined. */
export function withoutRows(table: Table, removed: Int32Array): Table {
  const keep = new Int32Array(table.rowCount - removed.length);
  for (let row = 0, r = 0, k = 0; row < table.rowCount; row++) {
    if (r < removed.length && removed[r] === row) r++;
    else keep[k++] = row;
  }
  const columns = table.columns.map((column): Column => {
    if (column.type === 'string') return { ...column, codes: Int32Array.from(keep, (row) => column.codes[row]) };
    return { ...column, values: Float64Array.from(keep, (row) => column.values[row]) };
  });
  return { rowCount: keep.length, columns };
}
