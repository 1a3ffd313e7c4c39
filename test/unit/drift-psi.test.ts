import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DriftSpec, verdictOf, worstVerdict } from '../../contract/drift';
import { type Table } from '../../ml/data/table';
import { DriftInputError } from '../../ml/drift/errors';
import { profileCodes, profileNumeric, profileTable } from '../../ml/drift/profile';
import { columnShares, countShares, featurePsi, psi, PSI_EPSILON } from '../../ml/drift/psi';

const close = (actual: number, expected: number, digits = 9) => assert.ok(Math.abs(actual - expected) < 10 ** -digits, `${actual} is not ${expected}`);

describe('population stability index', () => {
  test('matches values computed by hand', () => {
    // (0.25 - 0.5) ln(0.25/0.5) + (0.75 - 0.5) ln(0.75/0.5)
    close(psi([0.5, 0.5], [0.25, 0.75]), 0.2746530721670274);
    close(psi([0.2, 0.3, 0.5], [0.2, 0.3, 0.5]), 0);
    // The empty expected bin counts as epsilon: (0.5 - 1) ln 0.5 + (0.5 - 1e-4) ln(0.5 / 1e-4)
    close(psi([1, 0], [0.5, 0.5]), 4.60431846666895);
    assert.equal(PSI_EPSILON, 1e-4);
  });

  test('is symmetric and refuses bins that do not line up', () => {
    close(psi([0.1, 0.9], [0.4, 0.6]), psi([0.4, 0.6], [0.1, 0.9]));
    assert.throws(() => psi([1], [0.5, 0.5]), RangeError);
  });

  test('a numeric profile holds its bins, the missing share last, summing to 1', () => {
    const values = Float64Array.from({ length: 1000 }, (_, i) => (i % 10 === 0 ? NaN : i));
    const profile = profileNumeric('x', values, 4);
    assert.equal(profile.edges.length, 3);
    assert.equal(profile.shares.length, 5);
    close(profile.missing, 0.1);
    close(profile.shares.reduce((a, b) => a + b, 0), 1);
    for (const share of profile.shares.slice(0, -1)) assert.ok(Math.abs(share - 0.225) < 0.01, `share ${share}`);
  });

  test('a categorical profile keeps the top categories; the rest is other, unseen values too', () => {
    const dictionary = ['a', 'b', 'c', 'd'];
    const codes = Int32Array.from([0, 0, 0, 0, 1, 1, 1, 2, 3, -1]);
    const profile = profileCodes('s', codes, dictionary, 2);
    assert.deepEqual(profile.categories, [{ value: 'a', share: 0.4 }, { value: 'b', share: 0.3 }]);
    close(profile.other, 0.2);
    close(profile.missing, 0.1);
    assert.deepEqual(countShares(profile, new Map([['a', 1], ['zzz', 1]])), [0.5, 0, 0.5, 0]);
    const batch = { name: 's', type: 'string' as const, codes: Int32Array.from([0, 1, 2, -1]), dictionary: ['a', 'b', 'new'] };
    assert.deepEqual(columnShares(profile, batch), [0.25, 0.25, 0.25, 0.25]);
  });

  test('a shifted feature scores high, an unchanged one near zero; a missing column is named', () => {
    const n = 10_000;
    const train: Table = {
      rowCount: n,
      columns: [
        { name: 'x', type: 'number', values: Float64Array.from({ length: n }, (_, i) => i / n) },
        { name: 'y', type: 'number', values: Float64Array.from({ length: n }, (_, i) => (i * 7919) % n) },
      ],
    };
    const rows = Int32Array.from({ length: n }, (_, i) => i);
    const profile = profileTable(train, rows, ['x', 'y'], { name: 't', targets: { task: 'regression', y: new Float64Array(n) } });
    const batch: Table = {
      rowCount: n,
      columns: [
        { name: 'x', type: 'number', values: Float64Array.from({ length: n }, (_, i) => 0.5 + i / n / 2) },
        { name: 'y', type: 'number', values: Float64Array.from({ length: n }, (_, i) => (i * 104729) % n) },
      ],
    };
    const [x, y] = featurePsi(profile.features, batch);
    assert.ok(x.psi > 0.25, `shifted x: ${x.psi}`);
    assert.ok(y.psi < 0.01, `unchanged y: ${y.psi}`);
    assert.throws(
      () => featurePsi(profile.features, { rowCount: 1, columns: [batch.columns[0]] }),
      (e: unknown) => e instanceof DriftInputError && e.column === 'y' && /no column y/.test(e.message),
    );
    assert.throws(() => featurePsi(profile.features, { rowCount: 1, columns: [{ name: 'x', type: 'string', codes: Int32Array.of(0), dictionary: ['a'] }, batch.columns[1]] }), DriftInputError);
  });
});

describe('DriftSpec', () => {
  test('defaults, verdicts and a bad threshold pair', () => {
    const spec = DriftSpec.parse({});
    assert.deepEqual({ warn: spec.warnPsi, drift: spec.driftPsi, retrain: spec.retrain }, { warn: 0.1, drift: 0.25, retrain: { enabled: false, cooldownSeconds: 86_400, onWarn: false } });
    assert.equal(verdictOf(0.05, spec), 'ok');
    assert.equal(verdictOf(0.1, spec), 'warn');
    assert.equal(verdictOf(0.3, spec), 'drift');
    assert.equal(worstVerdict(['ok', 'drift', 'warn']), 'drift');
    const bad = DriftSpec.safeParse({ warnPsi: 0.5, driftPsi: 0.2 });
    assert.equal(bad.success, false);
    assert.deepEqual(bad.error?.issues[0].path, ['warnPsi']);
    assert.equal(DriftSpec.safeParse({ retrain: { cooldown: 3 } }).success, false);
  });
});
