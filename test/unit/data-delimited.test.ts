import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDataset } from '../../ml/data/parse';
import { DataFormatError } from '../../ml/data/errors';
import { type Table, cellValue, findColumn } from '../../ml/data/table';

function csv(text: string | Uint8Array, format: 'csv' | 'tsv' = 'csv'): Table {
  return parseDataset(typeof text === 'string' ? Buffer.from(text, 'utf8') : text, format, `test.${format}`);
}

/** Every row as JSON values, for compact assertions. */
function rowsOf(table: Table): unknown[][] {
  return Array.from({ length: table.rowCount }, (_, row) => table.columns.map((c) => cellValue(c, row)));
}

function assertFormatError(run: () => unknown, line: number | undefined, message: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof DataFormatError, String(error));
    assert.equal(error.line, line);
    assert.match(error.message, message);
    if (line !== undefined) assert.match(error.message, new RegExp(`test\\.(csv|tsv), line ${line}`));
    return true;
  });
}

describe('delimited parser', () => {
  test('parses a header and typed columns', () => {
    const table = csv('a,b,c\n1,2.5,x\n3,4,y\n');
    assert.equal(table.rowCount, 2);
    assert.deepEqual(
      table.columns.map((c) => [c.name, c.type]),
      [
        ['a', 'integer'],
        ['b', 'number'],
        ['c', 'string'],
      ],
    );
    assert.deepEqual(rowsOf(table), [
      [1, 2.5, 'x'],
      [3, 4, 'y'],
    ]);
  });

  test('quoted fields hold delimiters, escaped quotes and line breaks', () => {
    const table = csv('id,text\n1,"a, b"\n2,"say ""hi"""\n3,"two\nlines"\n4,""\n5,""""\n');
    assert.deepEqual(rowsOf(table), [
      [1, 'a, b'],
      [2, 'say "hi"'],
      [3, 'two\nlines'],
      [4, null],
      [5, '"'],
    ]);
  });

  test('a line break inside quotes still counts towards later line numbers', () => {
    assertFormatError(() => csv('a,b\n1,"x\ny"\n2\n'), 4, /expected 2 fields as in the header, found 1/);
  });

  test('a quoted number is a number; quotes inside an unquoted field are text', () => {
    const table = csv('n,s\n"1.5",a"b\n2,c\n');
    assert.equal(findColumn(table, 'n')?.type, 'number');
    assert.deepEqual(rowsOf(table), [
      [1.5, 'a"b'],
      [2, 'c'],
    ]);
  });

  test('strips a UTF-8 BOM and decodes UTF-8 text', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('name,city\n1,Zürich\n2,東京\n')]);
    const table = csv(bytes);
    assert.equal(table.columns[0].name, 'name');
    assert.deepEqual(rowsOf(table), [
      [1, 'Zürich'],
      [2, '東京'],
    ]);
  });

  test('CRLF, LF and CR line endings, with or without a final newline', () => {
    const expected = [
      [1, 'x'],
      [2, 'y'],
    ];
    assert.deepEqual(rowsOf(csv('a,b\r\n1,x\r\n2,y\r\n')), expected);
    assert.deepEqual(rowsOf(csv('a,b\r\n1,"x"\r\n2,y')), expected);
    assert.deepEqual(rowsOf(csv('a,b\r1,x\r2,y\r')), expected);
    assert.deepEqual(rowsOf(csv('a,b\n1,x\n2,y')), expected);
  });

  test('skips empty lines', () => {
    assert.deepEqual(rowsOf(csv('\n\na,b\n1,x\n\n\r\n2,y\n\n')), [
      [1, 'x'],
      [2, 'y'],
    ]);
  });

  test('TSV uses tabs and keeps commas as text', () => {
    const table = csv('a\tb\n1,5\t"q\tr"\n2\ts\n', 'tsv');
    assert.deepEqual(rowsOf(table), [
      ['1,5', 'q\tr'],
      ['2', 's'],
    ]);
  });

  test('trailing empty fields are missing values', () => {
    assert.deepEqual(rowsOf(csv('a,b,c\n1,,\n,2,x\n')), [
      [1, null, null],
      [null, 2, 'x'],
    ]);
  });

  test('a header-only file has no rows', () => {
    const table = csv('a,b\n');
    assert.equal(table.rowCount, 0);
    assert.equal(table.columns.length, 2);
  });

  test('a ragged row names its line and the field counts', () => {
    assertFormatError(() => csv('a,b,c\n1,2,3\n4,5\n'), 3, /expected 3 fields as in the header, found 2/);
    assertFormatError(() => csv('a,b\n1,2\n3,4\n5,6,7,8\n'), 4, /expected 2 fields as in the header, found 4/);
  });

  test('an unterminated quote names the line where it opens', () => {
    assertFormatError(() => csv('a,b\n1,x\n2,"never closed\n3,z\n'), 3, /unterminated quoted field/);
  });

  test('text after a closing quote is an error', () => {
    assertFormatError(() => csv('a,b\n1,"x"y\n'), 2, /after a closing quote/);
  });

  test('duplicate or empty header names are errors', () => {
    assertFormatError(() => csv('a,b,a\n1,2,3\n'), 1, /duplicate column name "a"/);
    assertFormatError(() => csv('a,,c\n1,2,3\n'), 1, /header field 2 is empty/);
  });

  test('an empty file has no header', () => {
    assertFormatError(() => csv(''), undefined, /empty file: a header row is required/);
    assertFormatError(() => csv('\n\r\n'), undefined, /empty file/);
    assertFormatError(() => csv(Buffer.from([0xef, 0xbb, 0xbf])), undefined, /empty file/);
  });

  test('invalid UTF-8 is an error naming its line', () => {
    const bytes = Buffer.concat([Buffer.from('a,b\n1,x\n2,'), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]);
    assertFormatError(() => csv(bytes), 3, /invalid UTF-8 at byte 10/);
    assertFormatError(() => csv(Buffer.from([0x61, 0x0a, 0xed, 0xa0, 0x80, 0x0a])), 2, /invalid UTF-8/);
  });

  test('NaN or Infinity text in a numeric column is an error naming column and line', () => {
    assert.throws(
      () => csv('a,b\n1,2\n3,NaN\n4,5\n'),
      (error: unknown) => error instanceof DataFormatError && error.line === 3 && error.column === 'b' && /"NaN" is not a finite number/.test(error.message),
    );
    assert.throws(() => csv('a\n-Infinity\n'), (error: unknown) => error instanceof DataFormatError && error.line === 2);
    assert.throws(() => csv('a\n1e999\n'), (error: unknown) => error instanceof DataFormatError && error.column === 'a');
  });

  test('NaN text in a column of strings is just a string', () => {
    const table = csv('a\nNaN\nfoo\n');
    assert.deepEqual(rowsOf(table), [['NaN'], ['foo']]);
  });

  test('parses number syntax exactly like Number()', () => {
    const texts = ['0', '-0', '+7', '1.', '.5', '-.25', '1e3', '2.5E-3', '123456789012345678', '0.1', '3.141592653589793', '1.7976931348623157e308', '5e-324', '0.30000000000000004', '007'];
    const table = csv(`x\n${texts.join('\n')}\n`);
    const column = table.columns[0];
    assert.equal(column.type, 'number');
    texts.forEach((text, row) => assert.ok(Object.is(cellValue(column, row), Number(text)), text));
  });

  test('a column that turns to text keeps the original text of earlier cells', () => {
    const table = csv('code\n1.0\n"2"\n\nTRUE\nx\n1.0\n');
    const column = table.columns[0];
    assert.equal(column.type, 'string');
    assert.deepEqual(rowsOf(table), [['1.0'], ['2'], ['TRUE'], ['x'], ['1.0']]);
    assert.deepEqual(column.type === 'string' && column.dictionary, ['1.0', '2', 'TRUE', 'x']);
  });

  test('many rows with a categorical column', () => {
    const colors = ['red', 'green', 'blue'];
    const lines = ['i,color,v'];
    for (let i = 0; i < 10_000; i++) lines.push(`${i},${i % 7 === 0 ? 'NA' : colors[i % 3]},${i / 4}`);
    const table = csv(lines.join('\n'));
    assert.equal(table.rowCount, 10_000);
    const color = table.columns[1];
    assert.ok(color.type === 'string');
    assert.deepEqual(color.dictionary, ['green', 'blue', 'red']);
    assert.equal(cellValue(color, 7), null);
    assert.equal(cellValue(color, 8), 'blue');
    assert.equal(cellValue(table.columns[2], 9999), 9999 / 4);
  });

  test('a header wider than the column limit is refused with the count and the limit, before any row', () => {
    const header = Array.from({ length: 12 }, (_, i) => `c${i}`).join(',');
    // The row below the header is malformed: reaching it would raise a different error.
    const text = `${header}\n1,2\n`;
    assert.throws(
      () => parseDataset(Buffer.from(text), 'csv', 'test.csv', { maxColumns: 10 }),
      (error: unknown) => error instanceof DataFormatError && error.line === 1 && /the header has 12 columns, more than the limit of 10 \(INGEST_MAX_COLUMNS\)/.test(error.message),
    );
    assert.equal(parseDataset(Buffer.from(`${header}\n`), 'csv', 'test.csv', { maxColumns: 12 }).columns.length, 12);
  });

  test('the default limit refuses 200,000 columns', () => {
    const header = Array.from({ length: 200_000 }, (_, i) => `c${i}`).join(',');
    assert.throws(() => csv(`${header}\n`), /the header has 200000 columns, more than the limit of 10000/);
  });
});
