import { type Compression, type DatasetFormat } from '../../../contract';
import { encodeTable } from '../../../ml/data/codec';
import { checkColumns, type ColumnRefs } from '../../../ml/data/columnCheck';
import { withMissingTokens } from '../../../ml/data/missingTokens';
import { readDatasetFile } from '../../../ml/data/parseFile';
import { schemaOf } from '../../../ml/data/table';
import { movable, type ComputeTask } from '../protocol';

export interface IngestTaskInput {
  /** The local file to read: the source itself, or its download in the attempt's scratch folder. */
  readonly path: string;
  /** The source's name as messages show it (a secret source's reference, never its value). */
  readonly fileName: string;
  readonly format?: DatasetFormat;
  readonly compression: Compression;
  readonly delimiter?: string;
  readonly sheet?: string;
  /** The attempt's scratch folder: archives are extracted there, so nothing outlives the attempt. */
  readonly tempDir: string;
  readonly maxColumns?: number;
  readonly missingValues: readonly string[];
  readonly columns?: ColumnRefs;
}

export interface IngestTaskOutput {
  /** The encoded table. */
  readonly table: Uint8Array;
  /** `{ rows, columns: ColumnSchema[] }` as JSON. */
  readonly schema: string;
  readonly format: DatasetFormat;
  readonly rows: number;
  readonly columns: number;
}

/**
 * Parses a local dataset file into columns, applies the declared missing-value tokens, checks that
 * the columns the params name exist, and encodes the table: the parsing that used to run on the
 * worker's event loop. The activity keeps the I/O around it (the fetch, the store puts).
 */
export const ingestTask: ComputeTask<IngestTaskInput, IngestTaskOutput> = async (input, { progress }) => {
  const { table: parsed, format } = await readDatasetFile(input.path, input.fileName, {
    format: input.format,
    compression: input.compression,
    delimiter: input.delimiter,
    sheet: input.sheet,
    tempDir: input.tempDir,
    limits: input.maxColumns === undefined ? {} : { maxColumns: input.maxColumns },
    onProgress: (done, total) => progress({ fraction: 0.5 + (0.4 * done) / Math.max(total, 1), message: `parsed ${done} of ${total} bytes` }),
  });
  const table = withMissingTokens(parsed, input.missingValues);
  // A misspelt target or feature fails here, naming it, not after validation and a long preprocess.
  if (input.columns) checkColumns(table.columns.map((c) => c.name), input.columns);
  const encoded = movable(encodeTable(table));
  const schema = JSON.stringify({ rows: table.rowCount, columns: schemaOf(table) }, null, 2);
  return { value: { table: encoded, schema, format, rows: table.rowCount, columns: table.columns.length }, transfer: [encoded.buffer] };
};
