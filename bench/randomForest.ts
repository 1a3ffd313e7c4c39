import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { RandomForestClassifierSchema } from '../contract/params';
import { classificationMetrics } from '../ml/metrics';
import { trainRandomForest } from '../ml/models/randomForest';
import { type Matrix } from '../ml/models/types';
import { makeClassification } from './makeClassification';
import { firstLine } from './firstLine';

const run = promisify(execFile);
const TRAIN_FRACTION = 0.8;

export interface BenchRandomForestOptions {
  rows?: number;
  features?: number;
  trees?: number;
}

interface FitResult {
  fitSeconds: number;
  accuracy: number;
}

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

function rowsOf(x: Matrix, from: number, to: number): Matrix {
  return { rows: to - from, cols: x.cols, data: x.data.subarray(from * x.cols, to * x.cols) };
}

/** Features, then `y`, then `train` (1/0); numbers in shortest round-trip form so Python reads the same doubles. */
async function writeCsv(path: string, x: Matrix, y: Int32Array, trainRows: number): Promise<void> {
  const header = [...Array.from({ length: x.cols }, (_, j) => `f${j}`), 'y', 'train'].join(',');
  const lines = [header];
  for (let r = 0; r < x.rows; r++) {
    const row = Array.from(x.data.subarray(r * x.cols, (r + 1) * x.cols));
    lines.push(`${row.join(',')},${y[r]},${r < trainRows ? 1 : 0}`);
  }
  await writeFile(path, lines.join('\n') + '\n');
}

async function runSklearn(csv: string, trees: number): Promise<FitResult | { skipped: string }> {
  try {
    await run('python3', ['-c', 'import sklearn']);
  } catch (error) {
    return { skipped: `python3 with scikit-learn is not available: ${firstLine(error)}` };
  }
  try {
    const { stdout } = await run('python3', [join(__dirname, 'sklearn_rf.py'), csv, String(trees)], {
      timeout: 60 * 60 * 1000,
      maxBuffer: 1 << 20,
    });
    return JSON.parse(stdout) as FitResult;
  } catch (error) {
    return { skipped: `the scikit-learn run failed: ${firstLine(error)}` };
  }
}

/**
 * Our random forest against scikit-learn's (single-threaded) on the same synthetic two-class data
 * and the same 80/20 split: training time and test accuracy of each.
 */
export async function benchRandomForest(opts: BenchRandomForestOptions = {}): Promise<Record<string, unknown>> {
  const { rows = 100_000, features = 20, trees = 100 } = opts;
  const { x, y } = makeClassification({ rows, features, seed: 0 });
  const trainRows = Math.round(rows * TRAIN_FRACTION);
  const classes = ['0', '1'];

  const dir = await mkdtemp(join(tmpdir(), 'bench-rf-'));
  try {
    const csv = join(dir, 'data.csv');
    await writeCsv(csv, x, y, trainRows);

    const params = RandomForestClassifierSchema.parse({ nTrees: trees, seed: 0 });
    const started = process.hrtime.bigint();
    const model = await trainRandomForest('random_forest_classifier', params, rowsOf(x, 0, trainRows), {
      task: 'classification',
      classes,
      y: y.subarray(0, trainRows),
    });
    const fitSeconds = seconds(started);
    const predicted = model.predict(rowsOf(x, trainRows, rows)) as Int32Array;
    const ours: FitResult = { fitSeconds, accuracy: classificationMetrics(y.subarray(trainRows), predicted, classes).accuracy };

    const sklearn = await runSklearn(csv, trees);
    const compared =
      'fitSeconds' in sklearn
        ? { speedupVsSklearn: sklearn.fitSeconds / ours.fitSeconds, accuracyDelta: ours.accuracy - sklearn.accuracy }
        : {};
    return { rows, features, trees, ours, sklearn, ...compared };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchRandomForest().then(
    (result) => console.log(JSON.stringify(result, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
