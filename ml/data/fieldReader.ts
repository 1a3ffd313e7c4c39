import { DataFormatError } from './errors';
import { NumberScanner } from './numbers';

/** Exact powers of ten: a quotient of an integer below 2^53 by one of them is correctly rounded. */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
const MINUS = 0x2d;
const DOT = 0x2e;

export const QUOTE = 0x22;
export const LF = 0x0a;
export const CR = 0x0d;

export const DELIMITER = 0;
export const END_OF_RECORD = 1;
export const END_OF_FILE = 2;
/** The field runs past the bytes at hand and more input follows: re-read its record with more bytes. */
export const INCOMPLETE = 3;
export type Terminator = typeof DELIMITER | typeof END_OF_RECORD | typeof END_OF_FILE | typeof INCOMPLETE;

/**
 * Reads RFC 4180 fields straight from a window of bytes [0, limit): after `next()`, [start, end) is
 * the field's content (inside the quotes when quoted) and `escaped` tells whether it holds doubled
 * quotes. A quote inside an unquoted field is kept as text, as most CSV writers expect.
 *
 * Input arrives in chunks, so a field may be cut off by the end of the window. Unless the window is
 * `final` (nothing follows it), such a field reads as INCOMPLETE and the caller retries its whole
 * record once more bytes are there; the reader never guesses at a cut-off field.
 */
export class FieldReader {
  start = 0;
  end = 0;
  escaped = false;
  /** After `nextNumber()`: the number the field spells, NaN when it is not a plain number. */
  value = NaN;
  pos = 0;
  line = 1;
  private bytes: Buffer = Buffer.alloc(0);
  private limit = 0;
  private final = true;
  private readonly numbers = new NumberScanner();

  constructor(
    private readonly delimiter: number,
    private readonly file: string,
  ) {}

  /** Points the reader at bytes [0, limit) of a new window, at `pos`. */
  reset(bytes: Buffer, limit: number, final: boolean, pos: number, line: number): void {
    this.bytes = bytes;
    this.limit = limit;
    this.final = final;
    this.pos = pos;
    this.line = line;
  }

  next(): Terminator {
    const bytes = this.bytes;
    const n = this.limit;
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
        if (i + 1 >= n && !this.final) return INCOMPLETE;
        if (i >= n) {
          throw new DataFormatError(`unterminated quoted field (the quote opens on line ${openedOn})`, { file: this.file, line: openedOn });
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
          throw new DataFormatError(`unexpected ${JSON.stringify(String.fromCharCode(c))} after a closing quote`, { file: this.file, line });
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
    const n = this.limit;
    let i = this.pos;
    if (i < n && bytes[i] === QUOTE) {
      const terminator = this.next();
      if (terminator === INCOMPLETE) return terminator;
      const value = this.escaped ? NaN : this.numbers.scan(bytes, this.start, this.end);
      this.value = this.numbers.end === this.end ? value : NaN;
      return terminator;
    }
    this.start = i;
    // Fast path for the common "-123.456" followed by a delimiter or line break; anything else
    // (signs, spaces, exponents, long mantissas, text) takes the general scanner below.
    const delimiter = this.delimiter;
    const negative = i < n && bytes[i] === MINUS;
    if (negative) i++;
    const integerStart = i;
    let mantissa = 0;
    let c = 0;
    // (c >>> 0) <= 9 is one test for 0 <= c <= 9: a byte below '0' wraps to a huge unsigned value.
    while (i < n && ((c = bytes[i] - 0x30) >>> 0) <= 9) {
      mantissa = mantissa * 10 + c;
      i++;
    }
    let digits = i - integerStart;
    let fraction = 0;
    if (i < n && bytes[i] === DOT) {
      const fractionStart = ++i;
      while (i < n && ((c = bytes[i] - 0x30) >>> 0) <= 9) {
        mantissa = mantissa * 10 + c;
        i++;
      }
      fraction = i - fractionStart;
      digits += fraction;
    }
    if (i < n && digits > 0 && digits <= 15 && fraction <= 22) {
      c = bytes[i];
      if (c === delimiter || c === LF || c === CR) {
        const value = mantissa / POW10[fraction];
        this.end = i;
        this.escaped = false;
        this.value = negative ? -value : value;
        if (c !== delimiter) return this.terminate(i);
        this.pos = i + 1;
        return DELIMITER;
      }
    }
    i = this.start;
    let value = this.numbers.scan(bytes, i, n);
    i = this.numbers.end;
    if (i < n) {
      c = bytes[i];
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

  /** Skips empty lines: RECORD when a record starts at `pos`, NONE at the end of input, MORE when more bytes are needed to tell. */
  atRecord(): typeof RECORD | typeof NONE | typeof MORE {
    const bytes = this.bytes;
    const n = this.limit;
    let i = this.pos;
    while (i < n) {
      const c = bytes[i];
      if (c === LF) this.line++;
      else if (c !== CR) break;
      i++;
    }
    this.pos = i;
    if (i < n) return RECORD;
    return this.final ? NONE : MORE;
  }

  private terminate(i: number): Terminator {
    const n = this.limit;
    if (i >= n) {
      if (!this.final) return INCOMPLETE;
      this.pos = i;
      return END_OF_FILE;
    }
    const c = this.bytes[i];
    if (c === this.delimiter) {
      this.pos = i + 1;
      return DELIMITER;
    }
    if (c === CR && i + 1 >= n && !this.final) return INCOMPLETE;
    this.line++;
    this.pos = c === CR && i + 1 < n && this.bytes[i + 1] === LF ? i + 2 : i + 1;
    return END_OF_RECORD;
  }
}

export const RECORD = 0;
export const NONE = 1;
export const MORE = 2;

/** Characters that can be part of a number or a quote/line break cannot delimit fields. */
export function delimiterByte(delimiter: string): number {
  if (!isValidDelimiter(delimiter)) {
    throw new RangeError(`delimiter must be one ASCII character other than a letter, digit, "_", ".", "+", "-", quote or line break, got ${JSON.stringify(delimiter)}`);
  }
  return delimiter.charCodeAt(0);
}

export function isValidDelimiter(delimiter: string): boolean {
  return delimiter.length === 1 && delimiter.charCodeAt(0) <= 0x7f && !/[\w".+\-\r\n]/.test(delimiter);
}
