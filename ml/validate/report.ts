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
  /** One human sentence, e.g. "column petal_length: 3 values below 0 (1-based data rows 5, 18, 91)". */
  readonly message: string;
  /** The first offending rows as 1-based data rows (the first row after a header is 1), at most MAX_FAILING_ROWS. */
  readonly failingRows?: number[];
  /** Under a quarantine policy, within the limit: the rows this expectation set aside (the run went on without them). */
  readonly quarantined?: number;
}

/** A check's result with, for a rule that quarantines, every offending row (table indices): never written to the report. */
export type CheckedExpectation = ExpectationResult & { readonly allRows?: number[] };

/** What quarantine policies did, or would have done beyond the limit. */
export interface QuarantineSummary {
  /** Distinct rows that failed a quarantining rule. */
  readonly rows: number;
  readonly fraction: number;
  readonly maxFraction: number;
  /** False when over the limit: nothing was set aside and the run fails. */
  readonly applied: boolean;
  /** Per failed quarantining rule, e.g. "range sepal_length": the rows that failed it. */
  readonly byRule: { readonly rule: string; readonly rows: number }[];
  readonly message: string;
  /** The quarantined rows with their reasons (JSON lines), when applied. */
  readonly file?: string;
}

export interface ValidationReport {
  readonly passed: boolean;
  readonly rowCount: number;
  readonly expectations: ExpectationResult[];
  readonly quarantine?: QuarantineSummary;
}

export const MAX_FAILING_ROWS = 5;

/** Rows matching a test: how many, the first few of them, and (when asked for) all of them. */
export interface RowMatches {
  readonly count: number;
  /** 1-based data rows, as people count them in a file or sheet below its header. */
  readonly rows: number[];
  /** Every matching row as a table index (0-based); kept only for rules that quarantine. */
  readonly all?: number[];
}

/** Collects matching rows found by a caller's own loop: the count, the first few, and all when `keepAll`. */
export class RowCollector implements RowMatches {
  count = 0;
  readonly rows: number[] = [];
  readonly all?: number[];

  constructor(keepAll = false) {
    if (keepAll) this.all = [];
  }

  add(row: number): void {
    if (this.count < MAX_FAILING_ROWS) this.rows.push(row + 1);
    this.all?.push(row);
    this.count++;
  }
}

export function matchRows(rowCount: number, test: (row: number) => boolean, keepAll = false): RowMatches {
  const found = new RowCollector(keepAll);
  for (let row = 0; row < rowCount; row++) if (test(row)) found.add(row);
  return found;
}

/** "(1-based data row 5)", "(1-based data rows 5, 18, 91)", or with ", …" when more matched than listed. */
export function rowList(matches: RowMatches): string {
  const more = matches.count > matches.rows.length ? ', …' : '';
  return `(1-based data ${matches.rows.length === 1 ? 'row' : 'rows'} ${matches.rows.join(', ')}${more})`;
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
