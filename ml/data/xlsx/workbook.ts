import { posix } from 'node:path';
import { DataFormatError } from '../errors';
import { type ZipArchive } from '../archive/zip';
import { localName, readXml } from './xml';

export interface SheetRef {
  readonly name: string;
  /** The sheet's part inside the archive, e.g. "xl/worksheets/sheet2.xml". */
  readonly part: string;
}

export interface WorkbookInfo {
  readonly sheets: readonly SheetRef[];
  /** Serial dates count from 1904-01-01 (old Mac Excel) instead of 1899-12-30. */
  readonly date1904: boolean;
  readonly sharedStringsPart?: string;
  readonly stylesPart?: string;
}

const OFFICE_DOCUMENT = /\/officeDocument$/;

/** A relationship target, relative to the folder of the part that declares it (or absolute). */
function resolvePart(fromPart: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  return posix.normalize(posix.join(posix.dirname(fromPart), target));
}

/** The .rels part that describes `part`: "xl/workbook.xml" → "xl/_rels/workbook.xml.rels". */
function relsOf(part: string): string {
  return posix.join(posix.dirname(part), '_rels', `${posix.basename(part)}.rels`);
}

async function relationships(archive: ZipArchive, file: string, part: string): Promise<Map<string, { type: string; target: string }>> {
  const rels = new Map<string, { type: string; target: string }>();
  const entry = archive.find(relsOf(part));
  if (entry === undefined) return rels;
  await readXml(await archive.open(entry), file, entry.name, {
    open(tag) {
      if (localName(tag.name) !== 'Relationship') return;
      const { Id, Type, Target } = tag.attributes;
      if (Id && Target) rels.set(Id, { type: Type ?? '', target: resolvePart(part, Target) });
    },
  });
  return rels;
}

/** Where the workbook's sheets, shared strings and styles are, following its relationships. */
export async function readWorkbook(archive: ZipArchive, file: string): Promise<WorkbookInfo> {
  const root = await relationships(archive, file, '');
  const workbookPart = [...root.values()].find((r) => OFFICE_DOCUMENT.test(r.type))?.target ?? 'xl/workbook.xml';
  const workbook = archive.find(workbookPart);
  if (workbook === undefined) throw new DataFormatError(`not an xlsx workbook: ${workbookPart} is missing`, { file });
  const rels = await relationships(archive, file, workbookPart);
  const sheets: SheetRef[] = [];
  let date1904 = false;
  await readXml(await archive.open(workbook), file, workbookPart, {
    open(tag) {
      const name = localName(tag.name);
      if (name === 'workbookPr') date1904 = tag.attributes.date1904 === '1' || tag.attributes.date1904 === 'true';
      if (name !== 'sheet') return;
      const id = Object.entries(tag.attributes).find(([key]) => localName(key) === 'id')?.[1];
      const rel = id === undefined ? undefined : rels.get(id);
      if (rel !== undefined && tag.attributes.name) sheets.push({ name: tag.attributes.name, part: rel.target });
    },
  });
  const byType = (suffix: string) => [...rels.values()].find((r) => r.type.endsWith(suffix))?.target;
  return { sheets, date1904, sharedStringsPart: byType('/sharedStrings'), stylesPart: byType('/styles') };
}
