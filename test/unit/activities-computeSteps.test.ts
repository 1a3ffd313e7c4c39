import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FAILURE_TYPES, PipelineError, PreprocessingSchema, RandomForestClassifierSchema, runKey, ValidationSchema, type RunRef } from '../../contract';
import { activeComputeThreads } from '../../activities';
import { INLINE_MAX_SOURCE_BYTES, INLINE_MAX_TABLE_BYTES } from '../../activities/compute/inline';
import { runInThread } from '../../activities/compute/runInThread';
import { type IngestResult } from '../../activities/types';
import { decodeTable } from '../../ml/data/codec';
import { activityEnv, activitySandbox, assertNonRetryable, newRun, rejectionOf, type ActivitySandbox } from '../helpers/activities';

/** The most compute threads busy at any turn of the event loop while `promise` runs: 0 when its work ran inline. */
async function threadsDuring<T>(promise: Promise<T>): Promise<{ value: T; most: number }> {
  let most = activeComputeThreads();
  let sampling = true;
  const sample = () => {
    most = Math.max(most, activeComputeThreads());
    if (sampling) setImmediate(sample);
  };
  setImmediate(sample);
  try {
    return { value: await promise, most };
  } finally {
    sampling = false;
  }
}

describe('ingest and validate in compute threads', () => {
  let box: ActivitySandbox;
  /** Iris repeated to 9,600 rows (~230 KB): over the inline limits, so parsed and checked in a thread. */
  let large: string;
  let run: RunRef;
  let ingested: IngestResult;
  before(async () => {
    box = await activitySandbox();
    const lines = (await readFile(join(box.sandbox.dataRoot, 'iris.csv'), 'utf8')).trimEnd().split('\n');
    large = [lines[0], ...Array.from({ length: 64 }, () => lines.slice(1)).flat()].join('\n') + '\n';
    assert.ok(large.length > INLINE_MAX_SOURCE_BYTES);
    await writeFile(join(box.sandbox.dataRoot, 'iris64.csv'), large);
    run = newRun();
    const { value, most } = await threadsDuring(activityEnv().call(box.activities.ingest, { run, source: 'iris64.csv' }));
    ingested = value;
    assert.equal(most, 1, 'the large file was parsed in a compute thread');
  });
  after(async () => {
    await box.sandbox.remove();
  });

  test('a large file is parsed in a thread into the same table; the thread is idle after', async () => {
    assert.equal(ingested.rows, 9600);
    assert.equal(ingested.columns, 5);
    assert.ok(ingested.table.bytes > INLINE_MAX_TABLE_BYTES);
    const table = decodeTable(await box.sandbox.store.get(ingested.table.key));
    assert.equal(table.rowCount, 9600);
    const species = table.columns.find((c) => c.name === 'species');
    assert.ok(species?.type === 'string');
    assert.deepEqual(species.dictionary, ['setosa', 'versicolor', 'virginica']);
    const schema = JSON.parse((await box.sandbox.store.get(ingested.schemaRef.key)).toString('utf8')) as { rows: number; columns: { name: string; type: string }[] };
    assert.equal(schema.rows, 9600);
    assert.deepEqual(schema.columns.map((c) => c.type), ['number', 'number', 'number', 'number', 'string']);
    assert.equal(activeComputeThreads(), 0);
  });

  test('a tiny file is parsed and checked inline: no thread round trip', async () => {
    const tinyRun = newRun();
    const { value, most } = await threadsDuring(activityEnv().call(box.activities.ingest, { run: tinyRun, source: 'iris.csv' }));
    assert.equal(value.rows, 150);
    assert.equal(most, 0);
    const checked = await threadsDuring(activityEnv().call(box.activities.validate, { run: tinyRun, table: value.table, rules: ValidationSchema.parse({ notNull: ['species'] }) }));
    assert.equal(checked.value.passed, true);
    assert.equal(checked.most, 0);
  });

  test('a small archive still goes to a thread: 64 KiB of zip or gzip can expand to megabytes of rows', async () => {
    await writeFile(join(box.sandbox.dataRoot, 'sample.zip'), await readFile(join(__dirname, '../fixtures/data/sample.zip')));
    const { value, most } = await threadsDuring(activityEnv().call(box.activities.ingest, { run: newRun(), source: 'sample.zip' }));
    assert.ok(value.sourceBytes <= INLINE_MAX_SOURCE_BYTES);
    assert.equal(value.format, 'csv');
    assert.equal(most, 1);
  });

  test('a malformed large file fails from the thread as a non-retryable DataFormatError naming the file and line', async () => {
    await writeFile(join(box.sandbox.dataRoot, 'ragged64.csv'), `${large}1,2,3,4,setosa,extra\n`);
    const { value: error, most } = await threadsDuring(rejectionOf(activityEnv().call(box.activities.ingest, { run: newRun(), source: 'ragged64.csv' })));
    assert.equal(most, 1);
    const failure = assertNonRetryable(error, FAILURE_TYPES.DataFormatError);
    assert.match(failure.message, /ragged64\.csv/);
    assert.match(failure.message, /line 9602\b/);
  });

  test('a misspelt column of a large file fails from the thread naming the closest name, and nothing is stored', async () => {
    const misspelt = newRun();
    const error = await rejectionOf(activityEnv().call(box.activities.ingest, { run: misspelt, source: 'iris64.csv', columns: { target: 'Species' } }));
    assert.match(assertNonRetryable(error, FAILURE_TYPES.ColumnNotFoundError).message, /dataset\.target: no column "Species"; did you mean "species"\?/);
    assert.equal(await box.sandbox.store.exists(runKey(misspelt, 'ingested', 'table.bin')), false);
  });

  test('failing rules over a large table: ValidationFailed from the checks in the thread, with the report written', async () => {
    const rules = ValidationSchema.parse({ minRows: 10_000, ranges: [{ column: 'sepal_length', max: 5 }] });
    const { value: error, most } = await threadsDuring(rejectionOf(activityEnv().call(box.activities.validate, { run, table: ingested.table, rules })));
    assert.equal(most, 1);
    const failure = assertNonRetryable(error, FAILURE_TYPES.ValidationFailed);
    assert.match(failure.message, /^validation failed \(2 of 2 expectations\)/);
    assert.match(failure.message, /9600/);
    const report = JSON.parse((await box.sandbox.store.get(runKey(run, 'validation', 'report.json'))).toString('utf8')) as { passed: boolean; rowCount: number };
    assert.deepEqual([report.passed, report.rowCount], [false, 9600]);
  });

  test('quarantine over a large table: the rows and the cleaned table come back from the thread', async () => {
    const rules = ValidationSchema.parse({ ranges: [{ column: 'sepal_length', max: 7.5 }], onFailure: { ranges: 'quarantine' }, maxQuarantineFraction: 0.05 });
    const { value: result, most } = await threadsDuring(activityEnv().call(box.activities.validate, { run, table: ingested.table, rules }));
    assert.equal(most, 1);
    // Six flowers of each 150 have a sepal longer than 7.5.
    assert.equal(result.quarantined, 6 * 64);
    const cleaned = decodeTable(await box.sandbox.store.get(result.table!.key));
    assert.equal(cleaned.rowCount, 9600 - 6 * 64);
    const lines = (await box.sandbox.store.get(result.quarantine!.key)).toString('utf8').trimEnd().split('\n');
    assert.equal(lines.length, 6 * 64);
    assert.deepEqual((JSON.parse(lines[0]) as { row: number; reasons: string[] }).reasons, ['range sepal_length']);
    assert.equal((JSON.parse(lines[0]) as { row: number }).row, 106);
  });

  test('a system error in the thread that a retry cannot fix stays a permanent failure (a directory as the file)', async () => {
    const error = await rejectionOf(
      runInThread('ingest', { path: box.sandbox.dataRoot, fileName: 'data.csv', format: 'csv', compression: 'none', tempDir: box.sandbox.dir, missingValues: [] }, { signal: new AbortController().signal }),
    );
    assert.ok(error instanceof PipelineError, `expected one of our errors, got ${String(error)}`);
    assert.equal(error.failureType, FAILURE_TYPES.UnusableInputError);
    assert.equal(error.retryable, false);
    assert.match(error.message, /is a directory/);
  });
});

describe('the model steps of a small forest run inline', () => {
  let box: ActivitySandbox;
  before(async () => {
    box = await activitySandbox();
  });
  after(async () => {
    await box.sandbox.remove();
  });

  test('Iris with 100 trees: preprocess, train and evaluate without a thread, the same model and scores as through one; 2,000 trees train in a thread', async () => {
    const run = newRun();
    const ingested = await activityEnv().call(box.activities.ingest, { run, source: 'iris.csv' });
    const split = { testSize: 0.3, seed: 7, stratify: true };
    const { value: prepared, most: preprocessThreads } = await threadsDuring(
      activityEnv().call(box.activities.preprocess, { run, table: ingested.table, target: 'species', task: 'classification', preprocessing: PreprocessingSchema.parse({}), split, forest: { maxBins: 255 } }),
    );
    assert.equal(preprocessThreads, 0);
    const forest = (nTrees: number) => ({ type: 'random_forest_classifier' as const, hyperparameters: RandomForestClassifierSchema.parse({ nTrees, seed: 1 }) });
    const train = (nTrees: number) => activityEnv().call(box.activities.train, { run, model: forest(nTrees), train: prepared.train, transform: prepared.transform, target: 'species' });
    const small = await threadsDuring(train(100));
    assert.equal(small.most, 0, '100 trees on 105 rows trained inline');
    const inlineModel = await box.sandbox.store.get(small.value.model.key);
    const evaluated = await threadsDuring(activityEnv().call(box.activities.evaluate, { run, model: small.value.model, test: prepared.test }));
    assert.equal(evaluated.most, 0, 'scored inline');
    const inlineEvaluation = (await box.sandbox.store.get(evaluated.value.evaluation.key)).toString('utf8');

    const threaded = await runInThread(
      'train',
      { model: forest(100), train: await box.sandbox.store.get(prepared.train.key), transform: (await box.sandbox.store.get(prepared.transform.key)).toString('utf8'), target: 'species', trainedAt: '', checkpoints: { everyTrees: 0, everyMs: 0 } },
      { signal: new AbortController().signal },
    );
    const trees = (artifact: string | Buffer) => (JSON.parse(artifact.toString()) as { model: unknown }).model;
    assert.deepEqual(trees(inlineModel), trees(threaded.artifact), 'the same trees, inline or in a thread');
    const scored = await runInThread('evaluate', { model: inlineModel, test: await box.sandbox.store.get(prepared.test.key) }, { signal: new AbortController().signal });
    assert.equal(inlineEvaluation, scored.evaluation, 'the same evaluation, inline or in a thread');

    assert.equal((await threadsDuring(train(2000))).most, 1, 'a larger forest trains in a thread');
    assert.equal(activeComputeThreads(), 0);
  });
});
