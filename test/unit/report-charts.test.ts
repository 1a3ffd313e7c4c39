import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderChartsTask } from '../../activities/compute/tasks/renderCharts';
import { confusionMatrixChart, precisionRecallChart, rocChart } from '../../activities/report/charts/classification';
import { predictedVsActualChart, residualsChart } from '../../activities/report/charts/regression';
import { driftChart, historyChart, importanceChart, MAX_BARS, tuningChart } from '../../activities/report/charts/runCharts';
import { type TopLevelSpec } from '../../activities/report/charts/theme';
import { type FeatureImportances } from '../../contract';
import { binaryCurves, CURVE_MAX_POINTS, evenlyAlong } from '../../ml/curves';
import { permutationImportance, IMPORTANCE_DEFAULTS } from '../../ml/importance';
import { trainModel } from '../../ml/models';
import { createRng } from '../../ml/random';
import { sampleRows } from '../../ml/sample';
import { LinearRegressionSchema } from '../../contract';

async function svgOf(spec: TopLevelSpec): Promise<string> {
  const { value } = await renderChartsTask({ specs: [spec] }, { progress: () => undefined, checkpoint: () => undefined });
  return value.svgs[0];
}

/** The drawn items of the marks of `type` (vega groups each mark's items under `mark-<type> role-mark`). */
function items(svg: string, type: string): number {
  const group = new RegExp(`<g class="mark-${type} role-mark[^"]*"[^>]*>(.*?)</g>`, 'gs');
  let n = 0;
  for (const m of svg.matchAll(group)) n += (m[1].match(/<(path|line|text)\b/g) ?? []).length;
  return n;
}

const dataOf = (spec: TopLevelSpec): unknown[] => {
  const layers = 'layer' in spec ? (spec.layer as { data?: { values: unknown[] } }[]) : [];
  const own = (spec as { data?: { values: unknown[] } }).data?.values ?? [];
  return [...own, ...layers.flatMap((l) => l.data?.values ?? [])];
};

describe('bounded sampling', () => {
  test('all rows when there are few; else exactly max distinct rows, sorted, the same for the same seed', () => {
    assert.deepEqual([...sampleRows(5, 10, 1)], [0, 1, 2, 3, 4]);
    const a = sampleRows(5_000_000, 2_000, 3);
    assert.equal(a.length, 2_000);
    assert.equal(new Set(a).size, 2_000);
    assert.ok(a.every((v, i) => v >= 0 && v < 5_000_000 && (i === 0 || v > a[i - 1])));
    assert.deepEqual(a, sampleRows(5_000_000, 2_000, 3));
    assert.notDeepEqual(a, sampleRows(5_000_000, 2_000, 4));
  });

  test('uniform: each half of the rows gets about half the sample', () => {
    const rows = sampleRows(1_000_000, 10_000, 7);
    const low = rows.filter((r) => r < 500_000).length;
    assert.ok(Math.abs(low - 5_000) < 300, `${low} of 10,000 in the lower half`);
  });
});

describe('ROC and precision-recall curves', () => {
  test('a perfect ranking goes through (0, 1); a tie at one score is one point; one class gives none', () => {
    const curves = binaryCurves(Uint8Array.from([0, 0, 1, 1]), Float64Array.from([0.1, 0.2, 0.8, 0.9]))!;
    assert.deepEqual(curves.roc.fpr, [0, 0, 0, 0.5, 1]);
    assert.deepEqual(curves.roc.tpr, [0, 0.5, 1, 1, 1]);
    assert.deepEqual(curves.pr.precision, [1, 1, 2 / 3, 0.5]);
    assert.deepEqual(curves.pr.recall, [0.5, 1, 1, 1]);
    assert.equal(curves.prevalence, 0.5);
    const tied = binaryCurves(Uint8Array.from([0, 1, 1]), Float64Array.from([0.5, 0.5, 0.5]))!;
    assert.deepEqual([tied.roc.fpr, tied.roc.tpr], [[0, 1], [0, 1]]);
    assert.equal(binaryCurves(Uint8Array.from([1, 1]), Float64Array.from([0.2, 0.4])), undefined);
  });

  test('a million scored rows give at most CURVE_MAX_POINTS points per curve, from (0, 0) to (1, 1)', () => {
    const rng = createRng(2);
    const n = 1_000_000;
    const positive = new Uint8Array(n);
    const score = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      positive[i] = rng.next() < 0.3 ? 1 : 0;
      score[i] = positive[i] * 0.5 + rng.next();
    }
    const { roc, pr } = binaryCurves(positive, score)!;
    assert.equal(roc.fpr.length, CURVE_MAX_POINTS);
    assert.ok(pr.recall.length <= CURVE_MAX_POINTS);
    assert.deepEqual([roc.fpr[0], roc.tpr[0], roc.fpr.at(-1), roc.tpr.at(-1)], [0, 0, 1, 1]);
    assert.ok(roc.fpr.every((v, i) => i === 0 || v >= roc.fpr[i - 1]), 'in threshold order');
  });

  test('thinning keeps the ends and spreads the rest along the curve', () => {
    const x = Array.from({ length: 1001 }, (_, i) => i / 1000);
    const kept = evenlyAlong(x, x, 11);
    assert.equal(kept.length, 11);
    assert.ok(kept.every((k, i) => Math.abs(k - 100 * i) <= 1), `evenly spaced (to rounding): ${kept.join(' ')}`);
    assert.deepEqual(evenlyAlong([0, 1], [0, 1], 5), [0, 1]);
  });
});

describe('permutation importance', () => {
  test('ranks the features a fitted model uses by how much it uses them; an unused one scores about 0', async () => {
    const rng = createRng(5);
    const rows = 4_000;
    const data = new Float64Array(rows * 3);
    const y = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < 3; c++) data[r * 3 + c] = rng.next();
      y[r] = 4 * data[r * 3] + data[r * 3 + 1];
    }
    const x = { rows, cols: 3, data };
    const targets = { task: 'regression' as const, y };
    const model = await trainModel({ type: 'linear_regression', hyperparameters: LinearRegressionSchema.parse({}) }, x, targets);
    const features = ['big', 'small', 'none'].map((name, start) => ({ name, start, count: 1 }));
    const result = permutationImportance(model, x, targets, features);
    assert.deepEqual(result.features.map((f) => f.feature), ['big', 'small', 'none']);
    assert.ok(result.features[0].mean > 1 && result.features[1].mean > 0.05, JSON.stringify(result.features));
    assert.ok(Math.abs(result.features[2].mean) < 1e-6);
    assert.deepEqual({ method: result.method, scoring: result.scoring, rows: result.rows, repeats: result.repeats }, { method: 'permutation', scoring: 'r2', rows: 4_000, repeats: 3 });
    assert.ok(Math.abs(result.baseline - 1) < 1e-9);
    assert.deepEqual(permutationImportance(model, x, targets, features), result, 'seeded');
    assert.deepEqual([...data.subarray(0, 3)], [...x.data.subarray(0, 3)], 'the matrix given is left as it was');
  });

  test('more features mean fewer sampled rows, within the bounds', async () => {
    const rows = 50_000;
    const x = { rows, cols: 200, data: new Float64Array(rows * 200) };
    const targets = { task: 'regression' as const, y: new Float64Array(rows) };
    const model = await trainModel({ type: 'linear_regression', hyperparameters: LinearRegressionSchema.parse({}) }, { rows: 10, cols: 200, data: new Float64Array(2000) }, { task: 'regression', y: new Float64Array(10) });
    const features = Array.from({ length: 200 }, (_, i) => ({ name: `f${i}`, start: i, count: 1 }));
    assert.equal(permutationImportance(model, x, targets, features).rows, IMPORTANCE_DEFAULTS.minRows);
    assert.equal(permutationImportance(model, x, targets, features.slice(0, 5)).rows, IMPORTANCE_DEFAULTS.maxRows);
  });
});

const importances = (n: number): FeatureImportances => ({
  method: 'permutation',
  scoring: 'accuracy',
  rows: 100,
  repeats: 3,
  seed: 0,
  baseline: 0.9,
  features: Array.from({ length: n }, (_, i) => ({ feature: `f${i}`, mean: 0.5 / (i + 1), std: 0.01 })),
});

describe('chart specs render to SVG with a mark per datum', () => {
  test('confusion matrix: one cell and one count per pair of classes, coloured by the share of the true class', async () => {
    const spec = confusionMatrixChart(['a', 'b', 'c'], [[5, 1, 0], [0, 6, 0], [2, 0, 4]]);
    const cells = dataOf(spec) as { actual: string; predicted: string; share: number }[];
    assert.equal(cells.length, 9);
    assert.equal(cells.find((c) => c.actual === 'c' && c.predicted === 'a')?.share, 2 / 6);
    const svg = await svgOf(spec);
    assert.equal(items(svg, 'rect'), 9);
    assert.equal(items(svg, 'text'), 9);
    assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  });

  test('ROC and PR: a line through the points and a dashed reference', async () => {
    const curves = binaryCurves(Uint8Array.from([0, 1, 0, 1, 1]), Float64Array.from([0.1, 0.4, 0.35, 0.8, 0.7]))!;
    for (const spec of [rocChart(curves.roc), precisionRecallChart(curves.pr, curves.prevalence)]) assert.equal(items(await svgOf(spec), 'line'), 2);
  });

  test('predicted against actual and residuals: one point per sampled row', async () => {
    const sample = { of: 10, actual: [1, 2, 3, 4], predicted: [1.1, 1.8, 3.3, 3.9] };
    const scatter = await svgOf(predictedVsActualChart(sample));
    assert.equal(items(scatter, 'symbol'), 4);
    const residuals = residualsChart(sample);
    assert.deepEqual((dataOf(residuals) as { residual?: number }[]).flatMap((d) => (d.residual === undefined ? [] : [Number(d.residual.toFixed(6))])), [-0.1, 0.2, -0.3, 0.1]);
    assert.equal(items(await svgOf(residuals), 'symbol'), 4);
  });

  test('importances: at most MAX_BARS bars, largest first, with error bars', async () => {
    const spec = importanceChart(importances(45));
    assert.equal(dataOf(spec).length, MAX_BARS);
    const svg = await svgOf(spec);
    assert.equal(items(svg, 'rect'), MAX_BARS);
    assert.equal(items(svg, 'rule'), MAX_BARS);
  });

  test('history, tuning and drift: a point per run, per trial, a bar per feature', async () => {
    const history = historyChart({ metric: 'r2', runs: [{ runId: 'b', startedAt: '2026-01-02T00:00:00Z', value: 0.8 }, { runId: 'a', startedAt: '2026-01-01T00:00:00Z', value: 0.7 }] }, 'b');
    assert.deepEqual((dataOf(history) as { run: string; current: string }[]).map((d) => [d.run, d.current]), [['a', 'earlier runs'], ['b', 'this run']]);
    assert.equal(items(await svgOf(history), 'symbol'), 2);
    const tuning = tuningChart({ metric: 'accuracy', trials: [{ params: { nTrees: 10 }, mean: 0.9, std: 0.01 }, { params: { nTrees: 50 }, mean: 0.93, std: 0.02 }, { params: { nTrees: 90 }, mean: 0.92, std: 0.01 }], best: 1 });
    assert.equal((dataOf(tuning) as { best: string }[]).filter((d) => d.best === 'best').length, 1);
    assert.equal(items(await svgOf(tuning), 'symbol'), 3);
    // Successive halving: each trial coloured by its rung (with its rows), the best of the last rung marked.
    const rungTrial = (nTrees: number, rung: number, mean: number) => ({ params: { nTrees }, mean, std: 0.01, rung, resource: 100 * 3 ** rung });
    const halving = tuningChart({ metric: 'accuracy', trials: [rungTrial(10, 0, 0.8), rungTrial(50, 0, 0.85), rungTrial(90, 0, 0.82), rungTrial(50, 1, 0.88)], best: 3 });
    assert.deepEqual((dataOf(halving) as { best: string }[]).map((d) => d.best), ['rung 0 (100 rows)', 'rung 0 (100 rows)', 'rung 0 (100 rows)', 'best']);
    const halvingSvg = await svgOf(halving);
    assert.equal(items(halvingSvg, 'symbol'), 4);
    assert.match(halvingSvg, /rung 0 \(100 rows\)/, 'the legend names the rung');
    const drift = driftChart([{ feature: 'x', psi: 0.4, verdict: 'drift' }, { feature: 'y', psi: 0.15, verdict: 'warn' }, { feature: 'z', psi: 0.01, verdict: 'ok' }]);
    const driftSvg = await svgOf(drift);
    assert.equal(items(driftSvg, 'rect'), 3);
    assert.equal(items(driftSvg, 'text'), 3, 'each bar labelled with its PSI');
    assert.match(driftSvg, />0\.400</);
  });

  test("class names and feature names are text in the SVG, escaped: never markup", async () => {
    const svg = await svgOf(confusionMatrixChart(['<script>x</script>', 'b&c'], [[1, 0], [0, 1]]));
    assert.doesNotMatch(svg, /<script/);
    assert.match(svg, /&lt;script&gt;/);
  });
});
