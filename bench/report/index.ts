import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { renderChartsTask } from '../../activities/compute/tasks/renderCharts';
import { confusionMatrixChart, precisionRecallChart, rocChart } from '../../activities/report/charts/classification';
import { predictedVsActualChart, residualsChart } from '../../activities/report/charts/regression';
import { importanceChart } from '../../activities/report/charts/runCharts';
import { RandomForestClassifierSchema } from '../../contract/params';
import { binaryCurves } from '../../ml/curves';
import { IMPORTANCE_DEFAULTS, permutationImportance } from '../../ml/importance';
import { trainRandomForest } from '../../ml/models/randomForest';
import { type Matrix } from '../../ml/models/types';
import { createRng } from '../../ml/random';
import { sampleRows } from '../../ml/sample';
import { firstLine } from '../firstLine';
import { makeClassification } from '../makeClassification';

const run = promisify(execFile);

const seconds = (since: bigint): number => Number(process.hrtime.bigint() - since) / 1e9;
const peakRssMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

function rowsOf(x: Matrix, rows: ArrayLike<number>): Matrix {
  const data = new Float64Array(rows.length * x.cols);
  for (let i = 0; i < rows.length; i++) data.set(x.data.subarray(rows[i] * x.cols, (rows[i] + 1) * x.cols), i * x.cols);
  return { rows: rows.length, cols: x.cols, data };
}

/** The training rows and the held-out sample, for scikit-learn to fit the same forest size and permute the same rows. */
async function writeCsv(path: string, parts: { x: Matrix; y: Int32Array; part: number }[]): Promise<void> {
  const cols = parts[0].x.cols;
  const lines = [[...Array.from({ length: cols }, (_, j) => `f${j}`), 'y', 'part'].join(',')];
  for (const { x, y, part } of parts) for (let r = 0; r < x.rows; r++) lines.push(`${Array.from(x.data.subarray(r * cols, (r + 1) * cols)).join(',')},${y[r]},${part}`);
  await writeFile(path, `${lines.join('\n')}\n`);
}

async function sklearnImportance(csv: string, trees: number, repeats: number): Promise<unknown> {
  try {
    const env = { ...process.env, PYTHONPATH: resolve(__dirname, '../../.tools/pypi/scikit-learn') };
    const { stdout } = await run('python3', [join(__dirname, 'sklearn_importance.py'), csv, String(trees), String(repeats)], { env, timeout: 60 * 60_000 });
    return JSON.parse(stdout) as unknown;
  } catch (error) {
    return { skipped: `scikit-learn did not run (pip install --target .tools/pypi/scikit-learn scikit-learn): ${firstLine(error)}` };
  }
}

/**
 * `npm run bench -- report [heldOutRows]`: what the report adds to a run, at scale. The evaluate
 * step's extras on `heldOutRows` (1,000,000 by default) held-out rows: ROC/PR curves over every
 * row's score, the 2,000-row scatter sample, and permutation importance of a 100-tree forest on
 * 20 features (10,000 sampled rows, 3 repeats), beside scikit-learn's permutation_importance on
 * the same sample; then rendering every chart kind to SVG at its bound.
 */
export async function benchReport(heldOutRows = 1_000_000): Promise<Record<string, unknown>> {
  const features = 20;
  const trees = 100;
  const trainRows = 50_000;
  const data = makeClassification({ rows: trainRows + heldOutRows, features, seed: 3 });
  const train: Matrix = { rows: trainRows, cols: features, data: data.x.data.subarray(0, trainRows * features) };
  const test: Matrix = { rows: heldOutRows, cols: features, data: data.x.data.subarray(trainRows * features) };
  const yTest = data.y.subarray(trainRows);
  const targets = { task: 'classification' as const, classes: ['0', '1'], y: yTest };
  const model = await trainRandomForest('random_forest_classifier', RandomForestClassifierSchema.parse({ nTrees: trees, seed: 1 }), train, { task: 'classification', classes: ['0', '1'], y: data.y.subarray(0, trainRows) });

  const scores = new Float64Array(heldOutRows);
  const rng = createRng(1);
  for (let i = 0; i < heldOutRows; i++) scores[i] = yTest[i] * 0.6 + rng.next();
  let t = process.hrtime.bigint();
  const curves = binaryCurves(Uint8Array.from(yTest), scores)!;
  const curvesSeconds = seconds(t);
  t = process.hrtime.bigint();
  sampleRows(heldOutRows, 2_000, 0);
  const sampleSeconds = seconds(t);

  const columns = Array.from({ length: features }, (_, j) => ({ name: `f${j}`, start: j, count: 1 }));
  t = process.hrtime.bigint();
  const importance = permutationImportance(model, test, targets, columns);
  const importanceSeconds = seconds(t);

  const dir = await mkdtemp(join(tmpdir(), 'bench-report-'));
  let sklearn: unknown;
  try {
    const csv = join(dir, 'data.csv');
    const sample = sampleRows(heldOutRows, importance.rows, IMPORTANCE_DEFAULTS.seed);
    await writeCsv(csv, [
      { x: train, y: data.y.subarray(0, trainRows), part: 1 },
      { x: rowsOf(test, sample), y: Int32Array.from(sample, (r) => yTest[r]), part: 0 },
    ]);
    sklearn = await sklearnImportance(csv, trees, IMPORTANCE_DEFAULTS.repeats);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  const scatter = { of: heldOutRows, actual: Array.from({ length: 2_000 }, () => rng.next() * 100), predicted: Array.from({ length: 2_000 }, () => rng.next() * 100) };
  const labels = Array.from({ length: 20 }, (_, i) => `class ${i}`);
  const counts = labels.map((_, i) => labels.map((__, j) => (i === j ? 900 : 5 + ((i * j) % 7))));
  const specs = {
    confusion20x20: confusionMatrixChart(labels, counts),
    roc: rocChart(curves.roc),
    precisionRecall: precisionRecallChart(curves.pr, curves.prevalence),
    predictedVsActual2000: predictedVsActualChart(scatter),
    residuals2000: residualsChart(scatter),
    importance: importanceChart(importance),
  };
  const noop = { progress: () => undefined, checkpoint: () => undefined };
  await renderChartsTask({ specs: [specs.roc] }, noop);
  const render: Record<string, { seconds: number; svgKb: number }> = {};
  for (const [name, spec] of Object.entries(specs)) {
    t = process.hrtime.bigint();
    const { value } = await renderChartsTask({ specs: [spec] }, noop);
    render[name] = { seconds: seconds(t), svgKb: Math.round(value.svgs[0].length / 1024) };
  }
  return {
    loadAverage: loadavg().map((l) => Number(l.toFixed(2))),
    heldOutRows,
    curves: { seconds: curvesSeconds, rocPoints: curves.roc.fpr.length, prPoints: curves.pr.recall.length },
    scatterSampleSeconds: sampleSeconds,
    permutationImportance: {
      ours: { seconds: importanceSeconds, rows: importance.rows, repeats: importance.repeats, trees, features, top5: importance.features.slice(0, 5).map((f) => f.feature) },
      sklearn,
    },
    renderSvg: render,
    peakRssMb: peakRssMb(),
  };
}
