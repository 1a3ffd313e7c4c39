/**
 * Number syntax accepted in text cells: optional sign, decimal digits with an optional fraction,
 * optional exponent, optionally padded with spaces ("1, 2, 3" is common). No hex, digit separators
 * or words, so "0x10" or "1_000" stay text. Tabs are not padding: they delimit TSV fields.
 */
const NUMBER_TEXT = /^ *[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)? *$/;
const SPACE = 0x20;

/** Exact powers of ten: a product or quotient of one with an integer below 2^53 is correctly rounded. */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/** The number a text spells (may be ±Infinity on overflow), or NaN when it is not number syntax. */
export function parseNumberText(text: string): number {
  return NUMBER_TEXT.test(text) ? Number(text) : NaN;
}

/**
 * Reads numbers straight from ASCII bytes. Short decimals take the exact fast path (at most 15
 * digits and a power of ten within ±22); the rest are handed to `Number`, which rounds correctly too.
 */
export class NumberScanner {
  /** Where the last scan stopped: the first byte that cannot continue a number. */
  end = 0;

  /**
   * The number spelled by the bytes from `start` up to the first byte that cannot continue one
   * (at most `limit`), or NaN when those bytes are not a complete number; ±Infinity on overflow.
   */
  scan(bytes: Buffer, start: number, limit: number): number {
    let i = start;
    while (i < limit && bytes[i] === SPACE) i++;
    let c = i < limit ? bytes[i] : 0;
    const negative = c === 0x2d;
    if (negative || c === 0x2b) i++;
    let mantissa = 0;
    let digits = 0;
    let fraction = 0;
    while (i < limit) {
      c = bytes[i] - 0x30;
      if (c < 0 || c > 9) break;
      mantissa = mantissa * 10 + c;
      digits++;
      i++;
    }
    if (i < limit && bytes[i] === 0x2e) {
      i++;
      while (i < limit) {
        c = bytes[i] - 0x30;
        if (c < 0 || c > 9) break;
        mantissa = mantissa * 10 + c;
        digits++;
        fraction++;
        i++;
      }
    }
    let exponent = 0;
    let complete = digits > 0;
    if (complete && i < limit && (bytes[i] | 0x20) === 0x65) {
      i++;
      let exponentNegative = false;
      if (i < limit && (bytes[i] === 0x2d || bytes[i] === 0x2b)) {
        exponentNegative = bytes[i] === 0x2d;
        i++;
      }
      const exponentStart = i;
      while (i < limit) {
        c = bytes[i] - 0x30;
        if (c < 0 || c > 9) break;
        if (exponent < 1e6) exponent = exponent * 10 + c;
        i++;
      }
      complete = i > exponentStart;
      if (exponentNegative) exponent = -exponent;
    }
    while (i < limit && bytes[i] === SPACE) i++;
    this.end = i;
    if (!complete) return NaN;
    const power = exponent - fraction;
    if (digits <= 15 && power >= -22 && power <= 22) {
      const value = power < 0 ? mantissa / POW10[-power] : mantissa * POW10[power];
      return negative ? -value : value;
    }
    return Number(bytes.toString('latin1', start, i));
  }
}

const scanner = new NumberScanner();

/** The number the bytes [start, end) spell (may be ±Infinity on overflow), or NaN when they are not number syntax. */
export function parseNumberBytes(bytes: Buffer, start: number, end: number): number {
  const value = scanner.scan(bytes, start, end);
  return scanner.end === end ? value : NaN;
}
