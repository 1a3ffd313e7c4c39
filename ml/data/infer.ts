import { type Column } from './table';
import { DataFormatError } from './errors';
import { parseNumberBytes, parseNumberText } from './numbers';
import * as byteCache from './byteCache';

/**
 * Text cells (CSV, TSV) that mean "no value", in every column: '', 'NA', 'N/A', 'null', 'NULL',
 * 'None'. Matching is exact (case and spaces count). JSON has `null` for this, so its strings are
 * kept verbatim.
 */
export const MISSING_TOKENS: readonly string[] = ['', 'NA', 'N/A', 'null', 'NULL', 'None'];
const MISSING = new Set(MISSING_TOKENS);
const LONGEST_MISSING = Math.max(...MISSING_TOKENS.map((t) => t.length));

/** Texts that spell a non-finite number: rejected in numeric columns, since they are not data. */
const NON_FINITE_TEXT = /^ *[+-]?(?:nan|inf|infinity) *$/i;

export function isMissingText(text: string): boolean {
  return text.length <= LONGEST_MISSING && MISSING.has(text);
}

/** true/false in any case, optionally padded with spaces like numbers. */
const BOOLEAN_TEXT = /^ *(true|false) *$/i;

export function booleanOf(text: string): boolean | undefined {
  const match = BOOLEAN_TEXT.exec(text);
  return match === null ? undefined : match[1].toLowerCase() === 'true';
}

/** The original text of a previous cell of the column, or null when it was missing. */
export type Reread = (row: number) => string | null;

// A local copy: the per-cell path must not read a module export binding (a getter once transpiled).
const NOT_CACHED = byteCache.NOT_CACHED;

/** Capacity left unused beyond this fraction is given back by copying at `finish()`. */
const MAX_SLACK = 1 / 16;

const UNKNOWN = 0;
const NUMERIC = 1;
const BOOLEAN = 2;
const STRING = 3;
type Kind = typeof UNKNOWN | typeof NUMERIC | typeof BOOLEAN | typeof STRING;

/**
 * Builds one typed column cell by cell, inferring its type as it goes:
 * - every non-missing cell a finite number: 'integer' when all are safe whole numbers, else 'number';
 * - every non-missing cell true/false (any case): 'boolean', stored as 0/1;
 * - anything else: 'string', dictionary-encoded in first-seen order;
 * - no value at all: 'number', all NaN.
 * Non-finite numbers ('NaN', 'Infinity', '-inf', or an overflow like 1e999) in a column that is
 * otherwise numeric make `finish()` throw a DataFormatError naming the column and the first line.
 * A column that turns to strings after numbers or booleans re-reads its earlier cells through
 * `reread` to keep their original text, so typed cells never keep their text around. Without
 * `reread` (typed sources such as JSON or Parquet, whose values are their text) earlier cells become
 * the text of their value.
 */
export class ColumnBuilder {
  private kind: Kind = UNKNOWN;
  private size = 0;
  private capacity: number;
  private values: Float64Array;
  private codes = new Int32Array(0);
  private readonly index = new Map<string, number>();
  private readonly dictionary: string[] = [];
  private whole = true;
  private nonFinite: { text: string; line?: number } | undefined;
  private cache: byteCache.ByteCache | undefined;

  constructor(
    readonly name: string,
    capacity: number,
    private readonly reread?: Reread,
    private readonly file?: string,
  ) {
    this.capacity = Math.max(1, capacity);
    this.values = new Float64Array(this.capacity);
  }

  /** Cells pushed so far. */
  get length(): number {
    return this.size;
  }

  /**
   * Makes room for `rows` cells at once. Parsers call it with their estimate of the final row
   * count, so columns are allocated about once instead of doubling (and copying) as they fill.
   */
  reserve(rows: number): void {
    // Estimates creep as the rows seen so far vary: growing by at least a quarter keeps that from
    // copying the column again and again.
    if (rows > this.capacity) this.resize(Math.max(Math.ceil(rows), Math.floor(this.capacity * 1.25)));
  }

  /** Whether the column is still all numbers (or empty): cells may then come pre-parsed through `pushScanned`. */
  get expectsNumbers(): boolean {
    return this.kind === NUMERIC || this.kind === UNKNOWN;
  }

  /** A raw text cell given as bytes [start, end) of valid UTF-8. */
  pushBytes(bytes: Buffer, start: number, end: number, line: number): void {
    this.pushScanned(this.expectsNumbers ? parseNumberBytes(bytes, start, end) : NaN, bytes, start, end, line);
  }

  /** A finite number read from a text cell of a column that still expects numbers: the hot path of numeric CSV. */
  pushFinite(value: number): void {
    this.kind = NUMERIC;
    if (this.whole && !Number.isSafeInteger(value)) this.whole = false;
    if (this.size === this.capacity) this.grow();
    this.values[this.size++] = value;
  }

  /** A raw text cell with `value`, the number its bytes spell (NaN when they don't), already known. */
  pushScanned(value: number, bytes: Buffer, start: number, end: number, line: number): void {
    if (Number.isFinite(value) && this.expectsNumbers) this.number(value);
    else if (start === end) this.pushMissing();
    else if (this.kind === STRING) this.code(this.cachedCode(bytes, start, end));
    else this.pushCell(bytes.toString('utf8', start, end), line);
  }

  /** A raw text cell: missing tokens, numbers and booleans are recognised. */
  pushCell(text: string, line?: number): void {
    if (isMissingText(text)) {
      this.pushMissing();
      return;
    }
    if (this.kind === STRING) {
      this.string(text);
      return;
    }
    if (this.kind === BOOLEAN) {
      const flag = booleanOf(text);
      if (flag !== undefined) {
        this.bool(flag);
      } else {
        this.toStrings();
        this.string(text);
      }
      return;
    }
    const value = parseNumberText(text);
    if (Number.isFinite(value)) {
      this.number(value);
    } else if (!Number.isNaN(value) || NON_FINITE_TEXT.test(text)) {
      this.nonFinite ??= { text, line };
      this.kind = NUMERIC;
      this.put(NaN);
    } else {
      const flag = booleanOf(text);
      if (flag !== undefined && this.kind === UNKNOWN) {
        this.kind = BOOLEAN;
        this.bool(flag);
      } else {
        this.toStrings();
        this.string(text);
      }
    }
  }

  /** A typed finite number (JSON). */
  pushNumber(value: number): void {
    if (this.kind === NUMERIC || this.kind === UNKNOWN) {
      this.number(value);
      return;
    }
    this.toStrings();
    this.string(String(value));
  }

  /** A typed boolean (JSON). */
  pushBoolean(flag: boolean): void {
    if (this.kind === BOOLEAN || this.kind === UNKNOWN) {
      this.kind = BOOLEAN;
      this.bool(flag);
      return;
    }
    this.toStrings();
    this.string(String(flag));
  }

  /** A typed string (JSON): taken verbatim. */
  pushString(text: string): void {
    if (this.kind !== STRING) this.toStrings();
    this.string(text);
  }

  /** Drops the cells from row `rows` on: a record the parser must read again. Types and dictionary stay as they are. */
  truncate(rows: number): void {
    if (rows < this.size) this.size = rows;
  }

  /** One missing cell, or `count` of them (a JSON key first seen after `count` records). */
  pushMissing(count = 1): void {
    for (let k = 0; k < count; k++) {
      if (this.kind === STRING) this.code(-1);
      else this.put(NaN);
    }
  }

  finish(): Column {
    const { name, size } = this;
    if (this.kind === STRING) {
      return { name, type: 'string', codes: trim(this.codes, size), dictionary: this.dictionary };
    }
    if (this.nonFinite !== undefined) {
      throw new DataFormatError(
        `"${this.nonFinite.text}" is not a finite number; leave the cell empty (or NA) for a missing value`,
        { file: this.file, line: this.nonFinite.line, column: name },
      );
    }
    const values = trim(this.values, size);
    if (this.kind === BOOLEAN) return { name, type: 'boolean', values };
    if (this.kind === NUMERIC) return { name, type: this.whole ? 'integer' : 'number', values };
    return { name, type: 'number', values };
  }

  private number(value: number): void {
    this.kind = NUMERIC;
    if (this.whole && !Number.isSafeInteger(value)) this.whole = false;
    this.put(value);
  }

  private bool(flag: boolean): void {
    this.put(flag ? 1 : 0);
  }

  private put(value: number): void {
    if (this.size === this.capacity) this.grow();
    this.values[this.size++] = value;
  }

  private code(code: number): void {
    if (this.size === this.capacity) this.grow();
    this.codes[this.size++] = code;
  }

  private cachedCode(bytes: Buffer, start: number, end: number): number {
    this.cache ??= new byteCache.ByteCache();
    let code = this.cache.find(bytes, start, end);
    if (code === NOT_CACHED) {
      const text = bytes.toString('utf8', start, end);
      code = isMissingText(text) ? -1 : this.intern(text);
      this.cache.remember(bytes, start, end, code);
    }
    return code;
  }

  private string(text: string): void {
    this.code(this.intern(text));
  }

  private intern(text: string): number {
    let code = this.index.get(text);
    if (code === undefined) {
      code = this.dictionary.length;
      this.index.set(text, code);
      this.dictionary.push(text);
    }
    return code;
  }

  private toStrings(): void {
    if (this.kind === STRING) return;
    const codes = new Int32Array(this.capacity);
    if (this.kind === UNKNOWN) {
      codes.fill(-1, 0, this.size);
    } else {
      for (let row = 0; row < this.size; row++) {
        const text = this.reread === undefined ? this.ownText(row) : this.reread(row);
        codes[row] = text === null ? -1 : this.intern(text);
      }
    }
    this.codes = codes;
    this.values = new Float64Array(0);
    this.kind = STRING;
    this.nonFinite = undefined;
  }

  /** The text of a typed cell's own value (JSON, Parquet): what its source would print. */
  private ownText(row: number): string | null {
    const value = this.values[row];
    if (Number.isNaN(value)) return null;
    if (this.kind === BOOLEAN) return value === 1 ? 'true' : 'false';
    return String(value);
  }

  private grow(): void {
    this.resize(this.capacity * 2);
  }

  private resize(capacity: number): void {
    this.capacity = capacity;
    if (this.kind === STRING) {
      const codes = new Int32Array(capacity);
      codes.set(this.codes.subarray(0, this.size));
      this.codes = codes;
    } else {
      const values = new Float64Array(capacity);
      values.set(this.values.subarray(0, this.size));
      this.values = values;
    }
  }
}

/** The first `size` cells; a view when little capacity is unused, so big columns are not copied once more. */
function trim<T extends Float64Array | Int32Array>(array: T, size: number): T {
  if (array.length === size) return array;
  return (array.length - size <= array.length * MAX_SLACK ? array.subarray(0, size) : array.slice(0, size)) as T;
}
