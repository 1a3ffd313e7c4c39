import { DATASET_FORMATS, type DatasetFormat } from '../../contract/params';
import { FormatMismatchError, UnsupportedFormatError } from './errors';

export type { DatasetFormat };

const BY_EXTENSION: ReadonlyMap<string, DatasetFormat> = new Map([
  ['csv', 'csv'],
  ['tsv', 'tsv'],
  ['json', 'json'],
  ['jsonl', 'jsonl'],
  ['ndjson', 'jsonl'],
]);

function extensionOf(source: string): string {
  const path = source.replace(/[?#].*$/s, '');
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}

/**
 * The format of `source` (a path or URL): the explicit one when given, else the one its extension
 * names. An explicit format that contradicts a known extension is an error, not an override.
 */
export function resolveFormat(source: string, explicit?: DatasetFormat): DatasetFormat {
  const inferred = BY_EXTENSION.get(extensionOf(source));
  if (explicit !== undefined) {
    if (inferred !== undefined && inferred !== explicit) throw new FormatMismatchError(source, explicit, inferred);
    return explicit;
  }
  if (inferred === undefined) throw new UnsupportedFormatError(source, DATASET_FORMATS);
  return inferred;
}
