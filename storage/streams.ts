import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';

/** What went through a stream: its length and SHA-256 (hex). */
export interface Measured {
  readonly bytes: number;
  readonly sha256: string;
}

/** A body given piece by piece: a Node stream, an async generator, or an array of buffers. */
export type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

export interface ByteLimit {
  readonly maxBytes: number;
  /** The error to fail with once more than `maxBytes` arrived. */
  readonly tooBig: () => Error;
}

/**
 * Counts and hashes chunks as they pass, and stops a stream that grows past a limit, so nothing
 * has to be held whole to know its size or fingerprint.
 */
export class StreamMeter {
  private readonly hash = createHash('sha256');
  private bytes = 0;

  constructor(private readonly limit?: ByteLimit) {}

  async *pass(body: ByteSource): AsyncGenerator<Uint8Array> {
    for await (const chunk of body) {
      this.bytes += chunk.byteLength;
      if (this.limit && this.bytes > this.limit.maxBytes) throw this.limit.tooBig();
      this.hash.update(chunk);
      yield chunk;
    }
  }

  /** Final once `pass` has run to its end. */
  measured(): Measured {
    return { bytes: this.bytes, sha256: this.hash.copy().digest('hex') };
  }
}

/** Streams a body into a file, measuring it on the way. */
export async function saveToFile(body: ByteSource, path: string, limit?: ByteLimit): Promise<Measured> {
  const meter = new StreamMeter(limit);
  await pipeline(meter.pass(body), createWriteStream(path));
  return meter.measured();
}

/** Length and SHA-256 of a body (e.g. a file read as a stream), holding one chunk at a time. */
export async function measure(body: ByteSource): Promise<Measured> {
  const meter = new StreamMeter();
  for await (const _chunk of meter.pass(body));
  return meter.measured();
}
