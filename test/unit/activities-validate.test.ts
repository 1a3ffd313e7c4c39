import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FAILURE_TYPES, parsePipelineParams, runKey, ValidationSchema, type RunRef } from '../../contract';
import { type IngestResult } from '../../activities/types';
import { type ValidationReport } from '../../ml/validate';
import { readExample } from '../helpers/fixtures';
import { activityEnv, activitySandbox, assertNonRetryable, newRun, rejectionOf, type ActivitySandbox } from '../helpers/activities';

describe('validate activity', () => {
  let box: ActivitySandbox;
  let run: RunRef;
  let ingested: IngestResult;
  before(async () => {
    box = await activitySandbox();
    run = newRun();
    ingested = await activityEnv().call(box.activities.ingest, { run, source: 'iris.csv' });
  });
  after(async () => {
    await box.sandbox.remove();
  });

  async function storedReport(): Promise<ValidationReport> {
    return JSON.parse((await box.sandbox.store.get(runKey(run, 'validation', 'report.json'))).toString('utf8')) as ValidationReport;
  }

  test('passing rules: passed, with the report written', async () => {
    const rules = parsePipelineParams(await readExample('iris.json')).validation;
    const result = await activityEnv().call(box.activities.validate, { run, table: ingested.table, rules });
    assert.equal(result.passed, true);
    assert.equal(result.report.key, runKey(run, 'validation', 'report.json'));
    const report = await storedReport();
    assert.equal(report.passed, true);
    assert.equal(report.rowCount, 150);
    assert.equal(report.expectations.length, result.expectations);
    // minRows, 5 required, 5 not null, 4 ranges, 1 allowed values, 2 column types.
    assert.equal(result.expectations, 18);
    assert.ok(report.expectations.every((e) => e.passed));
  });

  test('failing rules: a non-retryable ValidationFailed listing every failure, and the full report is still written', async () => {
    const rules = ValidationSchema.parse({
      minRows: 1000,
      requiredColumns: ['species', 'petal_colour'],
      notNull: ['species'],
      ranges: [{ column: 'sepal_length', max: 5 }],
      allowedValues: { species: ['setosa', 'versicolor'] },
      columnTypes: { sepal_length: 'integer' },
    });
    const error = await rejectionOf(activityEnv().call(box.activities.validate, { run, table: ingested.table, rules }));
    const failure = assertNonRetryable(error, FAILURE_TYPES.ValidationFailed);
    assert.equal(FAILURE_TYPES.ValidationFailed, 'ValidationFailed');

    const report = await storedReport();
    assert.equal(report.passed, false);
    assert.deepEqual(
      report.expectations.map((e) => [e.expectation, e.column ?? '', e.passed]),
      [
        ['minRows', '', false],
        ['requiredColumn', 'species', true],
        ['requiredColumn', 'petal_colour', false],
        ['notNull', 'species', true],
        ['range', 'sepal_length', false],
        ['allowedValues', 'species', false],
        ['columnType', 'sepal_length', false],
      ],
    );
    const failed = report.expectations.filter((e) => !e.passed);
    assert.match(failure.message, new RegExp(`\\(${failed.length} of ${report.expectations.length} expectations\\)`));
    for (const e of failed) assert.ok(failure.message.includes(e.message), `message lacks "${e.message}": ${failure.message}`);
    for (const e of report.expectations.filter((x) => x.passed)) assert.ok(!failure.message.includes(e.message), `passed expectation listed: ${e.message}`);
    assert.deepEqual(failure.details, [
      {
        report: box.sandbox.store.uri(runKey(run, 'validation', 'report.json')),
        failures: failed.map((e) => e.message),
        failed: [{ expectation: 'minRows' }, { expectation: 'requiredColumn', column: 'petal_colour' }, { expectation: 'range', column: 'sepal_length' }, { expectation: 'allowedValues', column: 'species' }, { expectation: 'columnType', column: 'sepal_length' }],
      },
    ]);
  });
});
