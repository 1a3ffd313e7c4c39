import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDatasetFile } from '../../ml/data/parseFile';
import { DataFormatError, InputLimitError } from '../../ml/data/errors';
import { type Table, cellValue } from '../../ml/data/table';
import { columnOfRef } from '../../ml/data/xlsx/sheet';
import { isDateFormatCode } from '../../ml/data/xlsx/styles';
import { excelDate } from '../../ml/data/xlsx/dates';
import { type TempFiles, tempFiles } from '../helpers/tempFiles';
import { deflatedEntry, makeZip } from '../helpers/zipWriter';

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** The smallest workbook Excel would open: one sheet whose <sheetData> is `rows`. */
function workbook(rows: string): Buffer {
  return makeZip([
    deflatedEntry('_rels/.rels', `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`),
    deflatedEntry('xl/workbook.xml', `<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`),
    deflatedEntry('xl/_rels/workbook.xml.rels', `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`),
    deflatedEntry('xl/worksheets/sheet1.xml', `<worksheet xmlns="${MAIN}"><sheetData>${rows}</sheetData></worksheet>`),
  ]);
}

const inline = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
const number = (ref: string, value: number) => `<c r="${ref}"><v>${value}</v></c>`;
const HEADER = `<row r="1">${inline('A1', 'a')}${inline('B1', 'b')}</row>`;

function rowsOf(table: Table): unknown[][] {
  return Array.from({ length: table.rowCount }, (_, row) => table.columns.map((c) => cellValue(c, row)));
}

describe('xlsx sheets', () => {
  let files: TempFiles;
  before(async () => {
    files = await tempFiles('data-xlsx-');
  });
  after(async () => {
    await files.remove();
  });

  const parse = async (name: string, rows: string, limits?: { maxUncompressedBytes: number }) =>
    parseDatasetFile(await files.write(name, workbook(rows)), 'xlsx', name, { limits });

  test('cells without a reference follow each other; blank cells and rows are missing or skipped; entities decode', async () => {
    const table = await parse('plain.xlsx', `${HEADER}<row><c><v>1</v></c><c t="str"><v>x &amp; y</v></c></row><row r="4"><c r="B4" t="inlineStr"><is><t>z</t></is></c></row><row r="5"/>`);
    assert.deepEqual(rowsOf(table), [
      [1, 'x & y'],
      [null, 'z'],
    ]);
  });

  test('a value outside the header, a duplicate or empty header, an empty sheet', async () => {
    await assert.rejects(parse('wide.xlsx', `${HEADER}<row r="2">${number('A2', 1)}${number('C2', 3)}</row>`), (error: unknown) => {
      assert.ok(error instanceof DataFormatError);
      assert.equal(error.row, 2);
      assert.match(error.message, /wide\.xlsx, sheet "S", row 2: a value in column 3 is outside the 2 named in the header/);
      return true;
    });
    await assert.rejects(parse('dup.xlsx', `<row r="1">${inline('A1', 'a')}${inline('B1', 'a')}</row>`), /row 1, column "a": duplicate column name "a"/);
    await assert.rejects(parse('gap.xlsx', `<row r="1">${inline('A1', 'a')}${inline('C1', 'c')}</row>`), /header cell 2 is empty/);
    await assert.rejects(parse('empty.xlsx', ''), /sheet "S": the sheet is empty: a header row is required/);
  });

  test('malformed XML and a corrupt part are DataFormatErrors naming the part', async () => {
    await assert.rejects(parse('broken.xlsx', `${HEADER}<row r="2"><c r="A2"><v>1</c></row>`), /broken\.xlsx: invalid XML in xl\/worksheets\/sheet1\.xml/);
    const corrupt = workbook(HEADER);
    const at = corrupt.indexOf('xl/worksheets/sheet1.xml') + 'xl/worksheets/sheet1.xml'.length;
    corrupt.fill(0xff, at, at + 8);
    await assert.rejects(parseDatasetFile(await files.write('corrupt.xlsx', corrupt), 'xlsx', 'corrupt.xlsx'), DataFormatError);
  });

  test('a workbook is an archive: its parts count against the decompression limits', async () => {
    const big = `${HEADER}${Array.from({ length: 2000 }, (_, i) => `<row r="${i + 2}">${number(`A${i + 2}`, i)}${number(`B${i + 2}`, i)}</row>`).join('')}`;
    assert.equal((await parse('big.xlsx', big)).rowCount, 2000);
    await assert.rejects(parse('big2.xlsx', big, { maxUncompressedBytes: 20_000 }), InputLimitError);
  });

  test('cell references, date formats and Excel serial dates', () => {
    assert.deepEqual(['A1', 'c7', 'Z9', 'AA1', 'AZ3', 'XFD1', undefined, '12'].map(columnOfRef), [0, 2, 25, 26, 51, 16383, -1, -1]);
    for (const code of ['yyyy-mm-dd', 'dd/mm/yyyy hh:mm', '[h]:mm:ss', 'mmm d', '[$-409]d-mmm-yy']) assert.equal(isDateFormatCode(code), true, code);
    for (const code of ['General', '0.00', '#,##0 "days"', '[Red]0.0', '0.00E+00', '\\d0']) assert.equal(isDateFormatCode(code), false, code);
    assert.equal(excelDate(45292, false), '2024-01-01');
    assert.equal(excelDate(45292.5, false), '2024-01-01T12:00:00.000Z');
    assert.equal(excelDate(1, false), '1900-01-01');
    assert.equal(excelDate(61, false), '1900-03-01');
    assert.equal(excelDate(0, true), '1904-01-01');
  });
});
