import { type Table } from './table';
import { DataFormatError, type DataLocation } from './errors';
import { type ChunkParser, RowEstimate } from './chunks';
import { DEFAULT_INGEST_LIMITS, formatBytes } from './limits';
import { ObjectColumns } from './objectColumns';
import { bomLength, Utf8Stream } from './utf8';

const LF = 0x0a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;

const BEFORE_ARRAY = 0;
const ELEMENT_OR_END = 1;
const ELEMENT = 2;
const COMMA_OR_END = 3;
const AFTER_ARRAY = 4;
type State = typeof BEFORE_ARRAY | typeof ELEMENT_OR_END | typeof ELEMENT | typeof COMMA_OR_END | typeof AFTER_ARRAY;

function isSpace(c: number): boolean {
  return c === 0x20 || c === LF || c === 0x0d || c === 0x09;
}

/** What a JSON value starting with byte `c` is, for messages. */
function kindStarting(c: number): string {
  if (c === OPEN_OBJECT) return 'an object';
  if (c === OPEN_ARRAY) return 'an array';
  if (c === QUOTE) return 'a string';
  if (c === 0x74 || c === 0x66) return 'a boolean';
  if (c === 0x6e) return 'null';
  if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return 'a number';
  return `${JSON.stringify(String.fromCharCode(c))}`;
}

/**
 * A JSON array of objects, chunk by chunk. The array's structure (brackets, commas, where each
 * element ends) is scanned here byte by byte; each element object is then handed to JSON.parse on
 * its own, so the whole document is never one string or one object tree. Errors name the record
 * index and its line.
 */
export class JsonArrayParser implements ChunkParser {
  private readonly columns = new ObjectColumns();
  private readonly utf8: Utf8Stream;
  private readonly estimate = new RowEstimate();
  private readonly maxRecordBytes: number;
  private state: State = BEFORE_ARRAY;
  private offset = 0;
  private line = 1;
  private elementLines = 0;

  constructor(
    private readonly file: string,
    maxRecordBytes?: number,
  ) {
    this.utf8 = new Utf8Stream(file);
    this.maxRecordBytes = maxRecordBytes ?? DEFAULT_INGEST_LIMITS.maxRecordBytes;
  }

  expectBytes(total: number): void {
    this.estimate.totalBytes = total;
  }

  consume(bytes: Buffer, end: number, final: boolean): number {
    if (this.offset === 0 && end < 3 && !final) return 0;
    this.utf8.check(bytes, end, final, this.offset, this.line);
    let i = this.offset === 0 ? bomLength(bytes.subarray(0, end)) : 0;
    for (;;) {
      while (i < end && isSpace(bytes[i])) {
        if (bytes[i] === LF) this.line++;
        i++;
      }
      if (i >= end) break;
      const c = bytes[i];
      if (this.state === ELEMENT_OR_END || this.state === ELEMENT) {
        if (c === CLOSE_ARRAY && this.state === ELEMENT_OR_END) {
          this.state = AFTER_ARRAY;
          i++;
          continue;
        }
        if (c !== OPEN_OBJECT) throw this.error(`expected an object, found ${kindStarting(c)}`, { record: this.columns.rows });
        const elementEnd = this.elementEnd(bytes, i, end);
        if (elementEnd < 0) {
          if (final) throw this.error('invalid JSON: the input ends inside an object', { record: this.columns.rows });
          this.assertElementFits(end - i);
          break;
        }
        this.assertElementFits(elementEnd - i);
        this.parseElement(bytes.toString('utf8', i, elementEnd));
        this.line += this.elementLines;
        i = elementEnd;
        this.state = COMMA_OR_END;
      } else if (this.state === BEFORE_ARRAY) {
        if (c !== OPEN_ARRAY) throw this.error(`expected a JSON array of objects, found ${kindStarting(c)}`, {});
        this.state = ELEMENT_OR_END;
        i++;
      } else if (this.state === COMMA_OR_END) {
        if (c === COMMA) this.state = ELEMENT;
        else if (c === CLOSE_ARRAY) this.state = AFTER_ARRAY;
        else throw this.error(`invalid JSON: expected "," or "]" after an element, found ${kindStarting(c)}`, {});
        i++;
      } else {
        throw this.error(`invalid JSON: unexpected ${kindStarting(c)} after the end of the array`, {});
      }
    }
    if (final && this.state === BEFORE_ARRAY) throw new DataFormatError('empty file: expected a JSON array of objects', { file: this.file });
    if (final && this.state !== AFTER_ARRAY) throw this.error('invalid JSON: the input ends inside the array', {});
    this.offset += i;
    this.utf8.shift(i);
    if (!final) this.columns.reserve(this.estimate.rows(this.columns.rows, this.offset));
    return i;
  }

  finish(): Table {
    return this.columns.finish();
  }

  /**
   * The end of the object starting at `start`, or -1 when it runs past `end`; its line breaks are
   * counted into `elementLines`. Strings may hold braces.
   */
  private elementEnd(bytes: Buffer, start: number, end: number): number {
    let depth = 0;
    let inString = false;
    let lines = 0;
    for (let i = start; i < end; i++) {
      const c = bytes[i];
      if (c === LF) lines++;
      if (inString) {
        if (c === BACKSLASH) i++;
        else if (c === QUOTE) inString = false;
      } else if (c === QUOTE) {
        inString = true;
      } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        depth++;
      } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        if (--depth === 0) {
          this.elementLines = lines;
          return i + 1;
        }
      }
    }
    return -1;
  }

  /** Whole or cut off by the chunk, an element past the limit fails the same way. */
  private assertElementFits(length: number): void {
    if (length > this.maxRecordBytes) {
      throw this.error(`an element longer than ${formatBytes(this.maxRecordBytes)} starts here (raise limits.maxRecordBytes if it is real)`, { record: this.columns.rows });
    }
  }

  private parseElement(text: string): void {
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      throw this.error(`invalid JSON: ${error.message}`, { record: this.columns.rows }, error);
    }
    this.columns.add(record, { file: this.file, line: this.line, record: this.columns.rows });
  }

  private error(detail: string, where: DataLocation, cause?: unknown): DataFormatError {
    return new DataFormatError(detail, { file: this.file, line: this.line, ...where }, cause === undefined ? undefined : { cause });
  }
}
