import { type ZipArchive } from '../archive/zip';
import { localName, readXml } from './xml';

/**
 * The workbook's shared string table: cells of type "s" hold an index into it. Rich text (several
 * <r> runs) is joined; phonetic guides (<rPh>) are not part of the text.
 */
export async function readSharedStrings(archive: ZipArchive, file: string, part: string | undefined): Promise<string[]> {
  const strings: string[] = [];
  const entry = part === undefined ? undefined : archive.find(part);
  if (entry === undefined) return strings;
  let current: string[] | undefined;
  let inText = false;
  let phonetic = 0;
  await readXml(await archive.open(entry), file, entry.name, {
    open(tag) {
      const name = localName(tag.name);
      if (name === 'si') current = [];
      else if (name === 'rPh') phonetic++;
      else if (name === 't' && phonetic === 0) inText = !tag.isSelfClosing;
    },
    text(text) {
      if (inText) current?.push(text);
    },
    close(tag) {
      const name = localName(tag);
      if (name === 't') inText = false;
      else if (name === 'rPh') phonetic--;
      else if (name === 'si') {
        strings.push(current?.join('') ?? '');
        current = undefined;
      }
    },
  });
  return strings;
}
