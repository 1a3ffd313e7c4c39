import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ApplicationFailure } from '@temporalio/common';
import { FAILURE_TYPES, runKey, runPrefix } from '../../contract';
import { createActivities } from '../../activities';
import { AllowList } from '../../activities/adapters/addressPolicy';
import { HttpSourceError } from '../../activities/adapters/httpSource';
import { type IngestResult } from '../../activities/types';
import { decodeTable } from '../../ml/data/codec';
import { type ColumnSchema } from '../../ml/data/table';
import { startHttpServer } from '../helpers/httpServer';
import { activityEnv, activitySandbox, assertNonRetryable, assertRetryable, newRun, rejectionOf, type ActivitySandbox } from '../helpers/activities';
import { TEST_HTTP, testDeps } from '../helpers/fixtures';

const IRIS_SCHEMA = [
  { name: 'sepal_length', type: 'number', missing: 0 },
  { name: 'sepal_width', type: 'number', missing: 0 },
  { name: 'petal_length', type: 'number', missing: 0 },
  { name: 'petal_width', type: 'number', missing: 0 },
  { name: 'species', type: 'string', missing: 0 },
];

/** The schema an ingest stored: results carry only its reference, whatever the width of the data. */
async function storedSchema(box: ActivitySandbox, result: IngestResult): Promise<ColumnSchema[]> {
  const stored = JSON.parse((await box.sandbox.store.get(result.schemaRef.key)).toString('utf8')) as { columns: ColumnSchema[] };
  return stored.columns;
}

describe('ingest activity', () => {
  let box: ActivitySandbox;
  let irisBytes: Buffer;
  let irisSha: string;
  before(async () => {
    box = await activitySandbox();
    irisBytes = await readFile(join(box.sandbox.dataRoot, 'iris.csv'));
    irisSha = createHash('sha256').update(irisBytes).digest('hex');
  });
  after(async () => {
    await box.sandbox.remove();
  });

  test('a column the params name that the data lacks fails at once, naming it and the closest names', async () => {
    const run = newRun();
    const { call } = activityEnv();
    const columns = { target: 'Species', features: ['sepal_length', 'petal_widht'], roles: ['sepal_width'], exclude: ['colour'] };
    const failure = assertNonRetryable(await rejectionOf(call(box.activities.ingest, { run, source: 'iris.csv', columns })), FAILURE_TYPES.ColumnNotFoundError);
    assert.equal(
      failure.message,
      'dataset.target: no column "Species"; did you mean "species"?; dataset.features: no column "petal_widht"; did you mean "petal_width"?; ' +
        'preprocessing.exclude: no column "colour"; the columns are "sepal_length", "sepal_width", "petal_length", "petal_width", "species"',
    );
    // Nothing is stored for a run that cannot go on.
    assert.equal(await box.sandbox.store.exists(runKey(run, 'ingested', 'table.bin')), false);
    const ok = await call(box.activities.ingest, { run, source: 'iris.csv', columns: { target: 'species', features: ['sepal_length'], roles: [], exclude: [] } });
    assert.equal(ok.rows, 150);
  });

  test('reads a local CSV from the data root and stores the table in the run folder', async () => {
    const run = newRun();
    const { call } = activityEnv();
    const result = await call(box.activities.ingest, { run, source: 'iris.csv' });
    assert.equal(result.format, 'csv');
    assert.equal(result.rows, 150);
    assert.equal(result.columns, 5);
    assert.deepEqual(await storedSchema(box, result), IRIS_SCHEMA);
    assert.equal(result.fingerprint, irisSha);
    assert.equal(result.sourceBytes, irisBytes.byteLength);

    const key = `runs/${run.pipeline}/${run.workflowId}/${run.runId}/ingested/table.bin`;
    assert.equal(result.table.key, key);
    assert.equal(result.table.key, runKey(run, 'ingested', 'table.bin'));
    const onDisk = join(box.sandbox.artifactRoot, ...key.split('/'));
    assert.equal((await stat(onDisk)).size, result.table.bytes);
    const table = decodeTable(await readFile(onDisk));
    assert.equal(table.rowCount, 150);
    assert.deepEqual(
      table.columns.map((c) => c.name),
      IRIS_SCHEMA.map((c) => c.name),
    );
    const schemaJson = JSON.parse((await box.sandbox.store.get(runKey(run, 'ingested', 'schema.json'))).toString('utf8')) as unknown;
    assert.deepEqual(schemaJson, { rows: 150, columns: IRIS_SCHEMA });
  });

  test('reads the same data from an http URL served by a real server', async () => {
    const server = await startHttpServer((_req, res) => {
      res.setHeader('content-type', 'text/csv');
      res.end(irisBytes);
    });
    try {
      const run = newRun();
      const { call } = activityEnv();
      const result = await call(box.activities.ingest, { run, source: server.url('/datasets/iris.csv?v=1') });
      assert.deepEqual(
        { rows: result.rows, columns: result.columns, format: result.format, fingerprint: result.fingerprint },
        { rows: 150, columns: 5, format: 'csv', fingerprint: irisSha },
      );
      assert.deepEqual(await storedSchema(box, result), IRIS_SCHEMA);
      assert.equal(result.table.key, runKey(run, 'ingested', 'table.bin'));
      assert.deepEqual(
        server.requests.map((r) => `${r.method} ${r.url}`),
        ['GET /datasets/iris.csv?v=1'],
      );
    } finally {
      await server.close();
    }
  });

  test('paths leaving the data root fail without retry', async () => {
    const { call } = activityEnv();
    // The path is checked before the format, so the error names the real problem.
    const escape = await rejectionOf(call(box.activities.ingest, { run: newRun(), source: '../../etc/passwd' }));
    assertNonRetryable(escape, FAILURE_TYPES.PathOutsideDataRootError);
    const escapeCsv = await rejectionOf(call(box.activities.ingest, { run: newRun(), source: '../../etc/passwd', format: 'csv' }));
    assertNonRetryable(escapeCsv, FAILURE_TYPES.PathOutsideDataRootError);

    const outside = join(box.sandbox.dir, 'outside.csv');
    await writeFile(outside, 'a,b\n1,2\n');
    const absolute = await rejectionOf(call(box.activities.ingest, { run: newRun(), source: outside }));
    assertNonRetryable(absolute, FAILURE_TYPES.PathOutsideDataRootError);
  });

  test('an absolute path inside the data root is accepted', async () => {
    const { call } = activityEnv();
    const result = await call(box.activities.ingest, { run: newRun(), source: join(box.sandbox.dataRoot, 'iris.csv') });
    assert.equal(result.rows, 150);
  });

  test('a missing file is a non-retryable SourceNotFoundError', async () => {
    const { call } = activityEnv();
    const error = await rejectionOf(call(box.activities.ingest, { run: newRun(), source: 'nope/missing.csv' }));
    const failure = assertNonRetryable(error, FAILURE_TYPES.SourceNotFoundError);
    assert.match(failure.message, /nope\/missing\.csv/);
  });

  test('a malformed CSV is a non-retryable DataFormatError naming the file and the line', async () => {
    await writeFile(join(box.sandbox.dataRoot, 'ragged.csv'), 'a,b,c\n1,2,3\n4,5,6,7\n8,9,10\n');
    const { call } = activityEnv();
    const error = await rejectionOf(call(box.activities.ingest, { run: newRun(), source: 'ragged.csv' }));
    const failure = assertNonRetryable(error, FAILURE_TYPES.DataFormatError);
    assert.match(failure.message, /ragged\.csv/);
    assert.match(failure.message, /line 3\b/);
  });

  test('an http 500 is a retryable error', async () => {
    const server = await startHttpServer((_req, res) => {
      res.statusCode = 500;
      res.end('boom');
    });
    try {
      const { call } = activityEnv();
      const error = await rejectionOf(call(box.activities.ingest, { run: newRun(), source: server.url('/iris.csv') }));
      const failure = assertRetryable(error) as ApplicationFailure;
      assert.equal(failure.type, FAILURE_TYPES.HttpSourceError);
      assert.ok(failure.cause instanceof HttpSourceError, `expected an HttpSourceError as the cause, got ${String(failure.cause)}`);
      assert.equal(failure.cause.status, 500);
    } finally {
      await server.close();
    }
  });

  test('a source on a loopback address fails without retry when it is not allow-listed, and is never requested', async () => {
    const server = await startHttpServer((_req, res) => res.end(irisBytes));
    const strict = createActivities(testDeps(box.sandbox, { http: { ...TEST_HTTP, allow: AllowList.parse('') } }));
    try {
      const error = await rejectionOf(activityEnv().call(strict.ingest, { run: newRun(), source: server.url('/iris.csv') }));
      assert.match(assertNonRetryable(error, FAILURE_TYPES.BlockedAddressError).message, /127\.0\.0\.1.*HTTP_ALLOW_HOSTS/);
      assert.equal(server.requests.length, 0);
    } finally {
      await server.close();
    }
  });

  test('an http 404 is not retried', async () => {
    const server = await startHttpServer((_req, res) => {
      res.statusCode = 404;
      res.end();
    });
    try {
      const { call } = activityEnv();
      const error = await rejectionOf(call(box.activities.ingest, { run: newRun(), source: server.url('/iris.csv') }));
      assertNonRetryable(error, FAILURE_TYPES.HttpSourceError);
    } finally {
      await server.close();
    }
  });

  test('an explicit format contradicting the extension is a non-retryable FormatMismatchError', async () => {
    const { call } = activityEnv();
    const error = await rejectionOf(call(box.activities.ingest, { run: newRun(), source: 'iris.csv', format: 'json' }));
    assertNonRetryable(error, FAILURE_TYPES.FormatMismatchError);
  });

  test('archives and parameters pass through: a zipped csv, a gzipped jsonl, a custom delimiter', async () => {
    const { call } = activityEnv();
    const fixtures = join(__dirname, '../fixtures/data');
    for (const file of ['sample.zip', 'sample.jsonl.gz']) await writeFile(join(box.sandbox.dataRoot, file), await readFile(join(fixtures, file)));
    const zipped = await call(box.activities.ingest, { run: newRun(), source: 'sample.zip' });
    assert.equal(zipped.format, 'csv');
    assert.ok(zipped.rows > 0);
    const gz = await call(box.activities.ingest, { run: newRun(), source: 'sample.jsonl.gz' });
    assert.equal(gz.format, 'jsonl');
    assert.equal(gz.rows, zipped.rows);
    await writeFile(join(box.sandbox.dataRoot, 'semicolon.csv'), 'a;b\n1;x\n2;y\n');
    const semi = await call(box.activities.ingest, { run: newRun(), source: 'semicolon.csv', delimiter: ';' });
    assert.deepEqual((await storedSchema(box, semi)).map((c) => [c.name, c.type]), [['a', 'integer'], ['b', 'string']]);
  });

  test('a retried ingest overwrites its own keys and leaves nothing else behind', async () => {
    const run = newRun();
    const first = await activityEnv().call(box.activities.ingest, { run, source: 'iris.csv' });
    const keysAfterFirst = await box.sandbox.store.list(runPrefix(run));
    assert.deepEqual(keysAfterFirst, [runKey(run, 'ingested', 'schema.json'), runKey(run, 'ingested', 'table.bin')]);

    const second = await activityEnv({ attempt: 2 }).call(box.activities.ingest, { run, source: 'iris.csv' });
    assert.deepEqual(await box.sandbox.store.list(runPrefix(run)), keysAfterFirst);
    assert.deepEqual(second.table, first.table);
    assert.equal(second.fingerprint, first.fingerprint);
  });

  test('a 200,000-column file fails as bad input naming the count and the limit', async () => {
    // 200,000 columns and one row of ones: about 1.7 MB, the shape that cost 2.4 GiB and a PayloadsTooLarge.
    const columns = 200_000;
    const header = Array.from({ length: columns }, (_, i) => `c${i}`).join(',');
    await writeFile(join(box.sandbox.dataRoot, 'wide.csv'), `${header}\n${new Array<string>(columns).fill('1').join(',')}\n`);
    const error = await rejectionOf(activityEnv().call(box.activities.ingest, { run: newRun(), source: 'wide.csv' }));
    const failure = assertNonRetryable(error, FAILURE_TYPES.DataFormatError);
    assert.match(failure.message, /200000 columns, more than the limit of 10000 \(INGEST_MAX_COLUMNS\)/);

  });

  test('the result of a wide ingest stays small: the schema is in the store', async () => {
    const columns = 5_000;
    const header = Array.from({ length: columns }, (_, i) => `c${i}`).join(',');
    await writeFile(join(box.sandbox.dataRoot, 'wide5k.csv'), `${header}\n${new Array<string>(columns).fill('1').join(',')}\n`);
    const result = await activityEnv().call(box.activities.ingest, { run: newRun(), source: 'wide5k.csv' });
    assert.equal(result.columns, columns);
    const payloadBytes = Buffer.byteLength(JSON.stringify(result));
    assert.ok(payloadBytes < 2048, `the result is ${payloadBytes} bytes`);
    assert.equal((await storedSchema(box, result)).length, columns);
  });
});
