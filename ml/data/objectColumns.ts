import { type Table } from './table';
import { DataFormatError, type DataLocation } from './errors';
import { ColumnBuilder } from './infer';

export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
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
 * Columns built from plain objects, one per row, added one at a time: the columns are the union of
 * their keys in first-seen order, an absent key or null is missing. Numbers, booleans and strings
 * keep their JSON type (strings are never parsed as numbers); a column mixing types becomes a
 * string column of their text forms. Nested objects and arrays are rejected. A key first seen at
 * row n starts its column with n missing values.
 */
export class ObjectColumns {
  private readonly builders: ColumnBuilder[] = [];
  private readonly byKey = new Map<string, ColumnBuilder>();
  private capacity = 1024;
  rows = 0;

  add(record: unknown, where: DataLocation): void {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      throw new DataFormatError(`expected an object, found ${kindOf(record)}`, where);
    }
    const row = this.rows;
    for (const key of Object.keys(record)) {
      let builder = this.byKey.get(key);
      if (builder === undefined) {
        builder = new ColumnBuilder(key, Math.max(this.capacity, row + 1));
        builder.pushMissing(row);
        this.byKey.set(key, builder);
        this.builders.push(builder);
      }
      const problem = pushValue(builder, (record as Record<string, unknown>)[key]);
      if (problem !== undefined) throw new DataFormatError(problem, { ...where, column: key });
    }
    this.rows = row + 1;
    for (const builder of this.builders) if (builder.length === row) builder.pushMissing();
  }

  /** Sizes every column (and those yet to appear) for about `rows` rows. */
  reserve(rows: number): void {
    this.capacity = Math.max(this.capacity, rows);
    for (const builder of this.builders) builder.reserve(rows);
  }

  finish(): Table {
    return { rowCount: this.rows, columns: this.builders.map((b) => b.finish()) };
  }
}
