import { isUtf8 } from 'node:buffer';
import { DataFormatError } from './errors';

const LF = 0x0a;

/** Byte offset of the first byte that is not part of a valid UTF-8 sequence, or -1. */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return i;
    }
    if (i + need >= n) return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** 1-based line of a byte offset. */
export function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === LF) line++;
  return line;
}

/** Throws a DataFormatError naming the line of the first invalid byte unless `bytes` is valid UTF-8. */
export function assertUtf8(bytes: Uint8Array, file: string): void {
  if (isUtf8(bytes)) return;
  const offset = invalidUtf8Offset(bytes);
  const at = offset < 0 ? bytes.length : offset;
  throw new DataFormatError(`invalid UTF-8 at byte ${at}`, { file, line: lineAt(bytes, at) });
}

/** Length of a UTF-8 byte order mark at the start of `bytes` (0 or 3). */
export function bomLength(bytes: Uint8Array): number {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
}

/**
 * Where the last complete UTF-8 sequence of bytes [from, end) ends: `end`, unless the bytes stop in
 * the middle of a character, which the next chunk of input completes.
 */
export function completeUtf8End(bytes: Uint8Array, from: number, end: number): number {
  let i = end - 1;
  while (i >= from && i > end - 4 && (bytes[i] & 0xc0) === 0x80) i--;
  if (i < from) return end;
  const lead = bytes[i];
  const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return i + length > end ? i : end;
}

/**
 * Checks input that arrives in chunks, each byte once. `check` validates what is new in a chunk
 * up to its last complete character; errors name the line (counted from the chunk's first line)
 * and the byte offset in the whole input.
 */
export class Utf8Stream {
  /** How far into the current chunk the bytes are known to be valid. */
  private validEnd = 0;

  constructor(private readonly file: string) {}

  /**
   * Validates bytes [validEnd, end) of a chunk whose first byte is at `offset` in the input and on
   * line `line`. With `final`, a character cut off at the end is an error too.
   */
  check(bytes: Uint8Array, end: number, final: boolean, offset: number, line: number): void {
    const from = Math.min(this.validEnd, end);
    const to = final ? end : completeUtf8End(bytes, from, end);
    if (!isUtf8(bytes.subarray(from, to))) {
      const bad = invalidUtf8Offset(bytes.subarray(from, to));
      const at = from + (bad < 0 ? to - from : bad);
      throw new DataFormatError(`invalid UTF-8 at byte ${offset + at}`, { file: this.file, line: line + lineAt(bytes.subarray(0, at), at) - 1 });
    }
    this.validEnd = to;
  }

  /** The caller dropped the first `used` bytes of the chunk and will pass the rest again. */
  shift(used: number): void {
    this.validEnd = Math.max(0, this.validEnd - used);
  }
}
