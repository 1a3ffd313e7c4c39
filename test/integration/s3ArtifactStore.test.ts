import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { type ArtifactStore } from '../../storage/artifactStore';
import { LocalArtifactStore } from '../../storage/localArtifactStore';
import { type Lineage, ModelRegistry } from '../../storage/modelRegistry';
import { type S3ArtifactStore } from '../../storage/s3ArtifactStore';
import { startS3Server, type S3TestServer } from '../helpers/s3Server';
import { patternBytes, patternChunks, storeContract } from '../helpers/storeContract';

const sha = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');
const MiB = 1024 * 1024;

let s3: S3TestServer;
let localDir: string;
let local: LocalArtifactStore;
let remote: S3ArtifactStore;

before(async () => {
  [s3, localDir] = await Promise.all([startS3Server(), mkdtemp(join(tmpdir(), 'mlp-contract-'))]);
  local = new LocalArtifactStore(localDir);
  // The smallest part S3 allows, so a few MiB already make a multipart upload.
  remote = s3.store('team/artifacts', { partSizeBytes: 5 * MiB });
});
after(async () => {
  await s3?.remove();
  await rm(localDir, { recursive: true, force: true });
});

storeContract('LocalArtifactStore', () => local, (key) => new RegExp(`^file://.*/${key}$`));
storeContract('S3ArtifactStore', () => remote, (key) => new RegExp(`^s3://mlp-test/team/artifacts/${key}$`));

/** The headers of every request the client sends, by command, to check what goes over the wire. */
function recordRequests(store: () => S3TestServer): { sent: { command: string; headers: Record<string, string> }[]; stop(): void } {
  const sent: { command: string; headers: Record<string, string> }[] = [];
  const name = 'record-requests';
  store().client.middlewareStack.add(
    (next, context) => async (args) => {
      sent.push({ command: context.commandName ?? '', headers: { ...(args.request as { headers: Record<string, string> }).headers } });
      return next(args);
    },
    { step: 'finalizeRequest', name },
  );
  return { sent, stop: () => store().client.middlewareStack.remove(name) };
}

async function unfinishedUploads(): Promise<string[]> {
  const listed = await s3.client.send(new ListMultipartUploadsCommand({ Bucket: s3.bucket }));
  return (listed.Uploads ?? []).map((u) => u.Key ?? '');
}

describe('S3ArtifactStore on a real S3 server', () => {
  test('keys live under the prefix in the bucket, and uri() names them', async () => {
    const ref = await remote.put('runs/p/w/r/ingested/schema.json', '{}');
    assert.equal(ref.uri, 's3://mlp-test/team/artifacts/runs/p/w/r/ingested/schema.json');
    const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: 'team/artifacts/runs/p/' }));
    assert.deepEqual(
      listed.Contents?.map((o) => o.Key),
      ['team/artifacts/runs/p/w/r/ingested/schema.json'],
    );
    const atRoot = s3.store('');
    await atRoot.put('root-key.txt', 'r');
    assert.equal(atRoot.uri('root-key.txt'), 's3://mlp-test/root-key.txt');
    assert.ok((await atRoot.list('')).includes('team/artifacts/runs/p/w/r/ingested/schema.json'));
  });

  test('a large streamed object (24 MiB + 3 bytes) goes up in parts and comes back byte for byte', async () => {
    const size = 24 * MiB + 3;
    const expected = patternBytes(size, 64 * 1024, 7);
    const recorder = recordRequests(() => s3);
    let ref;
    try {
      ref = await remote.putStream('big/table.bin', patternChunks(size, 64 * 1024, 7), 'application/octet-stream');
    } finally {
      recorder.stop();
    }
    assert.deepEqual({ bytes: ref.bytes, sha256: ref.sha256 }, { bytes: size, sha256: sha(expected) });
    const parts = recorder.sent.filter((r) => r.command === 'UploadPartCommand');
    assert.equal(parts.length, 5, 'five 5 MiB parts');
    // Every part names its SHA-256 in a header and goes as a plain body, never as aws-chunked with a trailer.
    for (const part of parts) {
      assert.match(part.headers['x-amz-checksum-sha256'] ?? '', /^[A-Za-z0-9+/]{43}=$/);
      assert.equal(part.headers['content-encoding'], undefined);
      assert.equal(part.headers['x-amz-trailer'], undefined);
    }
    // Read back with the raw client, not through the store: what the server holds is what was sent.
    const stored = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: 'team/artifacts/big/table.bin' }));
    assert.match(stored.ETag ?? '', /-5"?$/, 'a multipart object');
    const body = Buffer.from(await stored.Body!.transformToByteArray());
    assert.equal(body.length, size);
    assert.equal(sha(body), sha(expected));
    assert.equal(sha(await remote.get('big/table.bin')), sha(expected));
    assert.deepEqual(await unfinishedUploads(), []);
  });

  test('every single-request write names its SHA-256 too', async () => {
    const recorder = recordRequests(() => s3);
    try {
      await remote.put('checked/a.json', '{"a":1}');
      await remote.putIfAbsent('checked/b.json', '{"b":1}');
      await remote.replaceIfVersion('checked/c.json', '{"c":1}', undefined);
    } finally {
      recorder.stop();
    }
    const puts = recorder.sent.filter((r) => r.command === 'PutObjectCommand');
    assert.equal(puts.length, 3);
    for (const put of puts) assert.match(put.headers['x-amz-checksum-sha256'] ?? '', /^[A-Za-z0-9+/]{43}=$/);
  });

  test('the server refuses a body whose SHA-256 does not match, so a corrupted write never lands', async () => {
    const wrong = createHash('sha256').update('something else').digest('base64');
    await assert.rejects(
      s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: 'team/artifacts/corrupt.bin', Body: Buffer.from('payload'), ChecksumSHA256: wrong })),
      (error: unknown) => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 400,
    );
    assert.equal(await remote.exists('corrupt.bin'), false);
  });

  test('a multipart upload whose source fails mid-way is aborted: no parts stay, the old object stays', async () => {
    await remote.put('broken/table.bin', 'old');
    function* breaksAfterTwoParts() {
      let sent = 0;
      for (const chunk of patternChunks(20 * MiB)) {
        if (sent > 11 * MiB) throw new Error('source broke');
        sent += chunk.length;
        yield chunk;
      }
    }
    await assert.rejects(remote.putStream('broken/table.bin', breaksAfterTwoParts()), /source broke/);
    assert.equal((await remote.get('broken/table.bin')).toString(), 'old');
    assert.deepEqual(await unfinishedUploads(), []);
  });

  test('an upload a crashed attempt left unfinished is aborted when the key is written again', async () => {
    const key = 'team/artifacts/crashed/model.json';
    const { UploadId } = await s3.client.send(new CreateMultipartUploadCommand({ Bucket: s3.bucket, Key: key }));
    await s3.client.send(new UploadPartCommand({ Bucket: s3.bucket, Key: key, UploadId, PartNumber: 1, Body: patternBytes(5 * MiB) }));
    assert.deepEqual(await unfinishedUploads(), [key]);
    await remote.putStream('crashed/model.json', [Buffer.from('{"done":true}')]);
    assert.deepEqual(await unfinishedUploads(), []);
    assert.equal((await remote.get('crashed/model.json')).toString(), '{"done":true}');
  });
});

const lineage = (model: string, id: string, registeredAt: string): Omit<Lineage, 'version'> => ({
  model,
  run: { pipeline: model, workflowId: `ml-${id}`, runId: `run-${id}` },
  datasetFingerprint: `fp-${id}`,
  params: {},
  metrics: { accuracy: 0.9 },
  registeredAt,
});

for (const [name, store] of [
  ['local', () => local],
  ['S3', () => remote],
] as [string, () => ArtifactStore][]) {
  describe(`model registry on the ${name} store`, () => {
    test('10 runs claiming versions at once get 1..10, each once', async () => {
      const registry = new ModelRegistry(store());
      const versions = await Promise.all(Array.from({ length: 10 }, (_, i) => registry.claimVersion(lineage('claims', `c${i}`, `2024-01-01T00:00:0${i}.000Z`))));
      assert.deepEqual(versions.map(Number).sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      const stored = await registry.versions('claims');
      assert.equal(stored.length, 10);
      for (const [i, version] of versions.entries()) assert.equal(stored.find((l) => l.version === version)?.run.runId, `run-c${i}`);
      // A retried claim of a run finds its own version.
      assert.equal(await registry.claimVersion(lineage('claims', 'c3', '2024-01-01T00:00:03.000Z')), versions[3]);
    });

    test('concurrent promotions lose no update: each move builds on the one before', async () => {
      const registry = new ModelRegistry(store());
      const versions = Array.from({ length: 8 }, (_, i) => String(i + 1));
      const pointers = await Promise.all(versions.map((v) => registry.promote('moves', v, new Date())));
      // Applied one after another, the moves form a chain: every version but the last is some move's
      // previous version exactly once. Two writers that read the same pointer would share one.
      const previous = pointers.map((p) => p.previousVersion ?? 'none').sort();
      assert.equal(new Set(previous).size, versions.length, JSON.stringify(pointers));
      const final = await registry.production('moves');
      assert.ok(final && !previous.includes(final.version), `the serving version ${final?.version} is the last move`);
    });

    test('a deploy of an older model racing a newer one never leaves the older in production', async () => {
      const registry = new ModelRegistry(store());
      const older = { ...lineage('race', 'old', '2024-02-01T00:00:00.000Z'), version: await registry.claimVersion(lineage('race', 'old', '2024-02-01T00:00:00.000Z')) };
      const newer = { ...lineage('race', 'new', '2024-02-02T00:00:00.000Z'), version: await registry.claimVersion(lineage('race', 'new', '2024-02-02T00:00:00.000Z')) };
      await Promise.all([registry.promoteNew(older, new Date()), registry.promoteNew(newer, new Date())]);
      assert.equal((await registry.production('race'))?.version, newer.version);
    });
  });
}
