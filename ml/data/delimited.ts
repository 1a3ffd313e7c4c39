import { type Table } from './table';
import { DataFormatError } from './errors';
import { ColumnBuilder } from './infer';
import { bomLength, Utf8Stream } from './utf8';
import { type ChunkParser, RowEstimate } from './chunks';
import * as field from './fieldReader';
import { FieldReader, type Terminator, delimiterByte } from './fieldReader';
import { DEFAULT_INGEST_LIMITS, formatBytes, tooManyColumnsDetail } from './limits';
import { type RandomAccess, bytesAccess } from './randomAccess';
import { RowIndex } from './rowIndex';
import { Rereader } from './reread';

export interface DelimitedOptions {
  /** One ASCII character that cannot be part of a number, quote or line break: ',' for CSV, '\t' for TSV. */
  readonly delimiter: string;
  /** Named in error messages. */
  readonly fileName: string;
  /** Longest record accepted; a longer one is an error, not a reason to buffer without end. */
  readonly maxRecordBytes?: number;
  /** Most columns accepted; a wider header is refused before any row is read. */
  readonly maxColumns?: number;
}

// Local copies: the hot loop must not go through module export bindings (getters once transpiled).
const DELIMITER = field.DELIMITER;
const INCOMPLETE = field.INCOMPLETE;
const MORE = field.MORE;
const NONE = field.NONE;

/** Room for the first chunk's rows; the estimate from the input size takes over after it. */
const INITIAL_ROWS = 1024;

function fieldCountMismatch(expected: number, found: number): string {
  return `expected ${expected} ${expected === 1 ? 'field' : 'fields'} as in the header, found ${found}`;
}

/**
 * Parses delimited text (CSV, TSV) with a header row into a typed columnar table, chunk by chunk.
 * Quoted fields follow RFC 4180 (doubled quotes, embedded delimiters and line breaks); lines end
 * with LF, CRLF or CR; a UTF-8 BOM is dropped and empty lines are skipped.
 *
 * Cells go straight into column builders; a record cut off by the end of a chunk is taken back and
 * parsed again from its start with the next chunk. No per-row objects, and no text is kept: a
 * column that turns to text re-reads earlier cells through `access`.
 */
export class DelimitedParser implements ChunkParser {
  private readonly file: string;
  private readonly maxRecordBytes: number;
  private readonly maxColumns: number;
  private readonly reader: FieldReader;
  private readonly utf8: Utf8Stream;
  private readonly index = new RowIndex();
  private readonly rereader: Rereader;
  private readonly estimate = new RowEstimate();
  /** Input position of the first byte of the current chunk. */
  private offset = 0;
  /** Line of the first byte of the current chunk. */
  private line = 1;
  private builders: ColumnBuilder[] | undefined;
  private rows = 0;

  constructor(options: DelimitedOptions, access: RandomAccess) {
    this.file = options.fileName;
    this.maxRecordBytes = options.maxRecordBytes ?? DEFAULT_INGEST_LIMITS.maxRecordBytes;
    this.maxColumns = options.maxColumns ?? DEFAULT_INGEST_LIMITS.maxColumns;
    const delimiter = delimiterByte(options.delimiter);
    this.reader = new FieldReader(delimiter, this.file);
    this.utf8 = new Utf8Stream(this.file);
    this.rereader = new Rereader(access, this.index, delimiter, this.file);
  }

  expectBytes(total: number): void {
    this.estimate.totalBytes = total;
  }

  consume(bytes: Buffer, end: number, final: boolean): number {
    if (this.offset === 0 && end < 3 && !final) return 0;
    this.utf8.check(bytes, end, final, this.offset, this.line);
    const reader = this.reader;
    reader.reset(bytes, end, final, this.offset === 0 ? bomLength(bytes.subarray(0, end)) : 0, this.line);
    let used: number;
    let line: number;
    for (;;) {
      const state = reader.atRecord();
      if (state === NONE && this.builders === undefined) throw new DataFormatError('empty file: a header row is required', { file: this.file });
      if (state === NONE || state === MORE) {
        used = reader.pos;
        line = reader.line;
        break;
      }
      const recordStart = reader.pos;
      const recordLine = reader.line;
      const complete = this.builders === undefined ? this.readHeader() : this.readRecord(bytes, recordStart);
      // Whole or cut off, a record past the limit fails the same way, whatever the chunk size.
      this.assertRecordFits((complete ? reader.pos : end) - recordStart, recordLine);
      if (!complete) {
        used = recordStart;
        line = recordLine;
        break;
      }
    }
    this.line = line;
    this.offset += used;
    this.utf8.shift(used);
    if (!final && this.builders !== undefined) {
      const rows = this.estimate.rows(this.rows, this.offset);
      for (const builder of this.builders) builder.reserve(rows);
    }
    return used;
  }

  finish(): Table {
    if (this.builders === undefined) throw new DataFormatError('empty file: a header row is required', { file: this.file });
    return { rowCount: this.rows, columns: this.builders.map((b) => b.finish()) };
  }

  private assertRecordFits(length: number, line: number): void {
    if (length > this.maxRecordBytes) {
      throw new DataFormatError(`a record longer than ${formatBytes(this.maxRecordBytes)} starts here: the line is too long (raise limits.maxRecordBytes if it is real)`, {
        file: this.file,
        line,
      });
    }
  }

  /** Reads the header into column builders; false when it is cut off by the end of the chunk. */
  private readHeader(): boolean {
    const reader = this.reader;
    const line = reader.line;
    const names: string[] = [];
    const seen = new Set<string>();
    let terminator: Terminator;
    do {
      terminator = reader.next();
      if (terminator === INCOMPLETE) return false;
      if (names.length === this.maxColumns) return this.refuseWideHeader(terminator, names.length + 1, line);
      const name = reader.text();
      if (name === '') throw new DataFormatError(`header field ${names.length + 1} is empty: every column needs a name`, { file: this.file, line });
      if (seen.has(name)) throw new DataFormatError(`duplicate column name "${name}" in the header`, { file: this.file, line, column: name });
      seen.add(name);
      names.push(name);
    } while (terminator === DELIMITER);
    this.builders = names.map((name, column) => new ColumnBuilder(name, INITIAL_ROWS, (row) => this.rereader.cell(row, column), this.file));
    return true;
  }

  /**
   * Counts the rest of a header that is over the column limit, without keeping its names, so the
   * error says how wide the file is; a header cut off by the chunk is named as "at least".
   */
  private refuseWideHeader(terminator: Terminator, counted: number, line: number): never {
    let count = counted;
    let complete = true;
    while (terminator === DELIMITER) {
      terminator = this.reader.next();
      if (terminator === INCOMPLETE) {
        complete = false;
        break;
      }
      count++;
    }
    throw new DataFormatError(`the header has ${tooManyColumnsDetail(count, this.maxColumns, !complete)}`, { file: this.file, line });
  }

  /**
   * Reads one record straight into the column builders; false when it is cut off by the end of the
   * chunk, after taking back the cells it pushed. Only whole fields are ever pushed, and they are
   * the same cells the record pushes again with the next chunk, so taking them back is exact.
   */
  private readRecord(bytes: Buffer, recordStart: number): boolean {
    const reader = this.reader;
    const builders = this.builders!;
    const width = builders.length;
    const line = reader.line;
    const row = this.rows;
    this.index.note(row, this.offset + recordStart);
    let column = 0;
    let terminator: Terminator;
    do {
      if (column === width) return this.tooManyFields(line, width) || this.takeBack(row);
      const builder = builders[column++];
      if (builder.expectsNumbers) {
        terminator = reader.nextNumber();
        if (terminator === INCOMPLETE) return this.takeBack(row);
        const value = reader.value;
        if (value - value === 0) builder.pushFinite(value);
        else if (reader.escaped) builder.pushCell(reader.text(), line);
        else builder.pushScanned(value, bytes, reader.start, reader.end, line);
      } else {
        terminator = reader.next();
        if (terminator === INCOMPLETE) return this.takeBack(row);
        if (reader.escaped) builder.pushCell(reader.text(), line);
        else builder.pushBytes(bytes, reader.start, reader.end, line);
      }
    } while (terminator === DELIMITER);
    if (column !== width) throw new DataFormatError(fieldCountMismatch(width, column), { file: this.file, line });
    this.rows++;
    return true;
  }

  private takeBack(row: number): false {
    for (const builder of this.builders!) builder.truncate(row);
    return false;
  }

  /** A record with more fields than the header: counts them all for the message, or waits for the rest. */
  private tooManyFields(line: number, width: number): false {
    const reader = this.reader;
    let count = width;
    let terminator: Terminator;
    do {
      terminator = reader.next();
      if (terminator === INCOMPLETE) return false;
      count++;
    } while (terminator === DELIMITER);
    throw new DataFormatError(fieldCountMismatch(width, count), { file: this.file, line });
  }
}

/** Parses delimited bytes held in memory (small inputs, tests); files go through `parseDatasetFile`. */
export function parseDelimited(input: Uint8Array, options: DelimitedOptions): Table {
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const parser = new DelimitedParser(options, bytesAccess(bytes));
  parser.expectBytes(bytes.length);
  parser.consume(bytes, bytes.length, true);
  return parser.finish();
}
