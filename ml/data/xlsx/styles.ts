import { type ZipArchive } from '../archive/zip';
import { localName, readXml } from './xml';

/** Built-in number formats that show dates or times (ECMA-376 18.8.30, plus the CJK ones Excel uses). */
const BUILT_IN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/**
 * Whether a custom format code shows a date or time: after dropping quoted text, escaped
 * characters and bracketed colours or conditions, any of y, m, d, h, s remains.
 */
export function isDateFormatCode(code: string): boolean {
  const bare = code
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[(?!h|m|s)[^\]]*\]/gi, '')
    .replace(/_.|\*./g, '');
  if (/^general$/i.test(bare.trim())) return false;
  return /[ymdhs]/i.test(bare);
}

/** For each cell style index (a cell's s attribute), whether it formats its number as a date. */
export async function readDateStyles(archive: ZipArchive, file: string, part: string | undefined): Promise<boolean[]> {
  const styles: boolean[] = [];
  const entry = part === undefined ? undefined : archive.find(part);
  if (entry === undefined) return styles;
  const customDates = new Map<number, boolean>();
  let inCellXfs = false;
  await readXml(await archive.open(entry), file, entry.name, {
    open(tag) {
      const name = localName(tag.name);
      if (name === 'numFmt') customDates.set(Number(tag.attributes.numFmtId), isDateFormatCode(tag.attributes.formatCode ?? ''));
      else if (name === 'cellXfs') inCellXfs = !tag.isSelfClosing;
      else if (name === 'xf' && inCellXfs) {
        const id = Number(tag.attributes.numFmtId ?? 0);
        styles.push(customDates.get(id) ?? BUILT_IN_DATE_FORMATS.has(id));
      }
    },
    close(tag) {
      if (localName(tag) === 'cellXfs') inCellXfs = false;
    },
  });
  return styles;
}
