import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDeflateRaw, crc32 } from 'node:zlib';
import { ApplicationFailure } from '@temporalio/common';
import { runStep } from '../../activities/failures';
import { readDatasetFile } from '../../ml/data/parseFile';
import { ArchiveError, DataFormatError, FormatMismatchError, InputLimitError, UnsafeArchiveError } from '../../ml/data/errors';
import { unsafeEntryReason } from '../../ml/data/archive/entryNames';
import { ZipArchive } from '../../ml/data/archive/zip';
import { DEFAULT_INGEST_LIMITS } from '../../ml/data/limits';
import { FIXTURES, type TempFiles, tempFiles } from '../helpers/tempFiles';
import { type RawEntry, deflatedEntry, makeZip } from '../helpers/zipWriter';

const GiB = 1 << 30;
const CSV = 'a,b\n1,x\n2,y\n';

/** 1 GiB of zeros, deflated (about 1 MiB): the payload of every bomb here. Made once, in memory. */
async function deflatedZeros(size: number): Promise<{ compressed: Buffer; crc: number }> {
  const deflate = createDeflateRaw({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (part: Buffer) => parts.push(part));
  const zeros = Buffer.alloc(1 << 20);
  let crc = 0;
  for (let written = 0; written < size; written += zeros.length) {
    crc = crc32(zeros, crc);
    if (!deflate.write(zeros)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  await new Promise<void>((resolve) => deflate.end(resolve));
  return { compressed: Buffer.concat(parts), crc };
}

/** A gzip member around raw deflate data (RFC 1952): header, data, CRC and size mod 2^32. */
function gzipOf(compressed: Buffer, crc: number, size: number): Buffer {
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(size % 2 ** 32, 4);
  return Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]), compressed, trailer]);
}

function assertFailsFast(started: number, what: string): void {
  const seconds = (performance.now() - started) / 1000;
  assert.ok(seconds < 10, `${what} took ${seconds.toFixed(1)} s`);
}

describe('archives: safe extraction and decompression bombs', () => {
  let files: TempFiles;
  let zeros: { compressed: Buffer; crc: number };
  before(async () => {
    files = await tempFiles('data-archive-');
    zeros = await deflatedZeros(GiB);
  });
  after(async () => {
    await files.remove();
  });

  const zip = (name: string, entries: RawEntry[]) => files.write(name, makeZip(entries));

  test('zip slip: "../" names and absolute paths refuse the whole archive', async () => {
    for (const [name, reason] of [
      ['slip.zip', /refusing entry "\.\.\/\.\.\/evil\.csv": a "\.\." path segment leaves the extraction folder/],
      ['absolute.zip', /refusing entry "\/tmp\/evil\.csv": an absolute path/],
    ] as const) {
      await assert.rejects(readDatasetFile(join(FIXTURES, name), name), (error: unknown) => {
        assert.ok(error instanceof UnsafeArchiveError, String(error));
        assert.equal(error.retryable, false);
        assert.match(error.message, reason);
        return true;
      });
    }
    const sneaky = await zip('sneaky.zip', [deflatedEntry('data.csv', CSV), deflatedEntry('docs\\..\\..\\evil.txt', 'x'), deflatedEntry('C:/evil.csv', CSV)]);
    await assert.rejects(readDatasetFile(sneaky, 'sneaky.zip'), /refusing entry "docs\/\.\.\/\.\.\/evil\.txt"/);
    const link = await zip('link.zip', [{ ...deflatedEntry('data.csv', '/etc/passwd'), unixMode: 0o120777 }]);
    await assert.rejects(readDatasetFile(link, 'link.zip'), /refusing entry "data\.csv": a symbolic link/);
  });

  test('entry names are checked against the extraction folder itself', () => {
    const folder = '/tmp/extract';
    assert.equal(unsafeEntryReason('a/b/data.csv', folder), undefined);
    assert.equal(unsafeEntryReason('a/../data.csv', folder), 'a ".." path segment leaves the extraction folder');
    assert.equal(unsafeEntryReason('D:\\data.csv', folder), 'an absolute path');
    assert.equal(unsafeEntryReason('data\0.csv', folder), 'the name holds a NUL byte');
    assert.equal(unsafeEntryReason('', folder), 'the name is empty');
  });

  test('an honest zip bomb (1 GiB of zeros declared) is refused before anything is inflated', async () => {
    const path = await zip('bomb.zip', [{ name: 'zeros.csv', ...zeros, declaredSize: GiB }]);
    const started = performance.now();
    await assert.rejects(readDatasetFile(path, 'bomb.zip'), (error: unknown) => {
      assert.ok(error instanceof InputLimitError, String(error));
      assert.equal(error.limit, 'maxCompressionRatio');
      assert.match(error.message, /bomb\.zip: entry "zeros\.csv" declares 1 GiB from 1019 KiB: a zip bomb\?/);
      return true;
    });
    assertFailsFast(started, 'refusing the bomb');
    await assert.rejects(readDatasetFile(path, 'bomb.zip', { limits: { maxCompressionRatio: 10_000, maxUncompressedBytes: 100 << 20 } }), { name: 'InputLimitError', limit: 'maxUncompressedBytes' });
  });

  test('a lying zip bomb (1 GiB of zeros declared as 1 KB) is stopped while inflating', async () => {
    const path = await zip('liar.zip', [{ name: 'zeros.csv', ...zeros, declaredSize: 1000 }]);
    const started = performance.now();
    await assert.rejects(readDatasetFile(path, 'liar.zip'), (error: unknown) => {
      assert.ok(error instanceof ArchiveError, String(error));
      assert.match(error.message, /cannot extract "zeros\.csv": too many bytes in the stream/);
      return true;
    });
    assertFailsFast(started, 'stopping the liar');
  });

  test('an entry whose size is a lie fails its reader even when the reader attaches late, and never the process', async () => {
    const path = await zip('late.zip', [{ name: 'zeros.csv', ...zeros, declaredSize: 100 }]);
    const archive = await ZipArchive.open(path, 'late.zip', DEFAULT_INGEST_LIMITS, files.dir);
    try {
      const stream = await archive.open(archive.entries[0]);
      // Long enough for inflating to pass the declared size before anyone reads.
      await sleep(300);
      await assert.rejects(pipeline(stream, new Writable({ write: (_chunk, _encoding, done) => done() })), /too many bytes in the stream/);
    } finally {
      archive.close();
    }
  });

  test('a gzip bomb (1 GiB of zeros) is stopped by the running ratio, and by the size limit', async () => {
    const path = await files.write('bomb.csv.gz', gzipOf(zeros.compressed, zeros.crc, GiB));
    const started = performance.now();
    await assert.rejects(readDatasetFile(path, 'bomb.csv.gz'), (error: unknown) => {
      assert.ok(error instanceof InputLimitError, String(error));
      assert.equal(error.limit, 'maxCompressionRatio');
      assert.match(error.message, /bomb\.csv\.gz: expands more than 200-fold/);
      return true;
    });
    assertFailsFast(started, 'stopping the gzip bomb');
    await assert.rejects(readDatasetFile(path, 'bomb.csv.gz', { limits: { maxCompressionRatio: 1e9, maxUncompressedBytes: 8 << 20 } }), (error: unknown) => {
      assert.ok(error instanceof InputLimitError);
      assert.equal(error.limit, 'maxUncompressedBytes');
      assert.match(error.message, /expands to more than 8 MiB/);
      return true;
    });
  });

  test('the extraction folder is removed afterwards, also after a refusal', async () => {
    const tempDir = join(files.dir, 'scratch');
    await mkdir(tempDir);
    await readDatasetFile(join(FIXTURES, 'sample.csv.gz'), 'sample.csv.gz', { tempDir });
    const bomb = await files.write('bomb2.csv.gz', gzipOf(zeros.compressed, zeros.crc, GiB));
    await assert.rejects(readDatasetFile(bomb, 'bomb2.csv.gz', { tempDir }), InputLimitError);
    assert.deepEqual(await readdir(tempDir), []);
  });

  test('too many entries are refused', async () => {
    const entries = Array.from({ length: 30 }, (_, i) => deflatedEntry(`part-${i}.txt`, 'x'));
    const path = await zip('many.zip', [...entries, deflatedEntry('data.csv', CSV)]);
    await assert.rejects(readDatasetFile(path, 'many.zip', { limits: { maxEntries: 25 } }), (error: unknown) => {
      assert.ok(error instanceof InputLimitError);
      assert.match(error.message, /many\.zip: the archive lists 31 entries \(limit maxEntries\)/);
      return true;
    });
    assert.equal((await readDatasetFile(path, 'many.zip')).table.rowCount, 2);
  });

  test('choosing the entry: ambiguous, none, by the format asked for, or a mismatch', async () => {
    await assert.rejects(readDatasetFile(join(FIXTURES, 'ambiguous.zip'), 'ambiguous.zip'), /holds 2 data files \("a\.csv", "b\.csv"\): it is ambiguous which one to read/);
    const none = await zip('none.zip', [deflatedEntry('notes.txt', 'hello')]);
    await assert.rejects(readDatasetFile(none, 'none.zip'), (error: unknown) => error instanceof ArchiveError && /no data file .* it holds "notes\.txt"/.test(error.message));
    const mixed = await zip('mixed.zip', [deflatedEntry('rows.jsonl', '{"a": 1}\n'), deflatedEntry('rows.csv', CSV), deflatedEntry('__MACOSX/._rows.csv', 'junk')]);
    await assert.rejects(readDatasetFile(mixed, 'mixed.zip'), /holds 2 data files/);
    const asJsonl = await readDatasetFile(mixed, 'mixed.zip', { format: 'jsonl' });
    assert.deepEqual([asJsonl.entry, asJsonl.format, asJsonl.table.rowCount], ['rows.jsonl', 'jsonl', 1]);
    const onlyCsv = await zip('only.zip', [deflatedEntry('rows.csv', CSV)]);
    await assert.rejects(readDatasetFile(onlyCsv, 'only.zip', { format: 'parquet' }), FormatMismatchError);
  });

  test('archive and limit errors fail an activity step without retry', async () => {
    for (const error of [new InputLimitError('a.zip', 'maxEntries', 'too many'), new UnsafeArchiveError('a.zip', '../x', 'slip'), new ArchiveError('a.zip', 'ambiguous')]) {
      await assert.rejects(
        runStep(() => Promise.reject(error)),
        (failure: unknown) => failure instanceof ApplicationFailure && failure.nonRetryable && failure.type === error.name,
      );
    }
  });

  test('a corrupt archive or gzip stream is a clear non-retryable error', async () => {
    const notZip = await files.write('fake.zip', 'a,b\n1,2\n');
    await assert.rejects(readDatasetFile(notZip, 'fake.zip'), /fake\.zip: not a zip archive/);
    const truncated = await files.write('cut.zip', makeZip([deflatedEntry('a.csv', CSV)]).subarray(0, 40));
    await assert.rejects(readDatasetFile(truncated, 'cut.zip'), ArchiveError);
    const badGzip = await files.write('bad.csv.gz', Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]), Buffer.from('not deflate at all')]));
    await assert.rejects(readDatasetFile(badGzip, 'bad.csv.gz'), (error: unknown) => error instanceof DataFormatError && /not valid gzip data/.test(error.message));
    const plain = await files.write('plain.csv.gz', CSV);
    await assert.rejects(readDatasetFile(plain, 'plain.csv.gz'), /not gzip data: the gzip header is missing/);
  });
});
