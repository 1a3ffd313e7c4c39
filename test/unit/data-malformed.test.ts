import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readDatasetFile } from '../../ml/data/parseFile';
import { DataFormatError } from '../../ml/data/errors';
import { type DatasetFormat } from '../../ml/data/format';
import { type TempFiles, tempFiles } from '../helpers/tempFiles';

interface Expected {
  readonly line?: number;
  readonly column?: string;
  readonly message: RegExp;
}

/**
 * Malformed files through the streaming file path, at several chunk sizes so every error is also
 * met across a chunk boundary: each is a DataFormatError naming file, line and column where it
 * can, never a crash, a hang or an out-of-memory.
 */
describe('malformed input files give a clear DataFormatError', () => {
  let files: TempFiles;
  before(async () => {
    files = await tempFiles('data-malformed-');
  });
  after(async () => {
    await files.remove();
  });

  async function assertBad(name: string, data: string | Buffer, expected: Expected, format?: DatasetFormat): Promise<void> {
    const path = await files.write(name, data);
    for (const chunkBytes of [3, 64, 1 << 20]) {
      await assert.rejects(readDatasetFile(path, name, { format, chunkBytes }), (error: unknown) => {
        assert.ok(error instanceof DataFormatError, `${name}, chunkBytes ${chunkBytes}: ${String(error)}`);
        assert.equal(error.file, name);
        assert.equal(error.line, expected.line, `${name}: line`);
        assert.equal(error.column, expected.column, `${name}: column`);
        assert.match(error.message, expected.message);
        return true;
      });
    }
  }

  test('ragged rows', async () => {
    await assertBad('short.csv', 'a,b,c\n1,2,3\n4,5\n', { line: 3, message: /short\.csv, line 3: expected 3 fields as in the header, found 2/ });
    await assertBad('long.tsv', 'a\tb\n1\t2\n3\t4\t5\t6\n', { line: 3, message: /expected 2 fields as in the header, found 4/ });
  });

  test('bad quotes', async () => {
    await assertBad('open.csv', 'a,b\n1,x\n2,"never closed\n3,z\n', { line: 3, message: /unterminated quoted field \(the quote opens on line 3\)/ });
    await assertBad('after.csv', 'a,b\n1,"x"y\n', { line: 2, message: /unexpected "y" after a closing quote/ });
  });

  test('non-UTF-8 bytes (Latin-1 text)', async () => {
    await assertBad('latin1.csv', Buffer.concat([Buffer.from('name,city\n1,'), Buffer.from('Z\xfcrich', 'latin1'), Buffer.from('\n')]), { line: 2, message: /invalid UTF-8 at byte 13/ });
    await assertBad('latin1.jsonl', Buffer.concat([Buffer.from('{"a": 1}\n{"a": "'), Buffer.from('\xe9', 'latin1'), Buffer.from('"}\n')]), { line: 2, message: /invalid UTF-8/ });
  });

  test('NaN and Infinity text in numeric columns names column and line', async () => {
    await assertBad('nan.csv', 'a,b\n1,2\n3,NaN\n4,5\n', { line: 3, column: 'b', message: /nan\.csv, line 3, column "b": "NaN" is not a finite number/ });
    await assertBad('inf.csv', 'a\n1\n-Infinity\n', { line: 3, column: 'a', message: /"-Infinity" is not a finite number/ });
    await assertBad('overflow.csv', 'a\n1e999\n', { line: 2, column: 'a', message: /"1e999" is not a finite number/ });
  });

  test('duplicate and empty headers', async () => {
    await assertBad('dup.csv', 'id,x,id\n1,2,3\n', { line: 1, column: 'id', message: /duplicate column name "id" in the header/ });
    await assertBad('blank.csv', 'id,,x\n1,2,3\n', { line: 1, message: /header field 2 is empty/ });
  });

  test('empty files', async () => {
    await assertBad('empty.csv', '', { message: /empty\.csv: empty file: a header row is required/ });
    await assertBad('blank-lines.csv', '\n\r\n\n', { message: /empty file/ });
    await assertBad('empty.jsonl', '\n  \n', { message: /empty file: no JSON records/ });
    await assertBad('empty.json', '', { message: /empty file: expected a JSON array of objects/ });
  });

  test('broken JSON names the record and line', async () => {
    await assertBad('cut.json', '[{"a": 1},\n {"a": 2', { line: 2, message: /invalid JSON: the input ends inside an object/ });
    await assertBad('trailing.json', '[{"a": 1}] x', { line: 1, message: /unexpected "x" after the end of the array/ });
    await assertBad('bad.jsonl', '{"a": 1}\n{"a": }\n', { line: 2, message: /bad\.jsonl, line 2: invalid JSON/ });
  });

  test('a single 100 MB line fails fast with the line-length limit, without reading it all', async () => {
    const line = Buffer.alloc(100 * 1024 * 1024, 0x61);
    const cases = [
      ['huge.csv', Buffer.concat([Buffer.from('a,b\n1,'), line, Buffer.from('\n')]), 2],
      ['huge.jsonl', Buffer.concat([Buffer.from('{"a": "'), line, Buffer.from('"}\n')]), 1],
      ['huge.json', Buffer.concat([Buffer.from('[{"a": "'), line, Buffer.from('"}]')]), 1],
    ] as const;
    for (const [name, data, lineNumber] of cases) {
      const path = await files.write(name, data);
      const started = performance.now();
      await assert.rejects(readDatasetFile(path, name), (error: unknown) => {
        assert.ok(error instanceof DataFormatError, String(error));
        assert.equal(error.line, lineNumber);
        assert.match(error.message, /longer than 32 MiB .*raise limits\.maxRecordBytes/);
        return true;
      });
      const seconds = (performance.now() - started) / 1000;
      assert.ok(seconds < 10, `${name}: ${seconds.toFixed(1)} s`);
    }
  });

  test('the line-length limit is configurable', async () => {
    const path = await files.write('long-line.csv', `a,b\n1,${'x'.repeat(2 << 20)}\n2,y\n`);
    await assert.rejects(readDatasetFile(path, 'long-line.csv', { limits: { maxRecordBytes: 1 << 20 } }), /line 2: a record longer than 1 MiB starts here/);
    const { table } = await readDatasetFile(path, 'long-line.csv', { limits: { maxRecordBytes: 4 << 20 } });
    assert.equal(table.rowCount, 2);
  });
});
