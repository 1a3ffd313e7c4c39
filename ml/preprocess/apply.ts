import { type Column, type Table, findColumn, isMissing } from '../data/table';
import { type Matrix } from '../models/types';
import { PreprocessError } from '../data/errors';
import { datetimeReader } from './datetime';
import { type CategoricalFeature, type DatetimeFeature, type FittedTransform, type NumericFeature, outputNames } from './transform';

type RowAt = (i: number) => number;

function writeNumeric(feature: NumericFeature, column: Column, rowAt: RowAt, out: Matrix, offset: number): void {
  if (column.type === 'string') throw new PreprocessError(`feature ${feature.name} must be numeric, as in training, but holds strings`, feature.name);
  const { values } = column;
  const { fill, center, scale } = feature;
  for (let i = 0, at = offset; i < out.rows; i++, at += out.cols) {
    const value = values[rowAt(i)];
    out.data[at] = ((Number.isNaN(value) ? fill : value) - center) / scale;
  }
}

/**
 * The output slot of each row's category: its index in `feature.categories`, the `__other__`
 * slot for unseen ones when there is one, else -1. A numeric or boolean column (as in a prediction
 * request) is read by the text form of its values.
 */
function slotsOf(feature: CategoricalFeature, column: Column, rowAt: RowAt, rows: number): Int32Array {
  const index = new Map(feature.categories.map((category, slot) => [category, slot]));
  const unseen = feature.other ? feature.categories.length : -1;
  const slotOf = (text: string): number => index.get(text) ?? unseen;
  const fillSlot = slotOf(feature.fill);
  const slots = new Int32Array(rows);
  if (column.type === 'string') {
    const byCode = column.dictionary.map(slotOf);
    for (let i = 0; i < rows; i++) {
      const code = column.codes[rowAt(i)];
      slots[i] = code < 0 ? fillSlot : byCode[code];
    }
    return slots;
  }
  const byValue = new Map<number, number>();
  for (let i = 0; i < rows; i++) {
    const value = column.values[rowAt(i)];
    if (Number.isNaN(value)) {
      slots[i] = fillSlot;
      continue;
    }
    let slot = byValue.get(value);
    if (slot === undefined) byValue.set(value, (slot = slotOf(column.type === 'boolean' ? String(value === 1) : String(value))));
    slots[i] = slot;
  }
  return slots;
}

function writeCategorical(feature: CategoricalFeature, column: Column, rowAt: RowAt, out: Matrix, offset: number): void {
  const slots = slotsOf(feature, column, rowAt, out.rows);
  for (let i = 0, at = offset; i < out.rows; i++, at += out.cols) {
    if (feature.encoding === 'ordinal') out.data[at] = slots[i];
    else if (slots[i] >= 0) out.data[at + slots[i]] = 1;
  }
}

/** One output column per fitted part; a cell that spells no datetime takes each part's fill. */
function writeDatetime(feature: DatetimeFeature, column: Column, rowAt: RowAt, out: Matrix, offset: number): void {
  const at = datetimeReader(column, feature.source);
  for (let i = 0, base = offset; i < out.rows; i++, base += out.cols) {
    const value = at(rowAt(i));
    feature.parts.forEach(({ part, fill, center, scale }, j) => {
      out.data[base + j] = ((value === undefined ? fill : value[part]) - center) / scale;
    });
  }
}

/**
 * The feature matrix of `rows` (all rows when omitted) under a fitted transform: the same steps for
 * training, test and prediction tables. A missing feature column, or strings where numbers were
 * fitted, is a PreprocessError naming the feature.
 */
export function applyTransform(fitted: FittedTransform, table: Table, rows?: Int32Array): Matrix {
  const count = rows === undefined ? table.rowCount : rows.length;
  const rowAt: RowAt = rows === undefined ? (i) => i : (i) => rows[i];
  const out: Matrix = { rows: count, cols: fitted.featureNames.length, data: new Float64Array(count * fitted.featureNames.length) };
  let offset = 0;
  for (const feature of fitted.features) {
    const column = findColumn(table, feature.name);
    if (column === undefined) throw new PreprocessError(`feature column ${feature.name} not found`, feature.name);
    if (feature.type === 'string') writeCategorical(feature, column, rowAt, out, offset);
    else if (feature.type === 'datetime') writeDatetime(feature, column, rowAt, out, offset);
    else writeNumeric(feature, column, rowAt, out, offset);
    offset += outputNames(feature).length;
  }
  return out;
}

/** What the transform did to one input row besides encoding it. */
export interface RowIssues {
  /** The row's index in the table (0-based). */
  readonly row: number;
  /** Per categorical feature, the value the model has no category for (unseen in training, or pooled as too rare). */
  readonly unseenCategories?: Record<string, string>;
  /** Features whose missing value was filled with the training fill. */
  readonly missingValues?: string[];
  /** Every feature of the row was missing: its prediction rests on the fills alone. */
  readonly allNull?: true;
}

/** The issues of a transformed table: one entry per row that has any, and counts by feature. */
export interface TransformIssues {
  readonly rows: RowIssues[];
  readonly unseenCategories: Record<string, number>;
  readonly missingValues: Record<string, number>;
  readonly allNullRows: number;
}

interface MutableIssues {
  unseenCategories?: [string, string][];
  missingValues?: string[];
}

/** The text of each of `rows` rows' category that the model does not know, or undefined (missing values included). */
function unseenTexts(feature: CategoricalFeature, column: Column, rowAt: RowAt, rows: number): (string | undefined)[] {
  const known = new Set(feature.categories);
  const out = new Array<string | undefined>(rows);
  if (column.type === 'string') {
    const byCode = column.dictionary.map((text) => (known.has(text) ? undefined : text));
    for (let i = 0; i < rows; i++) {
      const code = column.codes[rowAt(i)];
      out[i] = code < 0 ? undefined : byCode[code];
    }
    return out;
  }
  for (let i = 0; i < rows; i++) {
    const value = column.values[rowAt(i)];
    if (Number.isNaN(value)) continue;
    const text = column.type === 'boolean' ? String(value === 1) : String(value);
    if (!known.has(text)) out[i] = text;
  }
  return out;
}

/** Per row (by position in `rowAt`), what the transform papers over, and the counts by feature. */
function scanIssues(fitted: FittedTransform, table: Table, rowAt: RowAt, rows: number) {
  // Sparse: most rows of a batch have no issue, and a batch is scanned chunk by chunk on its hot path.
  const perRow = new Array<MutableIssues | undefined>(rows);
  // Maps, then Object.fromEntries: a feature may be called `__proto__`.
  const unseenCounts = new Map<string, number>();
  const missingCounts = new Map<string, number>();
  for (const feature of fitted.features) {
    const column = findColumn(table, feature.name);
    if (column === undefined) throw new PreprocessError(`feature column ${feature.name} not found`, feature.name);
    const unseen = feature.type === 'string' ? unseenTexts(feature, column, rowAt, rows) : undefined;
    for (let i = 0; i < rows; i++) {
      const text = unseen?.[i];
      if (isMissing(column, rowAt(i))) {
        ((perRow[i] ??= {}).missingValues ??= []).push(feature.name);
        missingCounts.set(feature.name, (missingCounts.get(feature.name) ?? 0) + 1);
      } else if (text !== undefined) {
        ((perRow[i] ??= {}).unseenCategories ??= []).push([feature.name, text]);
        unseenCounts.set(feature.name, (unseenCounts.get(feature.name) ?? 0) + 1);
      }
    }
  }
  const allNull = (i: number): boolean => fitted.features.length > 0 && perRow[i]?.missingValues?.length === fitted.features.length;
  return { perRow, allNull, unseenCounts, missingCounts };
}

/**
 * `applyTransform` of a whole table, plus what it had to paper over per row: categories the model
 * has no slot for, missing values filled, rows with no feature at all. A separate pass for
 * prediction requests, so the training path pays nothing for it.
 */
export function applyTransformWithIssues(fitted: FittedTransform, table: Table): { x: Matrix; issues: TransformIssues } {
  const x = applyTransform(fitted, table);
  const { perRow, allNull, unseenCounts, missingCounts } = scanIssues(fitted, table, (i) => i, table.rowCount);
  const rows: RowIssues[] = [];
  // forEach skips the holes: rows without an issue cost nothing here.
  perRow.forEach((issues, row) => {
    const { unseenCategories, missingValues } = issues!;
    rows.push({
      row,
      ...(unseenCategories && { unseenCategories: Object.fromEntries(unseenCategories) }),
      ...(missingValues && { missingValues }),
      ...(allNull(row) && { allNull: true as const }),
    });
  });
  const allNullRows = rows.filter((r) => r.allNull).length;
  const issues = { rows, unseenCategories: Object.fromEntries(unseenCounts), missingValues: Object.fromEntries(missingCounts), allNullRows };
  return { x, issues };
}

/** Issue counts of a whole batch, gathered chunk by chunk. */
export interface IssueCounts {
  readonly unseenCategories: Record<string, number>;
  readonly missingValues: Record<string, number>;
  readonly allNullRows: number;
  /** Rows with any issue. */
  readonly rows: number;
}

/** Adds up the issues of a batch's chunks and writes each row's as one line of text (null when it has none). */
export class IssueTally {
  private readonly unseen = new Map<string, number>();
  private readonly missing = new Map<string, number>();
  private allNullRows = 0;
  private rows = 0;

  constructor(private readonly fitted: FittedTransform) {}

  /** The rows `rows` of `table`: one text per row, e.g. `unseen colour=purple; missing size`. */
  chunk(table: Table, rows: Int32Array): (string | null)[] {
    const { perRow, allNull, unseenCounts, missingCounts } = scanIssues(this.fitted, table, (i) => rows[i], rows.length);
    for (const [name, n] of unseenCounts) this.unseen.set(name, (this.unseen.get(name) ?? 0) + n);
    for (const [name, n] of missingCounts) this.missing.set(name, (this.missing.get(name) ?? 0) + n);
    const texts = new Array<string | null>(rows.length).fill(null);
    perRow.forEach((issues, i) => {
      const { unseenCategories, missingValues } = issues!;
      this.rows++;
      const parts: string[] = [];
      if (allNull(i)) {
        this.allNullRows++;
        parts.push('all features missing');
      } else if (missingValues) parts.push(`missing ${missingValues.join(', ')}`);
      if (unseenCategories) parts.push(`unseen ${unseenCategories.map(([name, text]) => `${name}=${text}`).join(', ')}`);
      texts[i] = parts.join('; ');
    });
    return texts;
  }

  counts(): IssueCounts {
    return { unseenCategories: Object.fromEntries(this.unseen), missingValues: Object.fromEntries(this.missing), allNullRows: this.allNullRows, rows: this.rows };
  }
}
