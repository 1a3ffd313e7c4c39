import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArtifactNotFoundError, InvalidArtifactKeyError } from '../../storage/artifactStore';
import { LocalArtifactStore } from '../../storage/localArtifactStore';

const sha = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

describe('LocalArtifactStore', () => {
  let dir: string;
  let root: string;
  let store: LocalArtifactStore;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlp-store-'));
    root = join(dir, 'root');
    store = new LocalArtifactStore(root);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('put then get round trips bytes and returns a ref with size and sha256', async () => {
    const data = Buffer.from([0, 1, 2, 250, 255, 10, 13]);
    const ref = await store.put('rt/binary.bin', data);
    assert.equal(ref.key, 'rt/binary.bin');
    assert.equal(ref.bytes, data.byteLength);
    assert.equal(ref.sha256, sha(data));
    assert.deepEqual(await store.get('rt/binary.bin'), data);
    assert.deepEqual(await readFile(join(root, 'rt', 'binary.bin')), data);
  });

  test('put of a string stores its UTF-8 bytes', async () => {
    const text = 'héllo ✓\n';
    const ref = await store.put('rt/text.txt', text);
    assert.equal(ref.bytes, Buffer.byteLength(text, 'utf8'));
    assert.equal(ref.sha256, sha(Buffer.from(text, 'utf8')));
    assert.equal((await store.get('rt/text.txt')).toString('utf8'), text);
  });

  test('put twice on a key overwrites it: one file, latest content, no temp files left', async () => {
    await store.put('ow/a.json', '{"v":1}');
    const second = await store.put('ow/a.json', '{"v":2,"longer":true}');
    assert.equal((await store.get('ow/a.json')).toString('utf8'), '{"v":2,"longer":true}');
    assert.equal(second.sha256, sha('{"v":2,"longer":true}'));
    assert.deepEqual(await readdir(join(root, 'ow')), ['a.json']);
  });

  test('putIfAbsent writes once and keeps the first content', async () => {
    assert.equal(await store.putIfAbsent('pia/claim.json', 'first'), true);
    assert.equal(await store.putIfAbsent('pia/claim.json', 'second'), false);
    assert.equal((await store.get('pia/claim.json')).toString('utf8'), 'first');
    assert.deepEqual(await readdir(join(root, 'pia')), ['claim.json']);
  });

  test('get of a missing key throws ArtifactNotFoundError with the key', async () => {
    await assert.rejects(store.get('nope/missing.txt'), (error: unknown) => {
      assert.ok(error instanceof ArtifactNotFoundError);
      assert.equal(error.key, 'nope/missing.txt');
      return true;
    });
  });

  test('exists is true for a stored object and false for a missing one or a folder', async () => {
    await store.put('ex/here.txt', 'x');
    assert.equal(await store.exists('ex/here.txt'), true);
    assert.equal(await store.exists('ex/absent.txt'), false);
    assert.equal(await store.exists('ex'), false);
  });

  test('list returns the keys under a prefix, sorted, without temp files', async () => {
    await store.put('ls/b.txt', 'b');
    await store.put('ls/a.txt', 'a');
    await store.put('ls/sub/c.txt', 'c');
    await store.put('lsx/other.txt', 'o');
    // A temp file as an interrupted put would leave behind.
    await writeFile(join(root, 'ls', `d.txt.${randomUUID()}.tmp`), 'partial');
    assert.deepEqual(await store.list('ls/'), ['ls/a.txt', 'ls/b.txt', 'ls/sub/c.txt']);
    assert.deepEqual(await store.list('ls'), ['ls/a.txt', 'ls/b.txt', 'ls/sub/c.txt']);
    assert.deepEqual(await store.list('ls/sub/'), ['ls/sub/c.txt']);
    assert.deepEqual(await store.list('never/'), []);
  });

  test('a key that itself ends in .tmp is listed like any other', async () => {
    await store.put('tmpkey/scratch.tmp', 's');
    assert.equal(await store.exists('tmpkey/scratch.tmp'), true);
    assert.deepEqual(await store.list('tmpkey/'), ['tmpkey/scratch.tmp']);
  });

  test('list of the whole store includes every key', async () => {
    const all = await store.list('');
    assert.ok(all.includes('rt/binary.bin'));
    assert.ok(all.includes('ls/sub/c.txt'));
    assert.ok(all.every((k) => !/[0-9a-f-]{36}\.tmp$/.test(k)));
    assert.deepEqual(all, [...all].sort());
  });

  for (const key of ['../x', 'a//b', '/abs', 'a\\b', '.', 'a/./b', 'a/..', '', 'a/', 'nul\0byte']) {
    test(`invalid key ${JSON.stringify(key)} is refused by every operation`, async () => {
      const invalid = (error: unknown) => error instanceof InvalidArtifactKeyError && error.key === key;
      await assert.rejects(store.put(key, 'x'), invalid);
      await assert.rejects(store.putIfAbsent(key, 'x'), invalid);
      await assert.rejects(store.get(key), invalid);
      await assert.rejects(store.exists(key), invalid);
      assert.throws(() => store.uri(key), invalid);
    });
  }

  test('an invalid key never writes outside the root', async () => {
    await assert.rejects(store.put('../escaped.txt', 'x'), InvalidArtifactKeyError);
    assert.deepEqual((await readdir(dir)).sort(), ['root']);
  });

  test('uri is the file:// URL of the object path', async () => {
    const uri = store.uri('runs/p/w/r/model/model.json');
    assert.match(uri, /^file:\/\//);
    assert.equal(fileURLToPath(uri), join(root, 'runs', 'p', 'w', 'r', 'model', 'model.json'));
    const ref = await store.put('with space/ü.txt', 'u');
    assert.equal(fileURLToPath(ref.uri), join(root, 'with space', 'ü.txt'));
    assert.equal(ref.uri, store.uri('with space/ü.txt'));
  });

  test('20 concurrent putIfAbsent calls on one key: exactly one wins and its content is stored', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.putIfAbsent('race/claim.json', `writer-${i}`)));
    assert.equal(results.filter(Boolean).length, 1);
    const winner = results.indexOf(true);
    assert.equal((await store.get('race/claim.json')).toString('utf8'), `writer-${winner}`);
    assert.deepEqual(await readdir(join(root, 'race')), ['claim.json']);
  });

  test('concurrent puts on one key leave one whole value of one of the writers', async () => {
    const values = Array.from({ length: 10 }, (_, i) => `value-${i}-`.repeat(1000));
    await Promise.all(values.map((v) => store.put('race/put.txt', v)));
    assert.ok(values.includes((await store.get('race/put.txt')).toString('utf8')));
    assert.deepEqual((await readdir(join(root, 'race'))).sort(), ['claim.json', 'put.txt']);
  });

  test('a store whose root does not exist yet lists nothing and creates folders on put', async () => {
    const fresh = new LocalArtifactStore(join(dir, 'fresh', 'nested'));
    assert.deepEqual(await fresh.list(''), []);
    assert.equal(await fresh.exists('a/b.txt'), false);
    await fresh.put('a/b.txt', 'b');
    assert.deepEqual(await fresh.list(''), ['a/b.txt']);
  });

  test('get of a key that is a folder does not pass as an artifact', async () => {
    await mkdir(join(root, 'folder', 'inner'), { recursive: true });
    await assert.rejects(store.get('folder/inner'));
  });
});
