import { type Table } from '../table';
import { DataFormatError } from '../errors';
import { type IngestLimits } from '../limits';
import { ZipArchive } from '../archive/zip';
import { readWorkbook } from './workbook';
import { readSharedStrings } from './sharedStrings';
import { readDateStyles } from './styles';
import { SheetReader } from './sheet';

/**
 * Reads one sheet of an xlsx workbook (the first by default, else the one named) into typed
 * columns. The workbook is a zip archive, read with the same checks and limits as any archive;
 * its XML parts are streamed, never held whole.
 */
export async function parseXlsxFile(path: string, file: string, limits: IngestLimits, folder: string, sheet?: string): Promise<Table> {
  const archive = await ZipArchive.open(path, file, limits, folder);
  try {
    const workbook = await readWorkbook(archive, file);
    if (workbook.sheets.length === 0) throw new DataFormatError('the workbook has no sheets', { file });
    const chosen = sheet === undefined ? workbook.sheets[0] : workbook.sheets.find((s) => s.name === sheet);
    if (chosen === undefined) {
      throw new DataFormatError(`no sheet named "${sheet}"; the sheets are ${workbook.sheets.map((s) => `"${s.name}"`).join(', ')}`, { file });
    }
    const entry = archive.find(chosen.part);
    if (entry === undefined) throw new DataFormatError(`sheet "${chosen.name}" points to ${chosen.part}, which is missing`, { file });
    const sharedStrings = await readSharedStrings(archive, file, workbook.sharedStringsPart);
    const dateStyles = await readDateStyles(archive, file, workbook.stylesPart);
    const reader = new SheetReader({ file, sheet: chosen.name, part: chosen.part, sharedStrings, dateStyles, date1904: workbook.date1904 });
    return await reader.read(await archive.open(entry));
  } finally {
    archive.close();
  }
}
