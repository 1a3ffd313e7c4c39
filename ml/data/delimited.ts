import { type Table } from './table';
import { DataFormatError } from './errors';
import { ColumnBuilder, isMissingText } from './infer';
import { NumberScanner } from './numbers';
import { assertUtf8, bomLength } from './utf8';

export interface DelimitedOptions {
  /** One ASCII character that cannot be part of a number, quote or line break: ',' for CSV, '\t' for TSV. */
  readonly delimiter: string;
  /** Named in error messages. */
  readonly fileName: string;
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

const DELIMITER = 0;
const END_OF_RECORD = 1;
const END_OF_FILE = 2;
type Terminator = typeof DELIMITER | typeof END_OF_RECORD | typeof END_OF_FILE;

/**
 * Reads RFC 4180 fields straight from the bytes: after `next()`, [start, end) is the field's
 * content (inside the quotes when quoted) and `escaped` tells whether it holds doubled quotes.
 * A quote inside an unquoted field is kept as text, as most CSV writers expect.
 */
class FieldReader {
  start = 0;
  end = 0;
  escaped = false;
  /** After `nextNumber()`: the number the field spells, NaN when it is not a plain number. */
  value = NaN;
  private readonly numbers = new NumberScanner();

  constructor(
    private readonly bytes: Buffer,
    private readonly delimiter: number,
    private readonly file: string,
    public pos: number,
    public line: number,
  ) {}

  next(): Terminator {
    const bytes = this.bytes;
    const n = bytes.length;
    let i = this.pos;
    if (i < n && bytes[i] === QUOTE) {
      const openedOn = this.line;
      let line = this.line;
      let escaped = false;
      this.start = ++i;
      for (;;) {
        while (i < n) {
          const c = bytes[i];
          if (c === QUOTE) break;
          if (c === LF) line++;
          i++;
        }
        if (i >= n) {
          throw new DataFormatError(`unterminated quoted field (the quote opens on line ${openedOn})`, {
            file: this.file,
            line: openedOn,
          });
        }
        if (i + 1 < n && bytes[i + 1] === QUOTE) {
          escaped = true;
          i += 2;
          continue;
        }
        break;
      }
      this.end = i++;
      this.escaped = escaped;
      this.line = line;
      if (i < n) {
        const c = bytes[i];
        if (c !== this.delimiter && c !== LF && c !== CR) {
          throw new DataFormatError(`unexpected ${JSON.stringify(String.fromCharCode(c))} after a closing quote`, {
            file: this.file,
            line,
          });
        }
      }
    } else {
      const delimiter = this.delimiter;
      this.start = i;
      while (i < n) {
        const c = bytes[i];
        if (c === delimiter || c === LF || c === CR) break;
        i++;
      }
      this.end = i;
      this.escaped = false;
    }
    return this.terminate(i);
  }

  /** Like `next()`, but also reads the field as a number in the same pass over its bytes. */
  nextNumber(): Terminator {
    const bytes = this.bytes;
    const n = bytes.length;
    let i = this.pos;
    if (i < n && bytes[i] === QUOTE) {
      const terminator = this.next();
      const value = this.escaped ? NaN : this.numbers.scan(bytes, this.start, this.end);
      this.value = this.numbers.end === this.end ? value : NaN;
      return terminator;
    }
    this.start = i;
    let value = this.numbers.scan(bytes, i, n);
    i = this.numbers.end;
    if (i < n) {
      const delimiter = this.delimiter;
      let c = bytes[i];
      if (c !== delimiter && c !== LF && c !== CR) {
        value = NaN;
        while (++i < n) {
          c = bytes[i];
          if (c === delimiter || c === LF || c === CR) break;
        }
      }
    }
    this.end = i;
    this.escaped = false;
    this.value = value;
    return this.terminate(i);
  }

  /** The current field as text. */
  text(): string {
    const text = this.bytes.toString('utf8', this.start, this.end);
    return this.escaped ? text.replaceAll('""', '"') : text;
  }

  /** Skips empty lines; true when a record follows. */
  atRecord(): boolean {
    const bytes = this.bytes;
    const n = bytes.length;
    let i = this.pos;
    while (i < n) {
      const c = bytes[i];
      if (c === LF) this.line++;
      else if (c !== CR) break;
      i++;
    }
    this.pos = i;
    return i < n;
  }

  private terminate(i: number): Terminator {
    const bytes = this.bytes;
    if (i >= bytes.length) {
      this.pos = i;
      return END_OF_FILE;
    }
    const c = bytes[i];
    if (c === this.delimiter) {
      this.pos = i + 1;
      return DELIMITER;
    }
    this.line++;
    this.pos = c === CR && i + 1 < bytes.length && bytes[i + 1] === LF ? i + 2 : i + 1;
    return END_OF_RECORD;
  }
}

/** Characters that can be part of a number or a quote/line break cannot delimit fields. */
function delimiterByte(delimiter: string): number {
  if (delimiter.length !== 1 || delimiter.charCodeAt(0) > 0x7f || /[\w".+\-\r\n]/.test(delimiter)) {
    throw new RangeError(`delimiter must be one ASCII character other than a letter, digit, "_", ".", "+", "-", quote or line break, got ${JSON.stringify(delimiter)}`);
  }
  return delimiter.charCodeAt(0);
}

function readHeader(reader: FieldReader, file: string): string[] {
  const line = reader.line;
  const names: string[] = [];
  const seen = new Set<string>();
  let terminator: Terminator;
  do {
    terminator = reader.next();
    const name = reader.text();
    if (name === '') throw new DataFormatError(`header field ${names.length + 1} is empty: every column needs a name`, { file, line });
    if (seen.has(name)) throw new DataFormatError(`duplicate column name "${name}" in the header`, { file, line, column: name });
    seen.add(name);
    names.push(name);
  } while (terminator === DELIMITER);
  return names;
}

/** Upper bound of the records from `from` on, so columns are allocated once (CR-only files grow later). */
function recordBound(bytes: Buffer, from: number): number {
  let count = from < bytes.length && bytes[bytes.length - 1] !== LF ? 1 : 0;
  for (let i = bytes.indexOf(LF, from); i >= 0; i = bytes.indexOf(LF, i + 1)) count++;
  return count;
}

function fieldCountMismatch(expected: number, found: number): string {
  return `expected ${expected} ${expected === 1 ? 'field' : 'fields'} as in the header, found ${found}`;
}

/** The error for a record with more fields than the header, after counting the rest of them. */
function raggedError(reader: FieldReader, file: string, line: number, expected: number, read: number): DataFormatError {
  let count = read;
  let terminator: Terminator;
  do {
    terminator = reader.next();
    count++;
  } while (terminator === DELIMITER);
  return new DataFormatError(fieldCountMismatch(expected, count), { file, line });
}

/**
 * Parses delimited text (CSV, TSV) with a header row into a typed columnar table. Quoted fields
 * follow RFC 4180 (doubled quotes, embedded delimiters and line breaks); lines end with LF, CRLF or
 * CR; a UTF-8 BOM is dropped and empty lines are skipped. Cells go straight into column builders:
 * no per-row objects or arrays are made.
 */
export function parseDelimited(input: Uint8Array, options: DelimitedOptions): Table {
  const file = options.fileName;
  const delimiter = delimiterByte(options.delimiter);
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  assertUtf8(bytes, file);
  const reader = new FieldReader(bytes, delimiter, file, bomLength(bytes), 1);
  if (!reader.atRecord()) throw new DataFormatError('empty file: a header row is required', { file });
  const names = readHeader(reader, file);
  const width = names.length;

  let rowStarts = new Float64Array(recordBound(bytes, reader.pos));
  const rereader = new FieldReader(bytes, delimiter, file, 0, 0);
  const reread = (column: number) => (row: number) => {
    rereader.pos = rowStarts[row];
    for (let k = 0; k < column; k++) rereader.next();
    rereader.next();
    const text = rereader.text();
    return isMissingText(text) ? null : text;
  };
  const builders = names.map((name, column) => new ColumnBuilder(name, rowStarts.length, reread(column), file));

  let rows = 0;
  while (reader.atRecord()) {
    const line = reader.line;
    if (rows === rowStarts.length) {
      const grown = new Float64Array(Math.max(1, rows * 2));
      grown.set(rowStarts);
      rowStarts = grown;
    }
    rowStarts[rows] = reader.pos;
    let column = 0;
    let terminator: Terminator;
    do {
      if (column === width) throw raggedError(reader, file, line, width, column);
      const builder = builders[column++];
      if (builder.expectsNumbers) {
        terminator = reader.nextNumber();
        if (reader.escaped) builder.pushCell(reader.text(), line);
        else builder.pushScanned(reader.value, bytes, reader.start, reader.end, line);
      } else {
        terminator = reader.next();
        if (reader.escaped) builder.pushCell(reader.text(), line);
        else builder.pushBytes(bytes, reader.start, reader.end, line);
      }
    } while (terminator === DELIMITER);
    if (column !== width) throw new DataFormatError(fieldCountMismatch(width, column), { file, line });
    rows++;
  }
  return { rowCount: rows, columns: builders.map((b) => b.finish()) };
}
