import { type Table } from './table';
import { DataFormatError, InputLimitError } from './errors';
import { ColumnBuilder } from './infer';
import { type IngestLimits, formatBytes } from './limits';
import { kindOf } from './objectColumns';

import type { AsyncBuffer, Compressors, FileMetaData } from 'hyparquet' with { 'resolution-mode': 'import' };

const MS_PER_DAY = 86_400_000;

/** hyparquet reads dates and timestamps as Date objects; our tables hold them as ISO 8601 text. */
const parsers = {
  timestampFromMilliseconds: (ms: bigint) => isoTimestamp(Number(ms)),
  timestampFromMicroseconds: (us: bigint) => isoTimestamp(Number(us / 1000n)),
  timestampFromNanoseconds: (ns: bigint) => isoTimestamp(Number(ns / 1_000_000n)),
  dateFromDays: (days: number) => isoTimestamp(days * MS_PER_DAY).slice(0, 10),
};

function isoTimestamp(ms: number): string {
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) throw new RangeError(`timestamp ${ms} ms is out of range`);
  return date.toISOString();
}

/**
 * The decompressors of hyparquet-compressors (Snappy, GZIP, ZSTD, Brotli, LZ4), each refusing a
 * page that declares more output than the limits allow before it allocates it: a page header is
 * as untrusted as the rest of the file.
 */
function guardedCompressors(all: Compressors, file: string, limits: IngestLimits): Compressors {
  const guarded: Compressors = {};
  for (const [codec, decompress] of Object.entries(all) as [keyof Compressors, Compressors[keyof Compressors]][]) {
    if (decompress === undefined) continue;
    guarded[codec] = (input, outputLength) => {
      if (outputLength > limits.maxUncompressedBytes) {
        throw new InputLimitError(file, 'maxUncompressedBytes', `a ${codec} page declares ${formatBytes(outputLength)} of data`);
      }
      if (outputLength > limits.ratioGraceBytes && outputLength > input.length * limits.maxCompressionRatio) {
        throw new InputLimitError(file, 'maxCompressionRatio', `a ${codec} page expands ${Math.round(outputLength / Math.max(1, input.length))}-fold`);
      }
      return decompress(input, outputLength);
    };
  }
  return guarded;
}

/** Top-level columns; nested ones (struct, list, map) have no place in a flat table. */
function flatColumns(metadata: FileMetaData, file: string): string[] {
  const [root, ...elements] = metadata.schema;
  const names: string[] = [];
  let i = 0;
  for (let k = 0; k < (root.num_children ?? 0); k++) {
    const element = elements[i];
    if (element === undefined) throw new DataFormatError('corrupt Parquet schema: fewer columns than declared', { file });
    if ((element.num_children ?? 0) > 0 || element.repetition_type === 'REPEATED') {
      throw new DataFormatError('nested columns (struct, list, map) are not supported: flatten them before export', { file, column: element.name });
    }
    names.push(element.name);
    i++;
  }
  return names;
}

function assertWithinLimits(metadata: FileMetaData, file: string, limits: IngestLimits): void {
  let uncompressed = 0;
  for (const group of metadata.row_groups) for (const chunk of group.columns) uncompressed += Number(chunk.meta_data?.total_uncompressed_size ?? 0n);
  if (uncompressed > limits.maxUncompressedBytes) {
    throw new InputLimitError(file, 'maxUncompressedBytes', `the Parquet data declares ${formatBytes(uncompressed)} uncompressed`);
  }
}

/** Pushes one decoded Parquet value, or returns what is wrong with it. */
function pushValue(builder: ColumnBuilder, value: unknown): string | undefined {
  if (value === null || value === undefined) builder.pushMissing();
  else if (typeof value === 'number') {
    // NaN is how several writers (Polars, NumPy) store a missing float; infinities are not data.
    if (Number.isNaN(value)) builder.pushMissing();
    else if (!Number.isFinite(value)) return `${value} is not a finite number`;
    else builder.pushNumber(value);
  } else if (typeof value === 'bigint') builder.pushNumber(Number(value));
  else if (typeof value === 'string') builder.pushString(value);
  else if (typeof value === 'boolean') builder.pushBoolean(value);
  else if (value instanceof Uint8Array) return 'binary values are not supported';
  else return `values must be numbers, strings, booleans or null, found ${kindOf(value)}`;
  return undefined;
}

/** Appends a decoded chunk of a column; returns the error instead of throwing it (see the caller). */
function pushChunk(builder: ColumnBuilder, values: ArrayLike<unknown>, rowStart: number, file: string): Error | undefined {
  if (rowStart !== builder.length) return new Error(`parquet column ${builder.name}: a chunk at row ${rowStart} arrived after ${builder.length} rows`);
  for (let k = 0; k < values.length; k++) {
    const problem = pushValue(builder, values[k]);
    if (problem !== undefined) return new DataFormatError(problem, { file, record: rowStart + k, column: builder.name });
  }
  return undefined;
}

/**
 * Reads a Parquet file, as pandas/pyarrow, Polars or Spark write it, one row group at a time into
 * typed columns: hyparquet decodes, hyparquet-compressors decompresses (Snappy, GZIP, ZSTD, Brotli,
 * LZ4). Dates and timestamps (also Spark's INT96) become ISO 8601 text; NaN floats are missing.
 */
export async function parseParquetFile(path: string, file: string, limits: IngestLimits, signal?: AbortSignal): Promise<Table> {
  const hyparquet = await import('hyparquet');
  const { compressors } = await import('hyparquet-compressors');
  const source = await hyparquet.asyncBufferFromFile(path);
  await assertParquetMagic(source, file);
  let metadata: FileMetaData;
  try {
    metadata = await hyparquet.parquetMetadataAsync(source);
  } catch (error) {
    throw new DataFormatError(`corrupt Parquet metadata: ${(error as Error).message}`, { file }, { cause: error });
  }
  assertWithinLimits(metadata, file, limits);
  const names = flatColumns(metadata, file);
  const rowCount = Number(metadata.num_rows);
  const builders = new Map(names.map((name) => [name, new ColumnBuilder(name, rowCount)]));
  const guarded = guardedCompressors(compressors, file, limits);

  let groupStart = 0;
  for (const group of metadata.row_groups) {
    signal?.throwIfAborted();
    const groupEnd = groupStart + Number(group.num_rows);
    // hyparquet calls onChunk from a promise callback whose failure nobody awaits: an exception
    // thrown there would be an unhandled rejection, so the first problem is kept and thrown after.
    let problem: Error | undefined;
    try {
      await hyparquet.parquetRead({
        file: source,
        metadata,
        compressors: guarded,
        parsers,
        rowStart: groupStart,
        rowEnd: groupEnd,
        onChunk: ({ columnName, columnData, rowStart }) => {
          if (problem === undefined) problem = pushChunk(builders.get(columnName)!, columnData, rowStart, file);
        },
      });
    } catch (error) {
      if (error instanceof DataFormatError || error instanceof InputLimitError) throw error;
      throw new DataFormatError(`cannot decode Parquet row group at row ${groupStart}: ${(error as Error).message}`, { file }, { cause: error });
    }
    if (problem !== undefined) throw problem;
    groupStart = groupEnd;
  }
  const columns = names.map((name) => {
    const builder = builders.get(name)!;
    if (builder.length !== rowCount) throw new DataFormatError(`column holds ${builder.length} values for ${rowCount} rows`, { file, column: name });
    return builder.finish();
  });
  return { rowCount, columns };
}

async function assertParquetMagic(source: AsyncBuffer, file: string): Promise<void> {
  const magic = 'PAR1';
  if (source.byteLength < 12) throw new DataFormatError(`not a Parquet file: only ${source.byteLength} bytes`, { file });
  const head = Buffer.from(await source.slice(0, 4)).toString('latin1');
  const tail = Buffer.from(await source.slice(source.byteLength - 4)).toString('latin1');
  if (head !== magic || tail !== magic) throw new DataFormatError('not a Parquet file: the PAR1 marker is missing (truncated or another format)', { file });
}
