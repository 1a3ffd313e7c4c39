import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { profileTable } from '../../ml/drift/profile';
import { featurePsi } from '../../ml/drift/psi';
import { driftTable } from '../helpers/driftTable';

const MB = 1024 * 1024;
const ROWS = 1_000_000;

describe('training profile at 1,000,000 rows', () => {
  test('bins equal shares, finds the shifted columns, in memory bounded by one column besides the table', () => {
    const table = driftTable(ROWS, 6, 11);
    const rows = Int32Array.from({ length: ROWS }, (_, i) => i);
    const y = new Int32Array(ROWS).map((_, i) => i % 3);
    const before = process.memoryUsage().rss;
    const maxBefore = process.resourceUsage().maxRSS * 1024;
    const profile = profileTable(table, rows, ['x0', 'x1', 'x2', 'x3', 'x4', 'x5', 'city'], { name: 'label', targets: { task: 'classification', classes: ['a', 'b', 'c'], y } });
    const grew = Math.max(0, process.resourceUsage().maxRSS * 1024 - Math.max(before, maxBefore));
    console.log(`# profile of ${ROWS} rows x 7 columns: peak RSS grew ${(grew / MB).toFixed(1)} MB (table ${((ROWS * (6 * 8 + 4)) / MB).toFixed(0)} MB), rss ${(process.memoryUsage().rss / MB).toFixed(0)} MB`);
    // Each column's gathered values (8 MB) and its sorted sample, freed column by column (less the GC's lag): no copy of the table.
    assert.ok(grew < 80 * MB, `profiling grew the peak RSS by ${(grew / MB).toFixed(1)} MB`);
    assert.equal(profile.rows, ROWS);
    const x0 = profile.features[0];
    assert.ok(x0.kind === 'numeric');
    assert.equal(x0.edges.length, 9);
    assert.ok(Math.abs(x0.missing - 0.02) < 1e-9, `missing ${x0.missing}`);
    for (const share of x0.shares.slice(0, -1)) assert.ok(Math.abs(share - 0.098) < 0.003, `share ${share}`);
    const city = profile.features[6];
    assert.ok(city.kind === 'categorical' && city.categories.length === 20 && city.categories[0].value === 'city-0');
    assert.ok(profile.target.kind === 'categorical' && profile.target.categories.every((c) => Math.abs(c.share - 1 / 3) < 1e-5));

    const same = featurePsi(profile.features, driftTable(ROWS, 6, 12));
    const shifted = featurePsi(profile.features, driftTable(ROWS, 6, 13, 0.3));
    assert.ok(same.every((s) => s.psi < 0.001), JSON.stringify(same));
    assert.ok(shifted.every((s) => s.psi > 0.25), JSON.stringify(shifted));
  });
});
