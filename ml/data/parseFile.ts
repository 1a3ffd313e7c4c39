import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Table } from './table';
import { ArchiveError, DataFormatError, FormatMismatchError, UnsupportedFormatError } from './errors';
import { sniff } from './magic';
import { type Compression, type DatasetFormat, dataFormatOf, formatFromName, resolveSource } from './format';
import { type IngestLimits, ingestLimits, tooManyColumnsDetail } from './limits';
import { type FeedOptions, feedFile } from './chunks';
import { DelimitedParser } from './delimited';
import { JsonArrayParser } from './jsonArray';
import { JsonLinesParser } from './jsonLines';
import { parseParquetFile } from './parquet';
import { parseXlsxFile } from './xlsx';
import { ZipArchive, type ZipEntry } from './archive/zip';
import { chooseEntry } from './archive/chooseEntry';
import { extractEntry, gunzipFile } from './archive/extract';
import { DATASET_FORMATS } from '../../contract/params';

export interface DatasetFileOptions {
  /** Field delimiter of csv/tsv (default "," and tab). */
  readonly delimiter?: string;
  /** The xlsx sheet to read (default: the first). */
  readonly sheet?: string;
  readonly limits?: Partial<IngestLimits>;
  /** gzip or zip when the name does not say (default: from the name, else from the first bytes). */
  readonly compression?: Compression;
  /** Where archives are extracted, in a fresh folder removed afterwards (default: the OS temp folder). */
  readonly tempDir?: string;
  readonly signal?: AbortSignal;
  /** Progress of text formats: bytes parsed so far and the size of the (decompressed) file. */
  readonly onProgress?: FeedOptions['onProgress'];
  /** Bytes text formats read per step (default 4 MiB): memory per parse, beyond the table itself. */
  readonly chunkBytes?: number;
}

export interface ParsedDataset {
  readonly table: Table;
  /** The data format read, e.g. the extension of the file chosen inside a zip. */
  readonly format: DatasetFormat;
  readonly compression: Compression;
  /** The archive entry read, for zip archives. */
  readonly entry?: string;
}

/**
 * Reads an uncompressed file of a known format. Delimited files are refused for width while their
 * header is read; the other formats learn their columns as they go, so their table is checked once read.
 */
async function parsePlain(path: string, format: DatasetFormat, file: string, options: DatasetFileOptions, limits: IngestLimits, folder: string): Promise<Table> {
  const table = await parseFormat(path, format, file, options, limits, folder);
  if (table.columns.length > limits.maxColumns) throw new DataFormatError(`the table has ${tooManyColumnsDetail(table.columns.length, limits.maxColumns)}`, { file });
  return table;
}

async function parseFormat(path: string, format: DatasetFormat, file: string, options: DatasetFileOptions, limits: IngestLimits, folder: string): Promise<Table> {
  const magic = await sniff(path);
  const textual = format === 'csv' || format === 'tsv' || format === 'json' || format === 'jsonl';
  if (textual && magic !== 'other') throw new FormatMismatchError(file, format, magic === 'zip' ? 'a zip archive (or xlsx)' : magic, 'content');
  if (format === 'xlsx' && magic !== 'zip') throw new DataFormatError('not an xlsx workbook: it is not a zip archive', { file });
  const feed: FeedOptions = { signal: options.signal, onProgress: options.onProgress, chunkBytes: options.chunkBytes };
  switch (format) {
    case 'csv':
    case 'tsv': {
      const delimiter = options.delimiter ?? (format === 'csv' ? ',' : '\t');
      const parser = await feedFile(path, (access) => new DelimitedParser({ delimiter, fileName: file, maxRecordBytes: limits.maxRecordBytes, maxColumns: limits.maxColumns }, access), feed);
      return parser.finish();
    }
    case 'json':
      return (await feedFile(path, () => new JsonArrayParser(file, limits.maxRecordBytes), feed)).finish();
    case 'jsonl':
      return (await feedFile(path, () => new JsonLinesParser(file, limits.maxRecordBytes), feed)).finish();
    case 'parquet':
      return parseParquetFile(path, file, limits, options.signal);
    case 'xlsx':
      return parseXlsxFile(path, file, limits, join(folder, 'xlsx'), options.sheet);
  }
}

/**
 * Reads a local dataset file into a columnar table, streaming: text formats are parsed chunk by
 * chunk into typed columns, Parquet row group by row group, xlsx as streamed XML. `fileName` (the
 * source's name) decides the format and compression with `options`, as `resolveSource` says;
 * gzip and zip inputs are decompressed into a temporary folder under the limits first (for a zip,
 * its one data file is chosen by extension). Content that plainly contradicts the expected format
 * is a FormatMismatchError. Bad data is a DataFormatError naming file, line and column where it can.
 */
export async function readDatasetFile(path: string, fileName: string, options: DatasetFileOptions & { format?: DatasetFormat } = {}): Promise<ParsedDataset> {
  const limits = ingestLimits(options.limits);
  const declared = resolveSource(fileName, { format: options.format, compression: options.compression });
  const magic = await sniff(path);
  let compression = declared.compression;
  if (compression === 'none' && options.compression === undefined && formatFromName(fileName).compression === 'none') {
    if (magic === 'gzip') compression = 'gzip';
    else if (magic === 'zip' && declared.format !== 'xlsx') compression = 'zip';
  }
  if (compression === 'gzip' && magic !== 'gzip') throw new DataFormatError('not gzip data: the gzip header is missing', { file: fileName });
  if (compression === 'zip' && magic !== 'zip') throw new ArchiveError(fileName, 'not a zip archive: the zip header is missing');

  const folder = await mkdtemp(join(options.tempDir ?? tmpdir(), 'ingest-'));
  try {
    if (compression === 'gzip') {
      if (declared.format === undefined) throw new UnsupportedFormatError(fileName, DATASET_FORMATS);
      const inner = join(folder, 'data');
      await gunzipFile(path, fileName, inner, limits, options.signal);
      return { table: await parsePlain(inner, declared.format, fileName, options, limits, folder), format: declared.format, compression };
    }
    if (compression === 'zip') {
      const extractTo = join(folder, 'extracted');
      const archive = await ZipArchive.open(path, fileName, limits, extractTo);
      let extracted: string;
      let entry: ZipEntry;
      try {
        entry = chooseEntry(archive.entries, declared.format, fileName);
        extracted = await extractEntry(archive, entry, fileName, extractTo, options.signal);
      } finally {
        archive.close();
      }
      const format = dataFormatOf(entry.name)!;
      return { table: await parsePlain(extracted, format, `${fileName}:${entry.name}`, options, limits, folder), format, compression, entry: entry.name };
    }
    if (declared.format === undefined) throw new UnsupportedFormatError(fileName, DATASET_FORMATS);
    return { table: await parsePlain(path, declared.format, fileName, options, limits, folder), format: declared.format, compression };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/**
 * `readDatasetFile` for a caller that resolved the format already (`resolveFormat`); undefined
 * lets a zip archive's entry decide.
 */
export async function parseDatasetFile(path: string, format: DatasetFormat | undefined, fileName: string, options: DatasetFileOptions = {}): Promise<Table> {
  return (await readDatasetFile(path, fileName, { ...options, format })).table;
}
