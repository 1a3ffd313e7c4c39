import { Transform, type TransformCallback } from 'node:stream';
import { InputLimitError } from '../errors';
import { type IngestLimits, formatBytes } from '../limits';

/**
 * Bytes decompressed so far from one archive or compressed file, against the limits: shared by all
 * entries read from the same archive, so many small entries cannot add up to a bomb either.
 */
export class ExpansionBudget {
  private produced = 0;

  constructor(
    private readonly file: string,
    private readonly limits: IngestLimits,
  ) {}

  /**
   * Counts `bytes` more output, of which `compressedSoFar` compressed bytes were the input; throws
   * InputLimitError past the size or ratio limit.
   */
  add(bytes: number, outputOfStream: number, compressedSoFar: number): void {
    this.produced += bytes;
    const { maxUncompressedBytes, maxCompressionRatio, ratioGraceBytes } = this.limits;
    if (this.produced > maxUncompressedBytes) {
      throw new InputLimitError(this.file, 'maxUncompressedBytes', `expands to more than ${formatBytes(maxUncompressedBytes)}`);
    }
    if (outputOfStream > ratioGraceBytes && outputOfStream > Math.max(1, compressedSoFar) * maxCompressionRatio) {
      throw new InputLimitError(
        this.file,
        'maxCompressionRatio',
        `expands more than ${maxCompressionRatio}-fold (${formatBytes(outputOfStream)} out of ${formatBytes(compressedSoFar)}): a decompression bomb?`,
      );
    }
  }
}

/**
 * A pass-through that counts decompressed bytes into a budget and fails the stream as soon as a
 * limit is passed, so a bomb is stopped after at most one chunk past the limit.
 * `compressedSoFar` tells how much compressed input has been consumed at that point.
 */
export class ExpansionGuard extends Transform {
  private output = 0;

  constructor(
    private readonly budget: ExpansionBudget,
    private readonly compressedSoFar: () => number,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.output += chunk.length;
    try {
      this.budget.add(chunk.length, this.output, this.compressedSoFar());
    } catch (error) {
      callback(error as Error);
      return;
    }
    callback(null, chunk);
  }
}

/** Counts the bytes flowing through it: the compressed side of a gzip stream. */
export class ByteCounter extends Transform {
  count = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.count += chunk.length;
    callback(null, chunk);
  }
}
