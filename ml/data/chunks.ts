import { open } from 'node:fs/promises';
import { fileAccess, type RandomAccess } from './randomAccess';

/**
 * A parser fed a file chunk by chunk. `consume` parses whole records of bytes [0, end) and returns
 * how many bytes it used; the rest (a record cut off by the end of the chunk) comes again at the
 * start of the next call, with more bytes after it. With `final`, nothing follows: it must use all.
 */
export interface ChunkParser {
  consume(bytes: Buffer, end: number, final: boolean): number;
  /** The size of the whole input, when known, so columns can be allocated about once. */
  expectBytes?(total: number): void;
}

export interface FeedOptions {
  /** Bytes read per step; records longer than half of it make the buffer grow. */
  readonly chunkBytes?: number;
  readonly signal?: AbortSignal;
  /** Called after each chunk with the bytes parsed so far and the file size (e.g. to heartbeat). */
  readonly onProgress?: (bytesDone: number, totalBytes: number) => void | Promise<void>;
}

const CHUNK_BYTES = 4 << 20;

/**
 * Reads a file in chunks into `parser`. Memory stays at one chunk (plus the longest record, which
 * the parser bounds) whatever the file size. `makeParser` gets random access to the file for
 * re-reading earlier records; the file stays open until the parse ends.
 */
export async function feedFile<P extends ChunkParser>(path: string, makeParser: (access: RandomAccess) => P, options: FeedOptions = {}): Promise<P> {
  const handle = await open(path, 'r');
  try {
    const total = (await handle.stat()).size;
    const parser = makeParser(fileAccess(handle.fd, total));
    parser.expectBytes?.(total);
    let buffer = Buffer.allocUnsafe(Math.max(1, Math.min(options.chunkBytes ?? CHUNK_BYTES, total)));
    let filled = 0;
    let position = 0;
    for (;;) {
      options.signal?.throwIfAborted();
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, position);
      position += bytesRead;
      filled += bytesRead;
      const final = bytesRead === 0 || position >= total;
      const used = parser.consume(buffer, filled, final);
      if (final) return parser;
      buffer.copyWithin(0, used, filled);
      filled -= used;
      // A long record holds the buffer: double it so every read still brings a good share of new bytes.
      if (filled > buffer.length / 2) {
        const grown = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(grown, 0, 0, filled);
        buffer = grown;
      }
      await options.onProgress?.(position - filled, total);
    }
  } finally {
    await handle.close();
  }
}

/**
 * Estimates the final row count from the rows and bytes parsed so far, with a little headroom, so
 * column builders can reserve their size once instead of doubling.
 */
export class RowEstimate {
  totalBytes = 0;

  rows(rowsSoFar: number, bytesSoFar: number): number {
    if (this.totalBytes <= 0 || bytesSoFar <= 0 || rowsSoFar === 0) return 0;
    return Math.ceil((rowsSoFar * this.totalBytes * 1.02) / bytesSoFar) + 16;
  }
}
