import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createActivities } from '../../activities';
import { FAILURE_TYPES, runKey } from '../../contract';
import { decodeTable } from '../../ml/data/codec';
import { activityEnv, assertNonRetryable, assertRetryable, newRun, rejectionOf } from '../helpers/activities';
import { createSandbox, TEST_HTTP, testDeps, type Sandbox } from '../helpers/fixtures';
import { startS3Server, type S3TestServer } from '../helpers/s3Server';

let s3: S3TestServer;
let sandbox: Sandbox;
let irisBytes: Buffer;

const put = (key: string, body: string | Uint8Array) => s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: body }));
const lastModified = async (key: string) => (await s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key }))).LastModified!;
/** Runs `body` with this process's temp folder set to a fresh one of its own, so other test files' scratch folders do not count. */
async function withOwnTmpdir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'mlp-s3-sources-tmp-'));
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  try {
    return await body(dir);
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    await rm(dir, { recursive: true, force: true });
  }
}

before(async () => {
  [s3, sandbox] = await Promise.all([startS3Server(), createSandbox()]);
  irisBytes = await readFile(join(sandbox.dataRoot, 'iris.csv'));
  await put('datasets/iris.csv', irisBytes);
});
after(async () => {
  await s3?.remove();
  await sandbox?.remove();
});

const activities = (http = TEST_HTTP) => createActivities(testDeps(sandbox, { s3: s3.client, http }));

describe('s3:// as a dataset source', () => {
  test('ingest streams the object to a scratch file, parses it, and removes the scratch folder', async () => {
    const run = newRun();
    const { result, left } = await withOwnTmpdir(async (dir) => {
      const ingested = await activityEnv().call(activities().ingest, { run, source: 's3://mlp-test/datasets/iris.csv' });
      return { result: ingested, left: await readdir(dir) };
    });
    assert.deepEqual(
      { rows: result.rows, columns: result.columns, format: result.format, bytes: result.sourceBytes },
      { rows: 150, columns: 5, format: 'csv', bytes: irisBytes.length },
    );
    assert.equal(result.fingerprint, createHash('sha256').update(irisBytes).digest('hex'));
    assert.equal(decodeTable(await sandbox.store.get(runKey(run, 'ingested', 'table.bin'))).rowCount, 150);
    assert.deepEqual(left, [], 'the scratch folder is removed');
  });

  test('a missing object fails without retry, naming the URI', async () => {
    const error = await rejectionOf(activityEnv().call(activities().ingest, { run: newRun(), source: 's3://mlp-test/datasets/missing.csv' }));
    assert.match(assertNonRetryable(error, FAILURE_TYPES.S3SourceError).message, /no object at s3:\/\/mlp-test\/datasets\/missing\.csv/);
  });

  test('an object over the size limit fails without retry, before its body is read', async () => {
    const error = await rejectionOf(activityEnv().call(activities({ ...TEST_HTTP, maxBytes: 1_000 }).ingest, { run: newRun(), source: 's3://mlp-test/datasets/iris.csv' }));
    assert.match(assertNonRetryable(error, FAILURE_TYPES.S3SourceError).message, /more than the 1000 allowed/);
  });

  test('a malformed s3:// URI fails without retry', async () => {
    for (const source of ['s3://Not_A_Bucket/x.csv', 's3://mlp-test/', 's3://mlp-test']) {
      assertNonRetryable(await rejectionOf(activityEnv().call(activities().ingest, { run: newRun(), source })), FAILURE_TYPES.InvalidS3UriError);
    }
  });

  test('an unreachable S3 is a retryable failure', async () => {
    const unreachable = createActivities(testDeps(sandbox));
    assertRetryable(await rejectionOf(activityEnv().call(unreachable.ingest, { run: newRun(), source: 's3://mlp-test/datasets/iris.csv' })));
  });
});

describe('s3:// as a sensor marker', () => {
  test('poke finds an object that appears while it waits', async () => {
    const appears = sleep(400).then(() => put('markers/poke/_SUCCESS', ''));
    const result = await activityEnv().call(activities().waitForDataPoke, { marker: 's3://mlp-test/markers/poke/_SUCCESS', pokeIntervalSeconds: 0.1, timeoutSeconds: 20 });
    await appears;
    assert.equal(result.found, true);
    assert.ok(result.checks >= 2, `checks ${result.checks}`);
  });

  test('reschedule: an absent object is a retryable DataNotReady', async () => {
    const error = await rejectionOf(activityEnv({ attempt: 2 }).call(activities().checkDataReady, { marker: 's3://mlp-test/markers/absent', pokeIntervalSeconds: 1, timeoutSeconds: 10 }));
    assertRetryable(error);
    assert.equal((error as { type?: string }).type, FAILURE_TYPES.DataNotReady);
  });

  test('newerThan: an object written before the time is not ready; rewritten after it, it is', async () => {
    const key = 'markers/fresh/_SUCCESS';
    await put(key, 'old');
    const since = await lastModified(key);
    const input = { marker: `s3://mlp-test/${key}`, newerThan: since.toISOString(), pokeIntervalSeconds: 1, timeoutSeconds: 10 };
    const notYet = await rejectionOf(activityEnv().call(activities().checkDataReady, input));
    assert.match((notYet as Error).message, /newer than .* not there yet/);
    // S3 keeps modification times to the second.
    await sleep(1_100);
    await put(key, 'new');
    const found = await activityEnv({ attempt: 2 }).call(activities().checkDataReady, input);
    assert.equal(found.found, true);
  });
});
