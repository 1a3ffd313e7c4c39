import { type PreprocessingSpec } from '../../contract/params';
import { type Column, type NumericColumn, type StringColumn, type Table, findColumn } from '../data/table';
import { PreprocessError } from '../data/errors';
import { DATETIME_PARTS, type DatetimePart, type DatetimeSource, datetimeReader, epochSourceOf } from './datetime';
import {
  type CategoricalFeature,
  type DatetimeFeature,
  type FeatureTransform,
  type FittedTransform,
  type NumericFeature,
  MISSING_CATEGORY,
  outputNames,
} from './transform';

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function median(sorted: Float64Array): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Impute, then scale: the scaler is learnt on the imputed values, as in an sklearn pipeline. The
 * statistics of the imputed values are derived from the observed ones without materialising them.
 */
function fitNumeric(column: NumericColumn, spec: PreprocessingSpec, rows: Int32Array): NumericFeature {
  const { values } = column;
  const total = rows.length;
  const observed = new Float64Array(total);
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < total; i++) {
    const v = values[rows[i]];
    if (Number.isNaN(v)) continue;
    observed[count++] = v;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  let fill = 0;
  if (count > 0 && spec.numericImpute === 'mean') fill = sum / count;
  else if (count > 0 && spec.numericImpute === 'median') fill = median(observed.subarray(0, count).sort());
  const missing = total - count;
  if (missing > 0) {
    sum += missing * fill;
    min = Math.min(min, fill);
    max = Math.max(max, fill);
  }
  const base = { name: column.name, type: column.type, fill };
  if (spec.scaling === 'minmax') return { ...base, center: min, scale: max > min ? max - min : 1 };
  if (spec.scaling === 'none') return { ...base, center: 0, scale: 1 };
  const mean = sum / total;
  let squares = missing * (fill - mean) * (fill - mean);
  for (let i = 0; i < count; i++) squares += (observed[i] - mean) * (observed[i] - mean);
  return { ...base, center: mean, scale: max > min ? Math.sqrt(squares / total) : 1 };
}

/** Categories by count, most frequent first; ties in text order so the result is stable. */
function byFrequency(counts: ReadonlyMap<string, number>): string[] {
  return [...counts.keys()].sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || byText(a, b));
}

/** Categories are counted after imputation: with most_frequent, missing rows add to the top one. */
function fitCategorical(column: StringColumn, spec: PreprocessingSpec, rows: Int32Array, forestCodes?: number): CategoricalFeature {
  const codeCounts = new Float64Array(column.dictionary.length);
  let missing = 0;
  for (const row of rows) {
    const code = column.codes[row];
    if (code < 0) missing++;
    else codeCounts[code]++;
  }
  const counts = new Map<string, number>();
  column.dictionary.forEach((text, code) => {
    if (codeCounts[code] > 0) counts.set(text, codeCounts[code]);
  });
  const fill = spec.categoricalImpute === 'most_frequent' && counts.size > 0 ? byFrequency(counts)[0] : MISSING_CATEGORY;
  if (missing > 0) counts.set(fill, (counts.get(fill) ?? 0) + missing);
  const ranked = byFrequency(counts);
  const base = { name: column.name, type: 'string' as const, fill };
  if (forestCodes !== undefined) {
    // One code per kept category plus the `other` code, so every code is a bin of its own.
    const kept = ranked.slice(0, forestCodes - 1);
    return { ...base, encoding: 'ordinal', categories: kept.sort(byText), other: true };
  }
  if (!spec.oneHot) return { ...base, encoding: 'ordinal', categories: ranked.sort(byText), other: false };
  const pooled = ranked.length > spec.maxCategories;
  const kept = pooled ? ranked.slice(0, spec.maxCategories - 1) : ranked;
  return { ...base, encoding: 'one_hot', categories: kept.sort(byText), other: pooled };
}

/**
 * A numeric or boolean column as categories, each value by its text: the same text applyTransform
 * reads such a column by, so the categories match at prediction.
 */
function asStringColumn(column: NumericColumn): StringColumn {
  const index = new Map<number, number>();
  const dictionary: string[] = [];
  const codes = Int32Array.from(column.values, (value) => {
    if (Number.isNaN(value)) return -1;
    let code = index.get(value);
    if (code === undefined) {
      index.set(value, (code = dictionary.length));
      dictionary.push(column.type === 'boolean' ? String(value === 1) : String(value));
    }
    return code;
  });
  return { name: column.name, type: 'string', codes, dictionary };
}

/**
 * The parts of a datetime column that vary in the training rows, each fitted like a numeric column
 * of its own; the days since 1970 are always kept, so a constant column still has its one output.
 * The hour is kept only for cells with a time of day.
 */
function fitDatetime(column: Column, spec: PreprocessingSpec, rows: Int32Array): DatetimeFeature {
  const source: DatetimeSource = column.type === 'string' ? 'iso' : epochSourceOf(Float64Array.from(rows, (row) => column.values[row]).filter((v) => !Number.isNaN(v)));
  const at = datetimeReader(column, source);
  const values = Array.from(rows, at);
  const identity = Int32Array.from(rows, (_, i) => i);
  const hasTime = values.some((v) => v?.hasTime === true);
  const parts = DATETIME_PARTS.flatMap((part: DatetimePart) => {
    if (part === 'hour' && !hasTime) return [];
    const partValues = Float64Array.from(values, (v) => (v === undefined ? NaN : v[part]));
    const seen = new Set(partValues.filter((v) => !Number.isNaN(v)));
    if (part !== 'days' && seen.size < 2) return [];
    const { fill, center, scale } = fitNumeric({ name: column.name, type: 'number', values: partValues }, spec, identity);
    return [{ part, fill, center, scale }];
  });
  return { name: column.name, type: 'datetime', source, parts };
}

/** How a column is fitted: by its type when not given (strings as categories, the rest as numbers). */
export type FitAs = 'numeric' | 'categorical' | 'datetime';

function fitColumn(column: Column, as: FitAs | undefined, spec: PreprocessingSpec, rows: Int32Array, forestCodes?: number): FeatureTransform {
  const kind = as ?? (column.type === 'string' ? 'categorical' : 'numeric');
  if (kind === 'datetime') return fitDatetime(column, spec, rows);
  if (kind === 'categorical') return fitCategorical(column.type === 'string' ? column : asStringColumn(column), spec, rows, forestCodes);
  if (column.type === 'string') throw new PreprocessError(`feature ${column.name} holds strings and cannot be numeric`, column.name);
  return fitNumeric(column, spec, rows);
}

export interface FitOptions {
  /**
   * For forests: string features become ordinal codes, at most this many (the most frequent
   * categories, plus one `other` code for the rest and for those unseen in training).
   */
  readonly forestCodes?: number;
  /** How each named column is fitted, when not by its type (see FitAs). */
  readonly as?: Readonly<Record<string, FitAs>>;
}

/**
 * Learns the feature transforms from the training rows only: per numeric feature (booleans
 * included) the fill of missing values and the scaling; per string feature the fill and the
 * categories of its one-hot or ordinal encoding; per datetime feature its parts (see fitDatetime).
 * A feature with no training value fills with 0 (numbers) or '__missing__' (strings).
 */
export function fitTransform(table: Table, features: readonly string[], spec: PreprocessingSpec, trainRows: Int32Array, options: FitOptions = {}): FittedTransform {
  if (trainRows.length === 0) throw new PreprocessError('no training rows to fit the feature transforms on');
  const fitted = features.map((name): FeatureTransform => {
    const column = findColumn(table, name);
    if (column === undefined) throw new PreprocessError(`feature column ${name} not found`, name);
    return fitColumn(column, Object.hasOwn(options.as ?? {}, name) ? options.as?.[name] : undefined, spec, trainRows, options.forestCodes);
  });
  return { version: 1, features: fitted, featureNames: fitted.flatMap(outputNames) };
}
