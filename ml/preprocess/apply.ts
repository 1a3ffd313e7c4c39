import { type Column, type Table, findColumn } from '../data/table';
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
