import { type Table } from './table';
import { type DatasetFormat } from './format';
import { parseDelimited } from './delimited';
import { parseJson, parseJsonLines } from './json';

/**
 * Parses the bytes of a text dataset held in memory (small inputs, tests); `fileName` is named in
 * errors. Files, and the binary formats (parquet, xlsx), go through `parseDatasetFile`, which
 * streams.
 */
export function parseDataset(bytes: Uint8Array, format: DatasetFormat, fileName: string, options: { delimiter?: string; maxColumns?: number } = {}): Table {
  const { maxColumns } = options;
  switch (format) {
    case 'csv':
      return parseDelimited(bytes, { delimiter: options.delimiter ?? ',', fileName, maxColumns });
    case 'tsv':
      return parseDelimited(bytes, { delimiter: options.delimiter ?? '\t', fileName, maxColumns });
    case 'json':
      return parseJson(bytes, fileName);
    case 'jsonl':
      return parseJsonLines(bytes, fileName);
    case 'parquet':
    case 'xlsx':
      throw new TypeError(`${format} is read from a file: use parseDatasetFile for ${fileName}`);
  }
}
