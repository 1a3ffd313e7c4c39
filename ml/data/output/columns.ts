/**
 * A slice of an output column, as written to a predictions file: numbers (NaN = missing), text
 * (null = missing) or booleans (null = missing).
 */
export type OutputColumn =
  | { readonly name: string; readonly type: 'number'; readonly values: Float64Array }
  | { readonly name: string; readonly type: 'string'; readonly values: readonly (string | null)[] }
  | { readonly name: string; readonly type: 'boolean'; readonly values: readonly (boolean | null)[] };

/** The value of one cell as JSON would show it. */
export function outputCell(column: OutputColumn, row: number): string | number | boolean | null {
  const value = column.values[row];
  if (column.type === 'number') return Number.isNaN(value) ? null : value;
  return value;
}

/** Writes a file one chunk of rows at a time; `close` completes it. */
export interface ChunkWriter {
  write(columns: readonly OutputColumn[], rows: number): Promise<void>;
  close(): Promise<void>;
}
