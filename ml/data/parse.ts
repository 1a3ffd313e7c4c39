import { type Table } from './table';
import { type DatasetFormat } from './format';
import { parseDelimited } from './delimited';
import { parseJson, parseJsonLines } from './json';

/** Parses the bytes of a dataset file of the given format; `fileName` is named in errors. */
export function parseDataset(bytes: Uint8Array, format: DatasetFormat, fileName: string): Table {
  switch (format) {
    case 'csv':
      return parseDelimited(bytes, { delimiter: ',', fileName });
    case 'tsv':
      return parseDelimited(bytes, { delimiter: '\t', fileName });
    case 'json':
      return parseJson(bytes, fileName);
    case 'jsonl':
      return parseJsonLines(bytes, fileName);
  }
}
