import { readSync } from 'node:fs';

/**
 * Synchronous positioned reads of input already parsed once: the delimited parser re-reads old
 * cells through it when a column turns out to hold text after all (rare, so a read per window is
 * cheap, and it keeps the parse loop synchronous).
 */
export interface RandomAccess {
  /** Up to `length` bytes from `position` (fewer at the end of the input); valid until the next call. */
  readAt(position: number, length: number): Buffer;
  /** Total bytes of the input. */
  readonly size: number;
}

export function bytesAccess(bytes: Buffer): RandomAccess {
  return {
    size: bytes.length,
    readAt: (position, length) => bytes.subarray(position, Math.min(bytes.length, position + length)),
  };
}

/** Reads through an open file descriptor, which the caller keeps open while the parser lives. */
export function fileAccess(fd: number, size: number): RandomAccess {
  let buffer = Buffer.alloc(0);
  return {
    size,
    readAt(position, length) {
      const wanted = Math.max(0, Math.min(length, size - position));
      if (buffer.length < wanted) buffer = Buffer.allocUnsafe(wanted);
      let filled = 0;
      while (filled < wanted) {
        const read = readSync(fd, buffer, filled, wanted - filled, position + filled);
        if (read === 0) break;
        filled += read;
      }
      return buffer.subarray(0, filled);
    },
  };
}
