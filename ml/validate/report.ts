import { type Column, type Table, findColumn } from '../data/table';

export type ExpectationName = 'minRows' | 'maxRows' | 'requiredColumn' | 'notNull' | 'unique' | 'range' | 'allowedValues' | 'columnType' | 'pattern' | 'schema';

export interface ExpectationResult {
  readonly expectation: ExpectationName;
  /** The column checked; a compound key's columns joined with " + ". */
  readonly column?: string;
  readonly passed: boolean;
  /**
   * What was measured: a row count, a count of offending values, a column type, or (for the schema
   * contract) the ingested column types; null when the column is absent.
   */
  readonly observed: number | string | Record<string, string> | null;
  /** One human sentence, e.g. "column petal_length: 3 values below 0 (rows 4, 17, 90)". */
  readonly message: string;
  /** The first offending rows (0-based), at most MAX_FAILING_ROWS. */
  readonly failingRows?: number[];
}

export interface ValidationReport {
  readonly passed: boolean;
  readonly rowCount: number;
  readonly expectations: ExpectationResult[];
}

export const MAX_FAILING_ROWS = 5;

/** Rows matching a test: how many, and the first few of them. */
export interface RowMatches {
  readonly count: number;
  readonly rows: number[];
}

/** Collects matching rows found by a caller's own loop: the count, and the first few. */
export class RowCollector {
  count = 0;
  readonly rows: number[] = [];

  add(row: number): void {
    if (this.count < MAX_FAILING_ROWS) this.rows.push(row);
    this.count++;
  }
}

export function matchRows(rowCount: number, test: (row: number) => boolean): RowMatches {
  let count = 0;
  const rows: number[] = [];
  for (let row = 0; row < rowCount; row++) {
    if (!test(row)) continue;
    if (count < MAX_FAILING_ROWS) rows.push(row);
    count++;
  }
  return { count, rows };
}

/** "(row 4)", "(rows 4, 17, 90)" or "(rows 4, 17, 90, 101, 120, …)" when more matched than listed. */
export function rowList(matches: RowMatches): string {
  const more = matches.count > matches.rows.length ? ', …' : '';
  return `(${matches.rows.length === 1 ? 'row' : 'rows'} ${matches.rows.join(', ')}${more})`;
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** The column a rule names, or the failed expectation saying it is absent. */
export function columnOrFailure(table: Table, expectation: ExpectationName, name: string): Column | ExpectationResult {
  return findColumn(table, name) ?? { expectation, column: name, passed: false, observed: null, message: `column ${name} not found` };
}

export function isColumn(value: Column | ExpectationResult): value is Column {
  return 'name' in value;
}
