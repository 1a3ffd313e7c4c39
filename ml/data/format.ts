import { type Compression, DATASET_FORMATS, type DatasetFormat } from '../../contract/params';
import { FormatMismatchError, UnsupportedFormatError } from './errors';

export type { Compression, DatasetFormat };

const BY_EXTENSION: ReadonlyMap<string, DatasetFormat> = new Map([
  ['csv', 'csv'],
  ['tsv', 'tsv'],
  ['tab', 'tsv'],
  ['json', 'json'],
  ['jsonl', 'jsonl'],
  ['ndjson', 'jsonl'],
  ['parquet', 'parquet'],
  ['pq', 'parquet'],
  ['xlsx', 'xlsx'],
]);

const COMPRESSION_BY_EXTENSION: ReadonlyMap<string, Compression> = new Map([
  ['gz', 'gzip'],
  ['gzip', 'gzip'],
  ['zip', 'zip'],
]);

/** The extensions a dataset file name may end with, for messages. */
export const KNOWN_EXTENSIONS: readonly string[] = [...BY_EXTENSION.keys(), ...[...BY_EXTENSION.keys()].map((e) => `${e}.gz`), 'zip'];

/** The file name a source ends with: no folders, query string or fragment. */
export function baseName(source: string): string {
  const path = source.replace(/[?#].*$/s, '');
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/** The dot-separated extensions of a name, lower case, outermost last: "a.CSV.gz" → ["csv", "gz"]. */
function extensionsOf(source: string): string[] {
  const parts = baseName(source).toLowerCase().split('.');
  return parts.length <= 1 || parts[0] === '' ? parts.slice(2) : parts.slice(1);
}

/** What a source's name says: the data format (if any) and the compression around it. */
export interface NamedFormat {
  readonly format?: DatasetFormat;
  readonly compression: Compression;
}

export function formatFromName(source: string): NamedFormat {
  const extensions = extensionsOf(source);
  const last = extensions.at(-1) ?? '';
  const compression = COMPRESSION_BY_EXTENSION.get(last);
  if (compression === undefined) return { format: BY_EXTENSION.get(last), compression: 'none' };
  return { format: BY_EXTENSION.get(extensions.at(-2) ?? ''), compression };
}

/** The data format of a file name inside an archive, if its extension names one. */
export function dataFormatOf(name: string): DatasetFormat | undefined {
  return BY_EXTENSION.get(extensionsOf(name).at(-1) ?? '');
}

/** A source's format as far as its name and the params tell; `format` is undefined only for a zip archive, whose entry decides. */
export interface SourceFormat {
  readonly format: DatasetFormat | undefined;
  readonly compression: Compression;
}

/**
 * The format and compression of `source` (a path or URL) from the explicit params and its name,
 * e.g. "data.csv.gz" → csv in gzip, "export.zip" → a zip whose data file's extension decides. An
 * explicit value that contradicts the name is an error, not an override; a name that tells nothing
 * needs the explicit format (the content may still reveal the compression, see parseDatasetFile).
 */
export function resolveSource(source: string, explicit: { format?: DatasetFormat; compression?: Compression } = {}): SourceFormat {
  const named = formatFromName(source);
  if (explicit.compression !== undefined && named.compression !== 'none' && explicit.compression !== named.compression) {
    throw new FormatMismatchError(source, explicit.compression, named.compression);
  }
  if (explicit.format !== undefined && named.format !== undefined && explicit.format !== named.format) {
    throw new FormatMismatchError(source, explicit.format, named.format);
  }
  const compression = explicit.compression ?? named.compression;
  const format = explicit.format ?? named.format;
  if (format === undefined && compression !== 'zip') throw new UnsupportedFormatError(source, DATASET_FORMATS);
  return { format, compression };
}

/**
 * The data format of `source`: the explicit one when given, else the one its name says (also
 * through .gz and .zip: "rows.jsonl.gz" is jsonl). Throws when neither tells, e.g. for a bare
 * "export.zip", whose format only its entry knows: use `resolveSource` to accept those.
 */
export function resolveFormat(source: string, explicit?: DatasetFormat): DatasetFormat {
  const { format } = resolveSource(source, { format: explicit });
  if (format === undefined) throw new UnsupportedFormatError(source, DATASET_FORMATS);
  return format;
}
