import { type Task } from '../../contract/params';
import { type Table, findColumn, isMissing } from '../data/table';
import { type Targets } from '../models/types';
import { PreprocessError } from '../data/errors';

export interface EncodedTargets {
  readonly targets: Targets;
  /** The table rows that have a target, ascending: `targets.y[i]` belongs to row `rows[i]`. */
  readonly rows: Int32Array;
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The target column as model targets. Classification: the labels are the text of the values
 * (string, integer or boolean columns), the classes are sorted (numerically for integers) and y
 * holds class indices. Regression: the column must hold numbers. Rows without a target are left out.
 */
export function encodeTargets(table: Table, target: string, task: Task): EncodedTargets {
  const column = findColumn(table, target);
  if (column === undefined) throw new PreprocessError(`target column ${target} not found`, target);
  let count = 0;
  for (let row = 0; row < table.rowCount; row++) if (!isMissing(column, row)) count++;
  if (count === 0) throw new PreprocessError(`target column ${target} has no values`, target);
  const rows = new Int32Array(count);
  for (let row = 0, i = 0; row < table.rowCount; row++) if (!isMissing(column, row)) rows[i++] = row;

  if (task === 'regression') {
    if (column.type !== 'number' && column.type !== 'integer') {
      throw new PreprocessError(`target column ${target} is ${column.type}: regression needs a numeric target`, target);
    }
    const y = new Float64Array(count);
    for (let i = 0; i < count; i++) y[i] = column.values[rows[i]];
    return { targets: { task, y }, rows };
  }

  if (column.type === 'number') {
    throw new PreprocessError(`target column ${target} holds fractional numbers: classification needs string, integer or boolean labels`, target);
  }
  const y = new Int32Array(count);
  if (column.type === 'string') {
    const used = new Uint8Array(column.dictionary.length);
    for (const row of rows) used[column.codes[row]] = 1;
    const classes = column.dictionary.filter((_, code) => used[code] === 1).sort(byText);
    const classOfText = new Map(classes.map((label, index) => [label, index]));
    const classOfCode = Int32Array.from(column.dictionary, (label) => classOfText.get(label) ?? -1);
    for (let i = 0; i < count; i++) y[i] = classOfCode[column.codes[rows[i]]];
    return { targets: { task, classes, y }, rows };
  }
  const distinct = new Set<number>();
  for (const row of rows) distinct.add(column.values[row]);
  const values = [...distinct].sort((a, b) => a - b);
  const classOfValue = new Map(values.map((value, index) => [value, index]));
  for (let i = 0; i < count; i++) y[i] = classOfValue.get(column.values[rows[i]]) ?? -1;
  const classes = values.map((value) => (column.type === 'boolean' ? String(value === 1) : String(value)));
  return { targets: { task, classes, y }, rows };
}

/** The warning a run reports when rows had no target: they are left out of both splits, never silently. */
export function missingTargetsWarning(target: string, rows: number): string | undefined {
  if (rows === 0) return undefined;
  return `${rows} ${rows === 1 ? 'row' : 'rows'} without a value in target ${JSON.stringify(target)} ${rows === 1 ? 'was' : 'were'} left out`;
}

/** Index into `encoded.rows` of each table row, -1 for rows without a target. */
function positionsOf(encoded: EncodedTargets): Int32Array {
  const { rows } = encoded;
  const positions = new Int32Array(rows.length === 0 ? 0 : rows[rows.length - 1] + 1).fill(-1);
  rows.forEach((row, position) => (positions[row] = position));
  return positions;
}

/** The class index of a table row, for a stratified split; undefined for regression targets. */
export function classOfRow(encoded: EncodedTargets): ((row: number) => number) | undefined {
  const { targets } = encoded;
  if (targets.task !== 'classification') return undefined;
  const positions = positionsOf(encoded);
  return (row) => targets.y[positions[row]];
}

/** The targets of some table rows (each one of `encoded.rows`), in their order. */
export function selectTargets(encoded: EncodedTargets, rows: Int32Array): Targets {
  const positions = positionsOf(encoded);
  const position = (row: number): number => {
    const p = row < positions.length ? positions[row] : -1;
    if (p < 0) throw new RangeError(`row ${row} has no target`);
    return p;
  };
  const { targets } = encoded;
  if (targets.task === 'classification') return { task: targets.task, classes: targets.classes, y: Int32Array.from(rows, (row) => targets.y[position(row)]) };
  return { task: targets.task, y: Float64Array.from(rows, (row) => targets.y[position(row)]) };
}
