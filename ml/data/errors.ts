/** Where in a dataset a problem is; every part is optional because not every format knows each. */
export interface DataLocation {
  readonly file?: string;
  /** 1-based physical line of the file. */
  readonly line?: number;
  /** Name of the dataset column. */
  readonly column?: string;
  /** 0-based index of a JSON record. */
  readonly record?: number;
}

function describe(where: DataLocation): string {
  const parts: string[] = [];
  if (where.file !== undefined) parts.push(where.file);
  if (where.line !== undefined) parts.push(`line ${where.line}`);
  if (where.record !== undefined) parts.push(`record ${where.record}`);
  if (where.column !== undefined) parts.push(`column "${where.column}"`);
  return parts.join(', ');
}

/** The bytes are not a well-formed dataset of the expected format. */
export class DataFormatError extends Error {
  override name = 'DataFormatError';
  readonly file?: string;
  readonly line?: number;
  readonly column?: string;
  readonly record?: number;
  readonly detail: string;

  constructor(detail: string, where: DataLocation = {}, options?: ErrorOptions) {
    const prefix = describe(where);
    super(prefix === '' ? detail : `${prefix}: ${detail}`, options);
    this.detail = detail;
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
    this.record = where.record;
  }
}

/** The dataset format cannot be told from the source and was not given. */
export class UnsupportedFormatError extends Error {
  override name = 'UnsupportedFormatError';
  readonly source: string;

  constructor(source: string, supported: readonly string[]) {
    super(`cannot tell the format of "${source}" from its extension: name a format (one of ${supported.join(', ')}) or use one of the extensions .csv, .tsv, .json, .jsonl, .ndjson`);
    this.source = source;
  }
}

/** The explicit format contradicts the extension of the source. */
export class FormatMismatchError extends Error {
  override name = 'FormatMismatchError';
  readonly source: string;
  readonly explicit: string;
  readonly inferred: string;

  constructor(source: string, explicit: string, inferred: string) {
    super(`format "${explicit}" was given but "${source}" has a ${inferred} extension`);
    this.source = source;
    this.explicit = explicit;
    this.inferred = inferred;
  }
}

/** The table cannot be turned into model inputs as asked (missing column, wrong kind, empty split). */
export class PreprocessError extends Error {
  override name = 'PreprocessError';
  readonly column?: string;

  constructor(message: string, column?: string, options?: ErrorOptions) {
    super(message, options);
    this.column = column;
  }
}
