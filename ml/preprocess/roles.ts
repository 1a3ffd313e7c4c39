import { type ColumnRole, type ColumnType, type PreprocessingSpec } from '../../contract/params';
import { type Column, type StringColumn, type Table } from '../data/table';
import { PreprocessError } from '../data/errors';
import { parseIsoDatetime } from './datetime';
import { type FitAs } from './fit';

/** A string column is an identifier when nearly every training value differs, over enough rows to tell. */
export const IDENTIFIER_MIN_ROWS = 20;
export const IDENTIFIER_MIN_DISTINCT_SHARE = 0.9;
/** Free text: long values, mostly distinct. */
export const TEXT_MIN_MEAN_LENGTH = 40;
export const TEXT_MIN_DISTINCT_SHARE = 0.5;
/** Columns named in one warning at most; the rest are counted. */
const NAMED_IN_WARNING = 10;

const TRUE_WORDS = new Set(['yes', 'y', 'true', 't', 'on']);
const FALSE_WORDS = new Set(['no', 'n', 'false', 'f', 'off']);

/** One column as preprocess saw it: its role, why, and whether it is a feature. */
export interface ColumnSummary {
  readonly name: string;
  readonly type: ColumnType;
  readonly role: ColumnRole;
  /** e.g. "398 distinct of 398 rows", "set in preprocessing.roles". */
  readonly reason: string;
  readonly used: boolean;
  /** Why a column is not a feature, or how it is used against its role. */
  readonly note?: string;
}

export interface FeaturePlan {
  /** The feature columns, in table order (dataset.features order when named). */
  readonly features: string[];
  readonly as: Record<string, FitAs>;
  /** Every column but the target. */
  readonly columns: ColumnSummary[];
  readonly warnings: string[];
}

interface Inferred {
  readonly role: ColumnRole;
  readonly reason: string;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The role of a string column from its training values (see the thresholds above). */
function inferStringRole(column: StringColumn, rows: Int32Array): Inferred {
  const counts = new Float64Array(column.dictionary.length);
  let present = 0;
  for (const row of rows) {
    const code = column.codes[row];
    if (code >= 0) {
      counts[code]++;
      present++;
    }
  }
  if (present === 0) return { role: 'categorical', reason: 'no value in the training rows' };
  const used = column.dictionary.filter((_, code) => counts[code] > 0);
  const distinct = used.length;
  let length = 0;
  column.dictionary.forEach((text, code) => (length += text.length * counts[code]));
  const meanLength = length / present;

  const dates = used.map(parseIsoDatetime);
  if (dates.every((d) => d !== undefined)) {
    return { role: 'datetime', reason: `ISO 8601 ${dates.some((d) => d.hasTime) ? 'date-times' : 'dates'} in all ${plural(present, 'value')}` };
  }
  const words = used.map((text) => text.trim().toLowerCase());
  if (distinct === 2 && words.some((w) => TRUE_WORDS.has(w)) && words.some((w) => FALSE_WORDS.has(w))) {
    return { role: 'boolean', reason: `two values: ${[...used].sort().join('/')}` };
  }
  const share = distinct / present;
  if (meanLength > TEXT_MIN_MEAN_LENGTH && share >= TEXT_MIN_DISTINCT_SHARE) {
    return { role: 'text', reason: `mean length ${meanLength.toFixed(0)} characters, ${distinct} distinct of ${plural(present, 'row')}` };
  }
  if (present >= IDENTIFIER_MIN_ROWS && share >= IDENTIFIER_MIN_DISTINCT_SHARE) return { role: 'identifier', reason: `${distinct} distinct of ${plural(present, 'row')}` };
  return { role: 'categorical', reason: plural(distinct, 'distinct value') };
}

/** The role a column's training values suggest. Numbers stay numeric: epoch times are declared, not guessed. */
export function inferRole(column: Column, rows: Int32Array): Inferred {
  if (column.type === 'boolean') return { role: 'boolean', reason: 'true/false values' };
  if (column.type !== 'string') return { role: 'numeric', reason: `${column.type} values` };
  return inferStringRole(column, rows);
}

/** How a column of a role is fitted; a role its values cannot take is an error naming the param. */
function fitAs(column: Column, role: ColumnRole): FitAs {
  if (role === 'datetime') {
    if (column.type === 'boolean') throw new PreprocessError(`preprocessing.roles.${column.name}: a boolean column cannot be a datetime`, column.name);
    return 'datetime';
  }
  if (role === 'numeric' || (role === 'boolean' && column.type !== 'string')) {
    if (column.type === 'string') throw new PreprocessError(`preprocessing.roles.${column.name}: the column holds strings and cannot be numeric`, column.name);
    return 'numeric';
  }
  return 'categorical';
}

/** "Name (398 distinct of 398 rows), Notes (...)" with at most NAMED_IN_WARNING named. */
function listed(columns: readonly ColumnSummary[]): string {
  const named = columns.slice(0, NAMED_IN_WARNING).map((c) => `${c.name} (${c.reason})`);
  if (columns.length > NAMED_IN_WARNING) named.push(`and ${columns.length - NAMED_IN_WARNING} more`);
  return named.join(', ');
}

/**
 * Which columns are features and how each is fitted, from the roles inferred on the training rows
 * or set in `preprocessing.roles`. Without `named` (dataset.features) every column but the target
 * and `preprocessing.exclude` is a candidate, and identifiers and free text are left out with a
 * warning: one-hot codes of unique values teach a model nothing that generalises. Named columns are
 * the user's choice and stay, such ones as categories.
 */
export function planFeatures(table: Table, target: string, rows: Int32Array, spec: PreprocessingSpec, named?: readonly string[]): FeaturePlan {
  // Params recorded before roles and exclude existed reach a newer worker without them.
  const overrides: Partial<Record<string, ColumnRole>> = spec.roles ?? {};
  const excluded = new Set<string>(spec.exclude ?? []);
  const wanted = named === undefined ? undefined : new Set(named);
  const as: Record<string, FitAs> = {};
  const columns: ColumnSummary[] = [];
  const dropped: ColumnSummary[] = [];
  const kept: ColumnSummary[] = [];
  for (const column of table.columns) {
    if (column.name === target) continue;
    const override = Object.hasOwn(overrides, column.name) ? overrides[column.name] : undefined;
    const { role, reason } = override === undefined ? inferRole(column, rows) : { role: override, reason: 'set in preprocessing.roles' };
    const base = { name: column.name, type: column.type, role, reason };
    let summary: ColumnSummary;
    if (excluded.has(column.name)) summary = { ...base, used: false, note: 'in preprocessing.exclude' };
    else if (wanted !== undefined && !wanted.has(column.name)) summary = { ...base, used: false, note: 'not in dataset.features' };
    else if (role === 'identifier' || role === 'text') {
      if (wanted === undefined) dropped.push((summary = { ...base, used: false, note: `${role === 'text' ? 'free text' : 'an identifier'}: not a default feature` }));
      else kept.push((summary = { ...base, used: true, note: 'named in dataset.features: used as categorical' }));
    } else summary = { ...base, used: true };
    if (summary.used) as[column.name] = role === 'identifier' || role === 'text' ? 'categorical' : fitAs(column, role);
    columns.push(summary);
  }
  const warnings: string[] = [];
  const ids = dropped.filter((c) => c.role === 'identifier');
  const texts = dropped.filter((c) => c.role === 'text');
  const hint = 'name them in dataset.features or preprocessing.roles to use them';
  if (ids.length > 0) warnings.push(`${plural(ids.length, 'column')} left out of the features as identifiers: ${listed(ids)}; ${hint}`);
  if (texts.length > 0) warnings.push(`${plural(texts.length, 'column')} left out of the features as free text: ${listed(texts)}; ${hint}`);
  if (kept.length > 0) warnings.push(`${plural(kept.length, 'column')} named in dataset.features look like identifiers or free text, used as categories: ${listed(kept)}`);
  const features = named === undefined ? columns.filter((c) => c.used).map((c) => c.name) : [...named];
  return { features, as, columns, warnings };
}

/** One line per column, as the report and the stored summary show it: "Name: identifier (398 distinct of 398 rows), not used". */
export function describeColumn(c: ColumnSummary): string {
  return `${c.name}: ${c.role} (${c.reason})${c.used ? '' : ', not used'}${c.note === undefined ? '' : `; ${c.note}`}`;
}
