import { type Table } from './table';
import { DataFormatError, type DataLocation } from './errors';
import { ColumnBuilder } from './infer';
import { assertUtf8, bomLength } from './utf8';

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Text form of a value already checked to be a scalar or missing; null when missing. */
function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

function fieldOf(record: object, key: string): unknown {
  return Object.hasOwn(record, key) ? (record as Record<string, unknown>)[key] : undefined;
}

/** Pushes one value, or returns what is wrong with it (the caller knows where it is). */
function pushValue(builder: ColumnBuilder, value: unknown): string | undefined {
  if (value === null || value === undefined) {
    builder.pushMissing();
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) return `${value} is not a finite number`;
    builder.pushNumber(value);
  } else if (typeof value === 'string') {
    builder.pushString(value);
  } else if (typeof value === 'boolean') {
    builder.pushBoolean(value);
  } else {
    return `values must be numbers, strings, booleans or null, found ${kindOf(value)}`;
  }
  return undefined;
}

/**
 * A table from plain objects, one per row: the columns are the union of their keys in first-seen
 * order, an absent key or null is missing. Numbers, booleans and strings keep their JSON type
 * (strings are never parsed as numbers); a column mixing types becomes a string column of their
 * text forms. Nested objects and arrays are rejected.
 */
export function tableFromObjects(objects: readonly unknown[], locate: (index: number) => DataLocation): Table {
  const keys = new Set<string>();
  objects.forEach((object, index) => {
    if (typeof object !== 'object' || object === null || Array.isArray(object)) {
      throw new DataFormatError(`expected an object, found ${kindOf(object)}`, locate(index));
    }
    for (const key of Object.keys(object)) keys.add(key);
  });
  const records = objects as readonly object[];
  const columns = [...keys].map((key) => {
    const builder = new ColumnBuilder(key, records.length, (row) => textOf(fieldOf(records[row], key)));
    records.forEach((record, index) => {
      const problem = pushValue(builder, fieldOf(record, key));
      if (problem !== undefined) throw new DataFormatError(problem, { ...locate(index), column: key });
    });
    return builder.finish();
  });
  return { rowCount: records.length, columns };
}

function decode(input: Uint8Array, file: string): string {
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  assertUtf8(bytes, file);
  return bytes.toString('utf8', bomLength(bytes));
}

/** A JSON array of objects; errors name the record index. */
export function parseJson(input: Uint8Array, file: string): Table {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decode(input, file));
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw new DataFormatError(`invalid JSON: ${error.message}`, { file }, { cause: error });
  }
  if (!Array.isArray(parsed)) throw new DataFormatError(`expected a JSON array of objects, found ${kindOf(parsed)}`, { file });
  return tableFromObjects(parsed, (record) => ({ file, record }));
}

/** JSON Lines: one object per line, blank lines skipped; errors name the line. */
export function parseJsonLines(input: Uint8Array, file: string): Table {
  const text = decode(input, file);
  const objects: unknown[] = [];
  const lines: number[] = [];
  let line = 0;
  for (let start = 0; start <= text.length; ) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    line++;
    const content = text.slice(start, end).trim();
    start = end + 1;
    if (content === '') continue;
    try {
      objects.push(JSON.parse(content));
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      throw new DataFormatError(`invalid JSON: ${error.message}`, { file, line }, { cause: error });
    }
    lines.push(line);
  }
  if (objects.length === 0) throw new DataFormatError('empty file: no JSON records', { file });
  return tableFromObjects(objects, (index) => ({ file, line: lines[index] }));
}
