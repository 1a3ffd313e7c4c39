import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDataset } from '../../ml/data/parse';
import { readDatasetFile } from '../../ml/data/parseFile';
import { DataFormatError } from '../../ml/data/errors';
import { type Table, cellValue } from '../../ml/data/table';
import { type TempFiles, tempFiles } from '../helpers/tempFiles';

/** Types and every cell, for comparing two parses of the same data. */
function snapshot(table: Table): unknown {
  return {
    columns: table.columns.map((c) => [c.name, c.type]),
    rows: Array.from({ length: table.rowCount }, (_, row) => table.columns.map((c) => cellValue(c, row))),
  };
}

const CHUNK_SIZES = [1, 2, 3, 5, 7, 16, 61, 1024];

/** CSV that stresses chunk boundaries: BOM, quotes with line breaks, CRLF/CR/LF, blank lines, multi-byte text, a late type change. */
function trickyCsv(rows: number): string {
  const lines = ['\ufeffid,"na""me",v,late\r\n'];
  for (let i = 0; i < rows; i++) {
    const end = i % 7 === 0 ? '\r\n\r\n' : i % 2 ? '\n' : '\r';
    const late = i === rows - 10 ? 'text' : i % 4 === 0 ? '007' : String(i);
    lines.push(`${i},"x${i % 5}\n""q""",${i % 3 === 0 ? '' : (i * 1.5).toFixed(2)},${late}${end}`);
  }
  lines.push(`${rows},Zürich 東京 😀,1,2`);
  return lines.join('');
}

describe('streaming parse of files, chunk by chunk', () => {
  let files: TempFiles;
  before(async () => {
    files = await tempFiles('data-stream-');
  });
  after(async () => {
    await files.remove();
  });

  test('CSV: any chunk size gives the same table as one pass, including text re-read after a late type change', async () => {
    const text = trickyCsv(300);
    const path = await files.write('tricky.csv', text);
    const expected = snapshot(parseDataset(Buffer.from(text), 'csv', 'tricky.csv'));
    for (const chunkBytes of CHUNK_SIZES) {
      const { table } = await readDatasetFile(path, 'tricky.csv', { chunkBytes });
      assert.deepEqual(snapshot(table), expected, `chunkBytes ${chunkBytes}`);
    }
    const { table } = await readDatasetFile(path, 'tricky.csv', { chunkBytes: 3 });
    const late = table.columns[3];
    assert.equal(late.type, 'string');
    assert.equal(cellValue(late, 0), '007', 'the original text of a cell read as a number in an earlier chunk');
    assert.equal(table.columns[1].name, 'na"me');
    assert.equal(cellValue(table.columns[1], 2), 'x2\n"q"');
  });

  test('JSON lines and JSON arrays: any chunk size gives the same table', async () => {
    const records = Array.from({ length: 120 }, (_, i) => ({ id: i, s: i % 9 === 0 ? 'brace } [ "q" 東京' : `v${i % 4}`, x: i % 5 === 0 ? null : i / 8, ...(i > 100 ? { late: true } : {}) }));
    const jsonl = records.map((r) => JSON.stringify(r)).join('\r\n');
    const json = `\ufeff[\n${records.map((r) => `  ${JSON.stringify(r, null, 1)}`).join(',\n')}\n]\n`;
    const jsonlPath = await files.write('rows.jsonl', jsonl);
    const jsonPath = await files.write('rows.json', json);
    const expectedLines = snapshot(parseDataset(Buffer.from(jsonl), 'jsonl', 'rows.jsonl'));
    const expectedArray = snapshot(parseDataset(Buffer.from(json), 'json', 'rows.json'));
    assert.deepEqual(expectedArray, expectedLines);
    for (const chunkBytes of CHUNK_SIZES) {
      assert.deepEqual(snapshot((await readDatasetFile(jsonlPath, 'rows.jsonl', { chunkBytes })).table), expectedLines, `jsonl, chunkBytes ${chunkBytes}`);
      assert.deepEqual(snapshot((await readDatasetFile(jsonPath, 'rows.json', { chunkBytes })).table), expectedArray, `json, chunkBytes ${chunkBytes}`);
    }
    const late = (await readDatasetFile(jsonlPath, 'rows.jsonl')).table.columns[3];
    assert.equal(late.name, 'late');
    assert.equal(cellValue(late, 0), null, 'a key first seen late is missing in the rows before');
    assert.equal(cellValue(late, 101), true);
  });

  test('a UTF-8 character split between chunks is decoded whole; a bad byte names its line', async () => {
    const path = await files.write('utf8.csv', 'a,b\n1,ÄÖÜ\n2,😀😀\n');
    for (const chunkBytes of CHUNK_SIZES) {
      const { table } = await readDatasetFile(path, 'utf8.csv', { chunkBytes });
      assert.deepEqual(snapshot(table), { columns: [['a', 'integer'], ['b', 'string']], rows: [[1, 'ÄÖÜ'], [2, '😀😀']] });
    }
    const bad = await files.write('bad.csv', Buffer.concat([Buffer.from('a,b\n1,x\n2,ab'), Buffer.from([0xe2, 0x28, 0xa1]), Buffer.from('\n')]));
    for (const chunkBytes of [1, 4, 13, 1024]) {
      await assert.rejects(readDatasetFile(bad, 'bad.csv', { chunkBytes }), (error: unknown) => {
        assert.ok(error instanceof DataFormatError, String(error));
        assert.equal(error.line, 3);
        assert.match(error.message, /bad\.csv, line 3: invalid UTF-8 at byte 12/);
        return true;
      });
    }
  });

  test('progress is reported as chunks are parsed', async () => {
    const text = trickyCsv(200);
    const path = await files.write('progress.csv', text);
    const seen: [number, number][] = [];
    await readDatasetFile(path, 'progress.csv', { chunkBytes: 1000, onProgress: (done, total) => void seen.push([done, total]) });
    assert.ok(seen.length >= 3, `${seen.length} progress reports`);
    assert.ok(seen.every(([done, total], k) => total === Buffer.byteLength(text) && done <= total && (k === 0 || done >= seen[k - 1][0])));
  });

  test('an aborted signal stops the parse', async () => {
    const path = await files.write('abort.csv', trickyCsv(50));
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(readDatasetFile(path, 'abort.csv', { signal: controller.signal }), { name: 'AbortError' });
  });

  test('columns are sized from the file once, not doubled: little spare capacity is left', async () => {
    const lines = ['a,b'];
    for (let i = 0; i < 50_000; i++) lines.push(`${i},${i % 3}`);
    const path = await files.write('sized.csv', lines.join('\n'));
    const { table } = await readDatasetFile(path, 'sized.csv', { chunkBytes: 64 * 1024 });
    for (const column of table.columns) {
      assert.ok(column.type !== 'string');
      assert.equal(column.values.length, 50_000);
      assert.ok(column.values.buffer.byteLength <= 50_000 * 8 * 1.1, `${column.name}: ${column.values.buffer.byteLength} bytes of storage`);
    }
  });
});
