import { type PredictionFormat } from '../../../contract/inferenceParams';
import { type ChunkWriter } from './columns';
import { parquetWriter } from './parquetWriter';
import { csvWriter, jsonLinesWriter } from './textWriters';

export { type ChunkWriter, type OutputColumn } from './columns';

/** A writer of the predictions file in the format the run asked for. */
export function predictionsWriter(format: PredictionFormat, path: string): Promise<ChunkWriter> {
  if (format === 'parquet') return parquetWriter(path);
  return Promise.resolve(format === 'csv' ? csvWriter(path) : jsonLinesWriter(path));
}

export const PREDICTION_FILE_TYPES: Readonly<Record<PredictionFormat, { readonly file: string; readonly contentType: string }>> = {
  parquet: { file: 'predictions.parquet', contentType: 'application/vnd.apache.parquet' },
  csv: { file: 'predictions.csv', contentType: 'text/csv' },
  jsonl: { file: 'predictions.jsonl', contentType: 'application/x-ndjson' },
};
