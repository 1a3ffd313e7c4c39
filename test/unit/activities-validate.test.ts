import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FAILURE_TYPES, parsePipelineParams, runKey, ValidationSchema, type RunRef } from '../../contract';
import { type IngestResult } from '../../activities/types';
import { decodeTable } from '../../ml/data/codec';
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

  test('quarantine: failing rows go to quarantine.jsonl with their reasons, the rest to a cleaned table, counted in the result and report', async () => {
    const rules = ValidationSchema.parse({
      ranges: [{ column: 'sepal_length', max: 7.5 }],
      allowedValues: { species: ['setosa', 'versicolor', 'virginica'] },
      onFailure: { ranges: 'quarantine' },
      maxQuarantineFraction: 0.05,
    });
    const result = await activityEnv().call(box.activities.validate, { run, table: ingested.table, rules });
    // Six flowers have a sepal longer than 7.5: 4% of 150.
    assert.equal(result.quarantined, 6);
    assert.equal(result.quarantine?.key, runKey(run, 'validation', 'quarantine.jsonl'));
    assert.equal(result.table?.key, runKey(run, 'validation', 'table.bin'));
    assert.deepEqual(result.warnings, [`6 rows of 150 quarantined (4%; range sepal_length: 6 rows): written to ${result.quarantine?.uri}`]);
    const cleaned = decodeTable(await box.sandbox.store.get(result.table.key));
    assert.equal(cleaned.rowCount, 144);
    const sepal = cleaned.columns.find((c) => c.name === 'sepal_length');
    assert.ok(sepal && sepal.type !== 'string' && sepal.values.every((v) => v <= 7.5));
    const lines = (await box.sandbox.store.get(result.quarantine.key)).toString('utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { row: number; reasons: string[]; values: Record<string, unknown> });
    assert.equal(lines.length, 6);
    // Row 106 of iris.csv (1-based data rows) is the first sepal of 7.6.
    assert.deepEqual(lines[0], { row: 106, reasons: ['range sepal_length'], values: { sepal_length: 7.6, sepal_width: 3, petal_length: 6.6, petal_width: 2.1, species: 'virginica' } });
    const report = await storedReport();
    assert.equal(report.passed, true);
    assert.equal(report.expectations.find((e) => e.expectation === 'range')?.quarantined, 6);
    assert.deepEqual({ ...report.quarantine, fraction: undefined }, { rows: 6, fraction: undefined, maxFraction: 0.05, applied: true, byRule: [{ rule: 'range sepal_length', rows: 6 }], message: '6 rows of 150 quarantined (4%; range sepal_length: 6 rows)', file: result.quarantine?.uri });
  });

  test('quarantine beyond maxQuarantineFraction (default 1%) fails without retry, saying how many rows failed which rule', async () => {
    const rules = ValidationSchema.parse({ ranges: [{ column: 'sepal_length', max: 7.5 }], unique: [['sepal_length', 'sepal_width', 'petal_length', 'petal_width']], onFailure: { ranges: 'quarantine', unique: 'quarantine' } });
    const error = await rejectionOf(activityEnv().call(box.activities.validate, { run: newRun(), table: ingested.table, rules }));
    const failure = assertNonRetryable(error, FAILURE_TYPES.ValidationFailed);
    assert.match(failure.message, /quarantine would remove 7 rows of 150 \(4\.67%\), more than validation\.maxQuarantineFraction 1% allows \(unique sepal_length \+ sepal_width \+ petal_length \+ petal_width: 1 row, range sepal_length: 6 rows\)/);
    assert.match(failure.message, /^validation failed \(2 of 2 expectations\)/);
  });
});
