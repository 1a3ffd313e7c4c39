import { FAILURE_TYPES } from '../../contract/failureTypes';
import { PipelineError } from '../../contract/pipelineError';

/** Where in a dataset a problem is; every part is optional because not every format knows each. */
export interface DataLocation {
  readonly file?: string;
  /** 1-based physical line of the file. */
  readonly line?: number;
  /** Name of the dataset column. */
  readonly column?: string;
  /** 0-based index of a JSON record or Parquet row. */
  readonly record?: number;
  /** Spreadsheet sheet name and 1-based row number, as the spreadsheet shows them. */
  readonly sheet?: string;
  readonly row?: number;
}

function describe(where: DataLocation): string {
  const parts: string[] = [];
  if (where.file !== undefined) parts.push(where.file);
  if (where.sheet !== undefined) parts.push(`sheet "${where.sheet}"`);
  if (where.row !== undefined) parts.push(`row ${where.row}`);
  if (where.line !== undefined) parts.push(`line ${where.line}`);
  if (where.record !== undefined) parts.push(`record ${where.record}`);
  if (where.column !== undefined) parts.push(`column "${where.column}"`);
  return parts.join(', ');
}

/** The bytes are not a well-formed dataset of the expected format. */
export class DataFormatError extends PipelineError {
  override readonly name = 'DataFormatError';
  readonly file?: string;
  readonly line?: number;
  readonly column?: string;
  readonly record?: number;
  readonly sheet?: string;
  readonly row?: number;
  readonly detail: string;

  constructor(detail: string, where: DataLocation = {}, options?: ErrorOptions) {
    const prefix = describe(where);
    super(FAILURE_TYPES.DataFormatError, prefix === '' ? detail : `${prefix}: ${detail}`, options);
    this.detail = detail;
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
    this.record = where.record;
    this.sheet = where.sheet;
    this.row = where.row;
  }
}

/** The dataset format cannot be told from the source and was not given. */
export class UnsupportedFormatError extends PipelineError {
  override readonly name = 'UnsupportedFormatError';
  readonly source: string;

  constructor(source: string, supported: readonly string[]) {
    super(
      FAILURE_TYPES.UnsupportedFormatError,
      `cannot tell the format of "${source}" from its extension: name a format (one of ${supported.join(', ')}) or use one of the extensions .csv, .tsv, .json, .jsonl, .ndjson, .parquet, .xlsx (optionally followed by .gz), or .zip`,
    );
    this.source = source;
  }
}

/**
 * The explicit format contradicts the extension of the source, or the bytes are plainly another
 * format than the one expected (a Parquet or zip file named .csv).
 */
export class FormatMismatchError extends PipelineError {
  override readonly name = 'FormatMismatchError';
  readonly source: string;
  readonly explicit: string;
  readonly inferred: string;

  constructor(source: string, explicit: string, inferred: string, basis: 'extension' | 'content' = 'extension') {
    super(
      FAILURE_TYPES.FormatMismatchError,
      basis === 'extension'
        ? `format "${explicit}" was given but "${source}" has a ${inferred} extension`
        : `"${source}" was expected to be ${explicit} but its content is ${inferred}`,
    );
    this.source = source;
    this.explicit = explicit;
    this.inferred = inferred;
  }
}

/**
 * An archive cannot be used as a dataset: corrupt, encrypted, or not holding exactly one data file
 * to choose. Not retryable: the same bytes fail the same way.
 */
export class ArchiveError extends PipelineError {
  override readonly name = 'ArchiveError';
  readonly archive: string;

  constructor(archive: string, detail: string, options?: ErrorOptions) {
    super(FAILURE_TYPES.ArchiveError, `${archive}: ${detail}`, options);
    this.archive = archive;
  }
}

/** An archive entry would land outside the extraction folder (zip slip) or is a link. */
export class UnsafeArchiveError extends PipelineError {
  override readonly name = 'UnsafeArchiveError';
  readonly archive: string;
  readonly entry: string;

  constructor(archive: string, entry: string, reason: string) {
    super(FAILURE_TYPES.UnsafeArchiveError, `${archive}: refusing entry ${JSON.stringify(entry)}: ${reason}`);
    this.archive = archive;
    this.entry = entry;
  }
}

/**
 * The input is bigger than a configured limit allows (uncompressed size, compression ratio, entry
 * count): what stops decompression bombs before they fill memory or disk.
 */
export class InputLimitError extends PipelineError {
  override readonly name = 'InputLimitError';
  readonly limit: string;
  readonly file: string;

  constructor(file: string, limit: string, detail: string) {
    super(FAILURE_TYPES.InputLimitError, `${file}: ${detail} (limit ${limit})`);
    this.file = file;
    this.limit = limit;
  }
}

/** The table cannot be turned into model inputs as asked (missing column, wrong kind, empty split). */
export class PreprocessError extends PipelineError {
  override readonly name = 'PreprocessError';
  readonly column?: string;

  constructor(message: string, column?: string, options?: ErrorOptions) {
    super(FAILURE_TYPES.PreprocessError, message, options);
    this.column = column;
  }
}

/**
 * A column named in the params (the target, a feature, a role or an exclusion) that the data does
 * not have; checked right after ingest, so a misspelt name fails before validation and training.
 */
export class ColumnNotFoundError extends PipelineError {
  override readonly name = 'ColumnNotFoundError';

  constructor(
    message: string,
    /** The first missing column. */
    readonly column: string,
  ) {
    super(FAILURE_TYPES.ColumnNotFoundError, message);
  }
}
