import { ArchiveError, FormatMismatchError } from '../errors';
import { type DatasetFormat, dataFormatOf } from '../format';
import { DATASET_FORMATS } from '../../../contract/params';
import { type ZipEntry } from './zip';

/** Names inside archives that are never the data: macOS resource forks and the like. */
function isMetadataEntry(name: string): boolean {
  const base = name.slice(name.lastIndexOf('/') + 1);
  return name.startsWith('__MACOSX/') || base.startsWith('._') || base === '.DS_Store';
}

/** The one data file of an archive: by extension, and by format when one was asked for. */
export function chooseEntry(entries: readonly ZipEntry[], format: DatasetFormat | undefined, file: string): ZipEntry {
  const data = entries.filter((e) => !isMetadataEntry(e.name) && dataFormatOf(e.name) !== undefined);
  const matching = format === undefined ? data : data.filter((e) => dataFormatOf(e.name) === format);
  if (matching.length === 1) return matching[0];
  if (matching.length === 0 && format !== undefined && data.length === 1) {
    throw new FormatMismatchError(`${file}:${data[0].name}`, format, dataFormatOf(data[0].name)!);
  }
  const listed = (list: readonly ZipEntry[]) => list.map((e) => JSON.stringify(e.name)).join(', ');
  if (matching.length === 0) {
    const holds = entries.length === 0 ? 'nothing' : listed(entries.slice(0, 10)) + (entries.length > 10 ? ', …' : '');
    throw new ArchiveError(file, `no ${format ?? 'data'} file (${DATASET_FORMATS.map((f) => `.${f}`).join(', ')}) in the archive; it holds ${holds}`);
  }
  throw new ArchiveError(file, `holds ${matching.length} ${format ?? 'data'} files (${listed(matching)}): it is ambiguous which one to read; keep one per archive`);
}
