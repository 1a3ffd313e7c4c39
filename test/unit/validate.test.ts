import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type ValidationRules, type PipelineParamsInput, ValidationSchema } from '../../contract/params';
import { parseDataset } from '../../ml/data/parse';
import { type ExpectationResult, failureMessages, validateTable, validateWithPolicies } from '../../ml/validate';

type RulesInput = NonNullable<PipelineParamsInput['validation']>;
const rules = (input: RulesInput): ValidationRules => ValidationSchema.parse(input);

const table = parseDataset(
  Buffer.from(
    [
      'id,length,species,flag,score',
      '1,5.1,setosa,true,0.5',
      '2,-1,setosa,false,',
      '3,4.7,virginica,true,0.1',
      '4,12,versicolor,true,0.9',
      '4,-3,virgnica,,0.3',
      '5,,setosa,false,0.5',
    ].join('\n'),
  ),
  'csv',
  'v.csv',
);

function only(input: RulesInput): ExpectationResult {
  const report = validateTable(table, rules(input));
  assert.equal(report.expectations.length, 1);
  return report.expectations[0];
}

describe('validateTable', () => {
  test('no rules: passes with no expectations', () => {
    assert.deepEqual(validateTable(table, rules({})), { passed: true, rowCount: 6, expectations: [] });
  });

  test('row count bounds', () => {
    assert.deepEqual(only({ minRows: 6 }), { expectation: 'minRows', passed: true, observed: 6, message: '6 rows, at least 6 required' });
    assert.deepEqual(only({ minRows: 10 }), { expectation: 'minRows', passed: false, observed: 6, message: 'expected at least 10 rows, found 6' });
    assert.equal(only({ maxRows: 6 }).passed, true);
    assert.deepEqual(only({ maxRows: 5 }), { expectation: 'maxRows', passed: false, observed: 6, message: 'expected at most 5 rows, found 6' });
  });

  test('required columns', () => {
    assert.equal(only({ requiredColumns: ['species'] }).passed, true);
    assert.deepEqual(only({ requiredColumns: ['petal'] }), { expectation: 'requiredColumn', column: 'petal', passed: false, observed: null, message: 'column petal not found' });
  });

  test('notNull counts missing values and lists their rows', () => {
    assert.deepEqual(only({ notNull: ['id'] }), { expectation: 'notNull', column: 'id', passed: true, observed: 0, message: 'column id: no missing values' });
    assert.deepEqual(only({ notNull: ['length'] }), {
      expectation: 'notNull',
      column: 'length',
      passed: false,
      observed: 1,
      message: 'column length: 1 missing value (1-based data row 6)',
      failingRows: [6],
    });
    assert.deepEqual(only({ notNull: ['flag'] }).failingRows, [5]);
  });

  test('unique counts duplicates of numbers and strings, ignoring missing values', () => {
    assert.deepEqual(only({ unique: ['id'] }), {
      expectation: 'unique',
      column: 'id',
      passed: false,
      observed: 1,
      message: 'column id: 1 duplicate value (1-based data row 5)',
      failingRows: [5],
    });
    const species = only({ unique: ['species'] });
    assert.equal(species.observed, 2);
    assert.deepEqual(species.failingRows, [2, 6]);
    assert.equal(only({ unique: ['length'] }).passed, true);
  });

  test('ranges: min and max, strict bounds, missing values ignored', () => {
    assert.deepEqual(only({ ranges: [{ column: 'length', min: 0 }] }), {
      expectation: 'range',
      column: 'length',
      passed: false,
      observed: 2,
      message: 'column length: 2 values below 0 (1-based data rows 2, 5)',
      failingRows: [2, 5],
    });
    assert.equal(only({ ranges: [{ column: 'length', min: 0, max: 10 }] }).message, 'column length: 2 values below 0 and 1 value above 10 (1-based data rows 2, 4, 5)');
    assert.deepEqual(only({ ranges: [{ column: 'score', min: 0.1, max: 0.9 }] }), {
      expectation: 'range',
      column: 'score',
      passed: true,
      observed: 0,
      message: 'column score: all values within [0.1, 0.9]',
    });
    const strict = only({ ranges: [{ column: 'score', min: 0.1, max: 0.9, strictMin: true, strictMax: true }] });
    assert.equal(strict.message, 'column score: 1 value at or below 0.1 and 1 value at or above 0.9 (1-based data rows 3, 4)');
  });

  test('a range on a string column fails with a clear message', () => {
    assert.deepEqual(only({ ranges: [{ column: 'species', min: 0 }] }), {
      expectation: 'range',
      column: 'species',
      passed: false,
      observed: 'string',
      message: 'column species holds strings: a range needs a numeric column',
    });
  });

  test('allowed values compare strings by text, numbers numerically, booleans as true/false', () => {
    const species = only({ allowedValues: { species: ['setosa', 'versicolor', 'virginica'] } });
    assert.deepEqual(species, {
      expectation: 'allowedValues',
      column: 'species',
      passed: false,
      observed: 1,
      message: 'column species: 1 value not allowed, e.g. "virgnica" (1-based data row 5)',
      failingRows: [5],
    });
    assert.equal(only({ allowedValues: { id: [1, 2, '3', '4.0', 5] } }).passed, true);
    assert.deepEqual(only({ allowedValues: { id: [1, 2, 3] } }).failingRows, [4, 5, 6]);
    assert.equal(only({ allowedValues: { flag: [true, 'FALSE'] } }).passed, true);
    assert.deepEqual(only({ allowedValues: { flag: [true] } }).failingRows, [2, 6]);
    const numericText = parseDataset(Buffer.from('code\n1\nx\n'), 'csv', 'c.csv');
    assert.equal(validateTable(numericText, rules({ allowedValues: { code: [1, 'x'] } })).passed, true);
  });

  test('column types: integer satisfies number', () => {
    assert.equal(only({ columnTypes: { id: 'integer' } }).passed, true);
    assert.equal(only({ columnTypes: { id: 'number' } }).passed, true);
    assert.equal(only({ columnTypes: { flag: 'boolean' } }).passed, true);
    assert.deepEqual(only({ columnTypes: { length: 'integer' } }), {
      expectation: 'columnType',
      column: 'length',
      passed: false,
      observed: 'number',
      message: 'column length: expected type integer, found number',
    });
  });

  test('failing rows are capped at five while the count is complete', () => {
    const many = parseDataset(Buffer.from(`v\n${Array.from({ length: 20 }, (_, i) => i - 10).join('\n')}\n`), 'csv', 'm.csv');
    const result = validateTable(many, rules({ ranges: [{ column: 'v', min: 0 }] })).expectations[0];
    assert.equal(result.observed, 10);
    assert.deepEqual(result.failingRows, [1, 2, 3, 4, 5]);
    assert.equal(result.message, 'column v: 10 values below 0 (1-based data rows 1, 2, 3, 4, 5, …)');
  });

  test('every expectation is evaluated and every failure listed; absent columns never throw', () => {
    const report = validateTable(
      table,
      rules({
        minRows: 100,
        requiredColumns: ['id', 'nope'],
        notNull: ['length', 'ghost'],
        unique: ['id'],
        ranges: [{ column: 'length', min: 0 }, { column: 'ghost', max: 1 }],
        allowedValues: { species: ['setosa'], ghost: [1] },
        columnTypes: { id: 'string', ghost: 'number' },
      }),
    );
    assert.equal(report.passed, false);
    assert.equal(report.rowCount, 6);
    assert.equal(report.expectations.length, 12);
    assert.deepEqual(
      report.expectations.map((e) => [e.expectation, e.column, e.passed]),
      [
        ['minRows', undefined, false],
        ['requiredColumn', 'id', true],
        ['requiredColumn', 'nope', false],
        ['notNull', 'length', false],
        ['notNull', 'ghost', false],
        ['unique', 'id', false],
        ['range', 'length', false],
        ['range', 'ghost', false],
        ['allowedValues', 'species', false],
        ['allowedValues', 'ghost', false],
        ['columnType', 'id', false],
        ['columnType', 'ghost', false],
      ],
    );
    const failures = failureMessages(report);
    assert.equal(failures.length, 11);
    assert.equal(failures.filter((m) => m === 'column ghost not found').length, 4);
    assert.ok(failures.includes('column nope not found'));
    assert.ok(failures.includes('column species: 3 values not allowed, e.g. "virginica", "versicolor", "virgnica" (1-based data rows 3, 4, 5)'));
  });

  test('the report is plain JSON', () => {
    const report = validateTable(table, rules({ notNull: ['length'], unique: ['id'] }));
    assert.deepEqual(JSON.parse(JSON.stringify(report)), report);
  });
});

describe('validateTable: the complete gate', () => {
  const people = parseDataset(
    Buffer.from(
      [
        'id,region,year,email,code,score',
        '1,eu,2023,ana@example.com,AB-12,0.5',
        '2,eu,2024,bo@example.com,AB-13,',
        '3,us,2023,not-an-email,ab-14,0.7',
        '4,eu,2023,cy@example.com,AB-15,',
        '5,us,2024,,AB-16,0.1',
        '6,us,2024,dee@example.com,XY-1,',
      ].join('\n'),
    ),
    'csv',
    'people.csv',
  );
  const one = (input: RulesInput): ExpectationResult => {
    const report = validateTable(people, rules(input));
    assert.equal(report.expectations.length, 1);
    return report.expectations[0];
  };

  test('notNull with a maximum fraction of missing values', () => {
    assert.deepEqual(one({ notNull: [{ column: 'score', maxNullFraction: 0.5 }] }), {
      expectation: 'notNull',
      column: 'score',
      passed: true,
      observed: 3,
      message: 'column score: 3 missing values (50% of rows), at most 50% allowed',
    });
    assert.deepEqual(one({ notNull: [{ column: 'score', maxNullFraction: 0.25 }] }), {
      expectation: 'notNull',
      column: 'score',
      passed: false,
      observed: 3,
      message: 'column score: 3 missing values (50% of rows), more than the 25% allowed (1-based data rows 2, 4, 6)',
      failingRows: [2, 4, 6],
    });
    assert.equal(one({ notNull: [{ column: 'email' }] }).message, 'column email: 1 missing value (1-based data row 5)', 'maxNullFraction defaults to 0: the plain form');
    assert.equal(validateTable(people, rules({ notNull: ['id', { column: 'score', maxNullFraction: 1 }] })).passed, true);
  });

  test('unique over a compound key, rows with a missing key part not compared', () => {
    assert.equal(one({ unique: [['region', 'year']] }).passed, false);
    assert.deepEqual(one({ unique: [['region', 'year']] }), {
      expectation: 'unique',
      column: 'region + year',
      passed: false,
      observed: 2,
      message: 'columns region + year: 2 duplicate keys (1-based data rows 4, 6)',
      failingRows: [4, 6],
    });
    assert.deepEqual(one({ unique: [['region', 'year', 'id']] }), { expectation: 'unique', column: 'region + year + id', passed: true, observed: 0, message: 'columns region + year + id: all keys distinct' });
    assert.equal(one({ unique: [['year', 'score']] }).passed, true, 'missing scores are never duplicates');
    assert.deepEqual(one({ unique: [['region', 'ghost']] }), { expectation: 'unique', column: 'region + ghost', passed: false, observed: null, message: 'column ghost of key region + ghost not found' });
    assert.equal(one({ unique: [['id']] }).message, 'column id: all values distinct', 'a one-column key is a plain unique');
  });

  test('compound keys compare exact values over many rows', () => {
    const lines = ['a,b'];
    for (let i = 0; i < 20_000; i++) lines.push(`${i % 100},${Math.floor(i / 100) + (i === 19_999 ? -1 : 0)}`);
    const big = parseDataset(Buffer.from(lines.join('\n')), 'csv', 'big.csv');
    const result = validateTable(big, rules({ unique: [['a', 'b']] })).expectations[0];
    assert.deepEqual([result.observed, result.failingRows], [1, [20000]]);
  });

  test('patterns match whole string values; numbers, long values and unsafe patterns are handled', () => {
    assert.deepEqual(one({ patterns: { code: '[A-Z]{2}-\\d{2}' } }), {
      expectation: 'pattern',
      column: 'code',
      passed: false,
      observed: 2,
      message: 'column code: 2 values not matching /[A-Z]{2}-\\d{2}/, e.g. "ab-14", "XY-1" (1-based data rows 3, 6)',
      failingRows: [3, 6],
    });
    assert.equal(one({ patterns: { email: '[^@\\s]+@[^@\\s]+\\.[a-z]+' } }).failingRows?.join(), '3', 'missing values are left to notNull');
    assert.equal(one({ patterns: { code: 'AB' } }).passed, false, 'anchored at both ends');
    assert.deepEqual(one({ patterns: { year: '\\d{4}' } }), { expectation: 'pattern', column: 'year', passed: false, observed: 'integer', message: 'column year holds integer values: a pattern needs a string column' });
    const long = parseDataset(Buffer.from(`t\n${'a'.repeat(5000)}\nb\n`), 'csv', 'long.csv');
    const result = validateTable(long, rules({ patterns: { t: '[a-z]+' } })).expectations[0];
    assert.equal(result.observed, 1);
    assert.match(result.message, /values longer than 1000 characters are not matched/);
  });

  test('patterns RE2 cannot run are refused when the params are parsed, naming the pattern', () => {
    for (const pattern of ['(a)\\1', '(?=x)x', '(?<!y)x']) {
      assert.throws(() => rules({ patterns: { code: pattern } }), /RE2 syntax/, pattern);
      const issue = ValidationSchema.safeParse({ patterns: { code: pattern } }).error?.issues[0];
      assert.deepEqual(issue?.path, ['patterns', 'code']);
      assert.ok(issue?.message.startsWith(`pattern ${JSON.stringify(pattern)} is not a valid regular expression`), issue?.message);
    }
    assert.throws(() => rules({ patterns: { code: 'x'.repeat(501) } }), /Too big|too_big|<=500/i);
    assert.throws(() => rules({ patterns: { code: '[unclosed' } }), /not a valid regular expression/);
    assert.doesNotThrow(() => rules({ patterns: { code: '^(AB|CD)-\\d{2,4}$', email: '[^@]+@[^@]+', nested: '(a+)+$' } }));
  });

  test('catastrophic-backtracking patterns run in linear time (issue 15 defect 2)', () => {
    // A backtracking engine takes about 4 minutes per value on a*a*a*a*b; the bound only fails a hang.
    const values = Array.from({ length: 3000 }, (_, i) => `${'a'.repeat(990)}${String(i).padStart(10, '0')}`);
    const table = parseDataset(Buffer.from(`t\n${values.join('\n')}\n`), 'csv', 'redos.csv');
    for (const pattern of ['a*a*a*a*b', 'a*a*a*b', '(a+)+b', '(a|aa)*b', '(\\w+\\s?)*x']) {
      const started = performance.now();
      const result = validateTable(table, rules({ patterns: { t: pattern } })).expectations[0];
      const ms = performance.now() - started;
      assert.equal(result.observed, 3000, pattern);
      assert.ok(ms < 5000, `${pattern} over 3,000 values of 1,000 characters took ${ms.toFixed(0)} ms`);
    }
  });

  test('the schema contract: version, missing columns, type mismatches, extra columns', () => {
    const contract = { version: 'v3', columns: { id: 'integer', region: 'string', score: 'number', country: 'string', year: 'string' } } as const;
    const result = one({ schema: contract });
    assert.equal(result.expectation, 'schema');
    assert.equal(result.passed, false);
    assert.equal(result.message, 'schema v3: missing column country; column year: expected string, found integer');
    assert.deepEqual(result.observed, { id: 'integer', region: 'string', year: 'integer', email: 'string', code: 'string', score: 'number' });
    const strict = one({ schema: { version: '2024-06', columns: { id: 'number', region: 'string' }, allowExtraColumns: false } });
    assert.equal(strict.message, 'schema 2024-06: unexpected columns year, email, code, score');
    const ok = one({ schema: { version: '1', columns: { id: 'number', score: 'number' } } });
    assert.deepEqual([ok.passed, ok.message], [true, 'schema 1: the data matches']);
  });

  test('the existing example params still parse, and new rules default to nothing', () => {
    const parsed = rules({ notNull: ['a'], unique: ['a'] });
    assert.deepEqual(parsed.patterns, {});
    assert.equal(parsed.schema, undefined);
    assert.deepEqual(validateTable(people, rules({})).expectations, []);
  });
});

describe('validation policies: quarantine', () => {
  // The table above: 6 rows; id 4 repeats (data row 5), length -1 and -3 (rows 2, 5), a missing length (row 6).
  test('failing rows of quarantining kinds are set aside with their reasons; unique keeps the first occurrence', () => {
    const outcome = validateWithPolicies(table, rules({ unique: ['id'], ranges: [{ column: 'length', min: 0 }], notNull: ['length'], onFailure: { unique: 'quarantine', ranges: 'quarantine' }, maxQuarantineFraction: 0.5 }));
    assert.equal(outcome.report.passed, false, 'notNull length still fails the run');
    assert.deepEqual(failureMessages(outcome.report), ['column length: 1 missing value (1-based data row 6)']);
    assert.deepEqual(Array.from(outcome.quarantine!.rows), [1, 4]);
    assert.deepEqual(outcome.quarantine!.reasons, [['range length'], ['unique id', 'range length']]);
    assert.deepEqual(outcome.report.expectations.map((e) => e.quarantined), [undefined, 1, 2]);
    assert.equal(outcome.report.quarantine?.message, '2 rows of 6 quarantined (33.3%; unique id: 1 row, range length: 2 rows)');

    const passing = validateWithPolicies(table, rules({ ranges: [{ column: 'length', min: 0 }], onFailure: { ranges: 'quarantine' }, maxQuarantineFraction: 0.5 }));
    assert.equal(passing.report.passed, true);
    assert.deepEqual(failureMessages(passing.report), []);
  });

  test('beyond maxQuarantineFraction nothing is set aside and the report fails, naming rows per rule', () => {
    const outcome = validateWithPolicies(table, rules({ ranges: [{ column: 'length', min: 0 }], onFailure: { ranges: 'quarantine' } }));
    assert.equal(outcome.report.passed, false);
    assert.equal(outcome.quarantine, undefined);
    assert.equal(outcome.report.expectations[0].quarantined, undefined);
    assert.deepEqual(failureMessages(outcome.report), [
      'column length: 2 values below 0 (1-based data rows 2, 5)',
      'quarantine would remove 2 rows of 6 (33.3%), more than validation.maxQuarantineFraction 1% allows (range length: 2 rows)',
    ]);
  });

  test('a failure that names no rows (an absent column, a string column for a range) still fails the run', () => {
    const outcome = validateWithPolicies(table, rules({ ranges: [{ column: 'nope', min: 0 }, { column: 'species', min: 0 }], onFailure: { ranges: 'quarantine' }, maxQuarantineFraction: 1 }));
    assert.equal(outcome.report.passed, false);
    assert.equal(outcome.quarantine, undefined);
    assert.equal(failureMessages(outcome.report).length, 2);
  });

  test('only row-level kinds take a policy: any other key is refused naming it', () => {
    const parsed = ValidationSchema.safeParse({ onFailure: { minRows: 'quarantine' } });
    assert.equal(parsed.success, false);
    assert.deepEqual(parsed.error?.issues.map((i) => i.path.join('.')), ['onFailure']);
    assert.match(parsed.error?.issues[0].message ?? '', /minRows/);
    assert.equal(ValidationSchema.safeParse({ onFailure: { ranges: 'drop' } }).success, false);
    assert.equal(ValidationSchema.safeParse({ maxQuarantineFraction: 1.5 }).success, false);
  });
});
