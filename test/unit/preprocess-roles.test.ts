import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type PreprocessingSpec, PipelineParamsSchema, PreprocessingSchema } from '../../contract/params';
import { parseDataset } from '../../ml/data/parse';
import { tableFromRecords } from '../../ml/data/records';
import { ColumnNotFoundError, PreprocessError } from '../../ml/data/errors';
import { checkColumns, closestNames, editDistance, missingColumnMessage } from '../../ml/data/columnCheck';
import { type Table, findColumn } from '../../ml/data/table';
import { applyTransform, binSplits, batchProblems, fitTransform, parseIsoDatetime, planFeatures, type DatetimeFeature } from '../../ml/preprocess';

const csv = (text: string): Table => parseDataset(Buffer.from(text), 'csv', 'p.csv');
const spec = (input: Partial<PreprocessingSpec> = {}): PreprocessingSpec => PreprocessingSchema.parse(input);
const all = (table: Table): Int32Array => Int32Array.from({ length: table.rowCount }, (_, i) => i);

/** 40 rows: a unique id, an ISO date, a yes/no flag, long unique notes, a small category, a number and the target. */
function mixed(): Table {
  const lines = ['id,day,member,notes,color,x,y'];
  for (let i = 0; i < 40; i++) {
    const day = `2024-0${1 + (i % 3)}-${String(1 + (i % 28)).padStart(2, '0')}`;
    const notes = `a customer comment number ${i} that goes on for quite a while`;
    lines.push(`P${1000 + i},${day},${i % 2 === 0 ? 'yes' : 'no'},${notes},${['red', 'blue'][i % 2]},${i},${i % 3}`);
  }
  return csv(lines.join('\n') + '\n');
}

const roleOf = (table: Table, name: string, s: PreprocessingSpec = spec(), named?: string[]) => {
  const plan = planFeatures(table, 'y', all(table), s, named);
  return plan.columns.find((c) => c.name === name);
};

describe('column roles', () => {
  test('inferred from the training rows, with the reason', () => {
    const table = mixed();
    const plan = planFeatures(table, 'y', all(table), spec());
    const byName = Object.fromEntries(plan.columns.map((c) => [c.name, c]));
    assert.equal(byName.id.role, 'identifier');
    assert.equal(byName.id.reason, '40 distinct of 40 rows');
    assert.equal(byName.day.role, 'datetime');
    assert.equal(byName.day.reason, 'ISO 8601 dates in all 40 values');
    assert.equal(byName.member.role, 'boolean');
    assert.equal(byName.notes.role, 'text');
    assert.equal(byName.color.role, 'categorical');
    assert.equal(byName.x.role, 'numeric');
    assert.equal(plan.columns.some((c) => c.name === 'y'), false);
    assert.deepEqual(plan.features, ['day', 'member', 'color', 'x']);
    assert.deepEqual(plan.as, { day: 'datetime', member: 'categorical', color: 'categorical', x: 'numeric' });
  });

  test('identifiers and free text leave the default features with one warning each', () => {
    const table = mixed();
    const { warnings, columns } = planFeatures(table, 'y', all(table), spec());
    assert.deepEqual(warnings, [
      '1 column left out of the features as identifiers: id (40 distinct of 40 rows); name them in dataset.features or preprocessing.roles to use them',
      '1 column left out of the features as free text: notes (mean length 59 characters, 40 distinct of 40 rows); name them in dataset.features or preprocessing.roles to use them',
    ]);
    assert.equal(columns.find((c) => c.name === 'id')?.used, false);
  });

  test('a few repeated strings are categories, however many rows; under 20 rows nothing is an identifier', () => {
    assert.equal(roleOf(csv('c,y\n' + 'a,1\nb,0\n'.repeat(20)), 'c')?.role, 'categorical');
    assert.equal(roleOf(csv('c,y\n' + Array.from({ length: 10 }, (_, i) => `v${i},1`).join('\n') + '\n'), 'c')?.role, 'categorical');
  });

  test('true/false cells are booleans by type; a date-time column says so', () => {
    assert.deepEqual(roleOf(csv('b,y\ntrue,1\nfalse,0\n'), 'b'), { name: 'b', type: 'boolean', role: 'boolean', reason: 'true/false values', used: true });
    assert.equal(roleOf(csv('t,y\n2024-01-01T10:00:00Z,1\n2024-01-02 11:30,0\n'), 't')?.reason, 'ISO 8601 date-times in all 2 values');
    assert.equal(roleOf(csv('t,y\n2024-01-01,1\n2024-02-30,0\n'), 't')?.role, 'categorical');
  });

  test('overrides win, a named identifier stays as categorical, exclude drops a column', () => {
    const table = mixed();
    const s = spec({ roles: { id: 'categorical', day: 'categorical', x: 'datetime' }, exclude: ['color'] });
    const plan = planFeatures(table, 'y', all(table), s);
    const byName = Object.fromEntries(plan.columns.map((c) => [c.name, c]));
    assert.equal(byName.id.role, 'categorical');
    assert.equal(byName.id.reason, 'set in preprocessing.roles');
    assert.deepEqual({ used: byName.color.used, note: byName.color.note }, { used: false, note: 'in preprocessing.exclude' });
    assert.deepEqual(plan.features, ['id', 'day', 'member', 'x']);
    assert.deepEqual(plan.as, { id: 'categorical', day: 'categorical', member: 'categorical', x: 'datetime' });

    const named = planFeatures(table, 'y', all(table), spec(), ['notes', 'id', 'x']);
    assert.deepEqual(named.features, ['notes', 'id', 'x']);
    assert.equal(named.as.id, 'categorical');
    assert.equal(named.columns.find((c) => c.name === 'color')?.note, 'not in dataset.features');
    assert.match(named.warnings[0], /^2 columns named in dataset.features look like identifiers or free text, used as categories: id \(40 distinct/);
  });

  test('a role the values cannot take names the param', () => {
    const table = mixed();
    assert.throws(
      () => planFeatures(table, 'y', all(table), spec({ roles: { color: 'numeric' } })),
      (e: unknown) => e instanceof PreprocessError && e.column === 'color' && /^preprocessing\.roles\.color: the column holds strings/.test(e.message),
    );
  });

  test('params: roles and exclude default to none; the target cannot be excluded', () => {
    assert.deepEqual(spec(), { ...spec(), roles: {}, exclude: [] });
    const base = { pipeline: 'p', dataset: { source: 'd.csv', target: 'y' }, model: { type: 'logistic_regression' }, deploy: { metric: 'accuracy', threshold: 0.5 } };
    const parsed = PipelineParamsSchema.safeParse({ ...base, preprocessing: { exclude: ['y'], roles: { d: 'datetime' } } });
    assert.equal(parsed.success, false);
    assert.match(JSON.stringify(parsed.error?.issues), /the target column cannot be excluded/);
    assert.equal(PipelineParamsSchema.safeParse({ ...base, preprocessing: { roles: { d: 'date' } } }).success, false);
  });
});

describe('datetime features', () => {
  test('ISO 8601 parsing: wall-clock parts as written, the instant in days', () => {
    assert.deepEqual(parseIsoDatetime('2024-03-05'), { year: 2024, month: 3, day: 5, weekday: 2, hour: 0, days: 19787, hasTime: false });
    const t = parseIsoDatetime('2024-03-05T22:30:00-02:00');
    assert.equal(t?.hour, 22);
    assert.equal(t?.days, 19788 + 0.5 / 24);
    assert.equal(parseIsoDatetime('2024-13-01'), undefined);
    assert.equal(parseIsoDatetime('05/03/2024'), undefined);
  });

  test('only the parts that vary are kept, and applyTransform derives the same on new rows', () => {
    // Same year, no time of day: month, day, weekday and days vary.
    const table = csv('d,y\n2024-01-01,1\n2024-01-15,0\n2024-02-03,1\nNA,0\n');
    const fitted = fitTransform(table, ['d'], spec({ scaling: 'none' }), all(table), { as: { d: 'datetime' } });
    const [d] = fitted.features as DatetimeFeature[];
    assert.equal(d.type, 'datetime');
    assert.equal(d.source, 'iso');
    assert.deepEqual(fitted.featureNames, ['d.month', 'd.day', 'd.weekday', 'd.days']);
    // The rule is plain JSON, as saved with the model.
    const saved = JSON.parse(JSON.stringify(fitted)) as typeof fitted;
    const fresh = tableFromRecords([{ d: '2025-02-14' }, { d: 'not a date' }, { d: null }, { d: '2024-01-15T12:00:00Z' }]);
    const x = applyTransform(saved, fresh);
    const row = (i: number) => Array.from(x.data.subarray(i * x.cols, (i + 1) * x.cols));
    assert.deepEqual(row(0), [2, 14, 5, 20133]);
    // Missing and unparseable cells take the training means: month 4/3, day 19/3, weekday 8/3, days.
    const fills = d.parts.map((p) => p.fill);
    assert.deepEqual(row(1), fills);
    assert.deepEqual(row(2), fills);
    assert.deepEqual(row(3), [1, 15, 1, 19737.5]);
    assert.deepEqual(batchProblems(saved, fresh, 'classification'), []);
  });

  test('the hour only when the column has a time of day that varies; a constant column keeps the days', () => {
    const timed = csv('t,y\n2024-01-01T08:00:00,1\n2024-01-01T17:00:00,0\n');
    assert.deepEqual(fitTransform(timed, ['t'], spec(), all(timed), { as: { t: 'datetime' } }).featureNames, ['t.hour', 't.days']);
    const constant = csv('t,y\n2024-01-01,1\n2024-01-01,0\n');
    assert.deepEqual(fitTransform(constant, ['t'], spec(), all(constant), { as: { t: 'datetime' } }).featureNames, ['t.days']);
  });

  test('epoch numbers declared as datetime: seconds or milliseconds by their size', () => {
    const seconds = csv('e,y\n1704067200,1\n1706745600,0\n');
    const fitted = fitTransform(seconds, ['e'], spec({ scaling: 'none' }), all(seconds), { as: { e: 'datetime' } });
    assert.equal((fitted.features[0] as DatetimeFeature).source, 'epoch_seconds');
    assert.deepEqual(fitted.featureNames, ['e.month', 'e.weekday', 'e.days']);
    assert.deepEqual(Array.from(applyTransform(fitted, seconds).data), [1, 1, 19723, 2, 4, 19754]);
    const ms = csv('e,y\n1704067200000,1\n1706745600000,0\n');
    assert.equal((fitTransform(ms, ['e'], spec(), all(ms), { as: { e: 'datetime' } }).features[0] as DatetimeFeature).source, 'epoch_milliseconds');
  });

  test('forests bin each datetime part as a column of its own', () => {
    const table = csv('d,x,y\n2024-01-01,1,1\n2024-03-15,2,0\n2024-02-03,3,1\n2024-05-20,4,0\n');
    const fitted = fitTransform(table, ['d', 'x'], spec(), all(table), { as: { d: 'datetime' }, forestCodes: 255 });
    const binned = binSplits(fitted, table, Int32Array.from([0, 1, 2]), Int32Array.from([3]), 255);
    assert.equal(binned.train.cols, fitted.featureNames.length);
    assert.equal(binned.train.thresholds.length, fitted.featureNames.length);
    assert.ok(findColumn(table, 'd'));
  });
});

describe('column name suggestions', () => {
  test('case first, then a few edits, else the columns there are', () => {
    assert.equal(missingColumnMessage('species', ['SepalLength', 'Species']), 'no column "species"; did you mean "Species"?');
    assert.deepEqual(closestNames('specis', ['Species', 'spices', 'petal']), ['Species', 'spices']);
    assert.deepEqual(closestNames('x', ['y', 'xy', 'abc']), ['xy', 'y']);
    assert.equal(missingColumnMessage('zzz', ['a', 'b']), 'no column "zzz"; the columns are "a", "b"');
    const many = Array.from({ length: 12 }, (_, i) => `c${i}`);
    assert.match(missingColumnMessage('target', many), /"c9" and 2 more$/);
    assert.equal(editDistance('kitten', 'sitting'), 3);
  });

  test('checkColumns names the field of each missing column', () => {
    assert.doesNotThrow(() => checkColumns(['a', 'y'], { target: 'y', features: ['a'] }));
    assert.throws(
      () => checkColumns(['Name', 'y'], { target: 'y', roles: ['name'] }),
      (e: unknown) => e instanceof ColumnNotFoundError && e.column === 'name' && e.message === 'preprocessing.roles: no column "name"; did you mean "Name"?',
    );
  });
});
