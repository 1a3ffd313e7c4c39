import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { ArtifactNotFoundError, InvalidArtifactKeyError, type ArtifactStore } from '../../storage/artifactStore';

const sha = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** Deterministic bytes (no two 4-byte words alike for a long while), yielded in chunks as a stream would. */
export function* patternChunks(totalBytes: number, chunkBytes = 64 * 1024, seed = 1): Generator<Buffer> {
  let state = seed >>> 0 || 1;
  for (let offset = 0; offset < totalBytes; offset += chunkBytes) {
    const size = Math.min(chunkBytes, totalBytes - offset);
    const chunk = Buffer.allocUnsafe(Math.ceil(size / 4) * 4);
    for (let at = 0; at < chunk.length; at += 4) {
      // xorshift32: cheap, and a misplaced, repeated or dropped part changes the hash.
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      chunk.writeUInt32LE(state >>> 0, at);
    }
    yield chunk.subarray(0, size);
  }
}

export const patternBytes = (totalBytes: number, chunkBytes?: number, seed?: number): Buffer => Buffer.concat([...patternChunks(totalBytes, chunkBytes, seed)]);

function* failingAfter(chunks: Iterable<Buffer>, afterBytes: number): Generator<Buffer> {
  let sent = 0;
  for (const chunk of chunks) {
    if (sent >= afterBytes) throw new Error('source broke mid-stream');
    sent += chunk.length;
    yield chunk;
  }
}

/**
 * What every ArtifactStore promises, as one test body run against each implementation. `store()`
 * gives the store under test (opened by the caller's `before`), `uriPattern` what its URIs look like.
 */
export function storeContract(name: string, store: () => ArtifactStore, uriPattern: (key: string) => RegExp): void {
  describe(`${name}: the ArtifactStore contract`, () => {
    // Each test works in its own folder, so the same store serves every test.
    const folder = () => `contract-${randomUUID().slice(0, 8)}`;

    test('put then get round trips bytes and strings; the ref names key, URI, size and SHA-256', async () => {
      const f = folder();
      const data = Buffer.from([0, 1, 2, 250, 255, 10, 13]);
      const ref = await store().put(`${f}/binary.bin`, data, 'application/octet-stream');
      assert.deepEqual(ref, { key: `${f}/binary.bin`, uri: store().uri(`${f}/binary.bin`), bytes: 7, sha256: sha(data) });
      assert.match(ref.uri, uriPattern(`${f}/binary.bin`));
      assert.deepEqual(await store().get(`${f}/binary.bin`), data);
      const text = 'héllo ✓\n';
      assert.equal((await store().put(`${f}/text.txt`, text)).bytes, Buffer.byteLength(text));
      assert.equal((await store().get(`${f}/text.txt`)).toString('utf8'), text);
    });

    test('getStream gives the length before the bytes, and the bytes of a large object in chunks', async () => {
      const key = `${folder()}/large.bin`;
      const size = 12 * 1024 * 1024 + 5;
      const ref = await store().putStream(key, patternChunks(size));
      const { bytes, body } = await store().getStream(key);
      assert.equal(bytes, size);
      const hash = createHash('sha256');
      let chunks = 0;
      let largest = 0;
      for await (const chunk of body as AsyncIterable<Buffer>) {
        hash.update(chunk);
        chunks++;
        largest = Math.max(largest, chunk.length);
      }
      assert.equal(hash.digest('hex'), ref.sha256);
      assert.ok(chunks > 1 && largest < size, `read in ${chunks} chunks, the largest ${largest} bytes`);
      await assert.rejects(store().getStream(`${key}.missing`), (error: unknown) => error instanceof ArtifactNotFoundError && error.key === `${key}.missing`);
    });

    test('a put replaces the whole object: no bytes of a longer earlier version remain', async () => {
      const key = `${folder()}/a.json`;
      await store().put(key, '{"v":1,"much":"longer than the next one"}');
      await store().put(key, '{"v":2}');
      assert.equal((await store().get(key)).toString('utf8'), '{"v":2}');
    });

    test('get of a missing key throws ArtifactNotFoundError with the key; exists tells present from absent', async () => {
      const f = folder();
      await assert.rejects(store().get(`${f}/missing.txt`), (error: unknown) => error instanceof ArtifactNotFoundError && error.key === `${f}/missing.txt`);
      await store().put(`${f}/here.txt`, 'x');
      assert.equal(await store().exists(`${f}/here.txt`), true);
      assert.equal(await store().exists(`${f}/absent.txt`), false);
    });

    test('delete removes a key; deleting an absent key is fine', async () => {
      const f = folder();
      await store().put(`${f}/gone.txt`, 'x');
      await store().put(`${f}/kept.txt`, 'y');
      await store().delete(`${f}/gone.txt`);
      await store().delete(`${f}/never.txt`);
      assert.equal(await store().exists(`${f}/gone.txt`), false);
      assert.deepEqual(await store().list(`${f}/`), [`${f}/kept.txt`]);
    });

    test('list gives the keys under a folder, sorted; a prefix is a folder, not a string prefix', async () => {
      const f = folder();
      for (const key of ['b.txt', 'a.txt', 'sub/c.txt']) await store().put(`${f}/ls/${key}`, key);
      await store().put(`${f}/lsx/other.txt`, 'o');
      const expected = [`${f}/ls/a.txt`, `${f}/ls/b.txt`, `${f}/ls/sub/c.txt`];
      assert.deepEqual(await store().list(`${f}/ls/`), expected);
      assert.deepEqual(await store().list(`${f}/ls`), expected);
      assert.deepEqual(await store().list(`${f}/nothing/`), []);
      const all = await store().list('');
      assert.ok(expected.every((k) => all.includes(k)) && all.includes(`${f}/lsx/other.txt`));
    });

    test('list pages through more keys than one listing returns', async () => {
      const f = folder();
      const keys = Array.from({ length: 1_050 }, (_, i) => `${f}/many/k${String(i).padStart(4, '0')}`);
      for (let i = 0; i < keys.length; i += 50) await Promise.all(keys.slice(i, i + 50).map((k) => store().put(k, 'x')));
      assert.deepEqual(await store().list(`${f}/many/`), keys);
    });

    test('putIfAbsent writes once and keeps the first content', async () => {
      const key = `${folder()}/claim.json`;
      assert.equal(await store().putIfAbsent(key, 'first'), true);
      assert.equal(await store().putIfAbsent(key, 'second'), false);
      assert.equal((await store().get(key)).toString('utf8'), 'first');
    });

    test('putIfAbsent race: of 12 parallel claims exactly one wins, and its content is what is stored', async () => {
      const key = `${folder()}/race.json`;
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => store().putIfAbsent(key, `claimant-${i}`)));
      assert.equal(results.filter(Boolean).length, 1, JSON.stringify(results));
      assert.equal((await store().get(key)).toString('utf8'), `claimant-${results.indexOf(true)}`);
    });

    test('putStream stores a stream of many chunks byte for byte and measures it', async () => {
      const key = `${folder()}/stream.bin`;
      const expected = patternBytes(3 * 1024 * 1024 + 17);
      const ref = await store().putStream(key, patternChunks(expected.length), 'application/octet-stream');
      assert.deepEqual(ref, { key, uri: store().uri(key), bytes: expected.length, sha256: sha(expected) });
      assert.equal(sha(await store().get(key)), sha(expected));
      const empty = await store().putStream(`${key}.empty`, patternChunks(0));
      assert.equal(empty.bytes, 0);
      assert.equal((await store().get(`${key}.empty`)).length, 0);
    });

    test('a putStream whose source fails leaves the earlier object as it was and adds no key', async () => {
      const f = folder();
      await store().put(`${f}/keep.bin`, 'earlier version');
      await assert.rejects(store().putStream(`${f}/keep.bin`, failingAfter(patternChunks(2 * 1024 * 1024), 1024 * 1024)), /source broke mid-stream/);
      assert.equal((await store().get(`${f}/keep.bin`)).toString(), 'earlier version');
      assert.deepEqual(await store().list(f), [`${f}/keep.bin`]);
    });

    test('replaceIfVersion is a compare-and-swap on the version read', async () => {
      const key = `${folder()}/pointer.json`;
      assert.equal(await store().getVersioned(key), undefined);
      assert.equal(await store().replaceIfVersion(key, 'v1', undefined), true);
      assert.equal(await store().replaceIfVersion(key, 'v1 again', undefined), false, 'only-if-absent fails once it exists');
      const first = await store().getVersioned(key);
      assert.equal(first?.data.toString(), 'v1');
      assert.equal(await store().replaceIfVersion(key, 'v2', first.version), true);
      assert.equal(await store().replaceIfVersion(key, 'v3 from a stale read', first.version), false);
      const second = await store().getVersioned(key);
      assert.equal(second?.data.toString(), 'v2');
      assert.notEqual(second.version, first.version);
    });

    test('replaceIfVersion race: of 10 writers holding the same version exactly one wins', async () => {
      const key = `${folder()}/contended.json`;
      await store().put(key, 'start');
      const { version } = (await store().getVersioned(key))!;
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => store().replaceIfVersion(key, `writer-${i}`, version)));
      assert.equal(results.filter(Boolean).length, 1, JSON.stringify(results));
      assert.equal((await store().get(key)).toString(), `writer-${results.indexOf(true)}`);
    });

    test('keys that are not relative, normalized paths are refused', async () => {
      for (const key of ['', '/abs', 'a//b', './a', 'a/../b', 'a\\b', 'a/']) {
        await assert.rejects(store().put(key, 'x'), InvalidArtifactKeyError, key);
        await assert.rejects(store().get(key), InvalidArtifactKeyError, key);
      }
    });
  });
}
