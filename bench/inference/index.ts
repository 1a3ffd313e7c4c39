import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { RandomForestClassifierSchema } from '../../contract/params';
import { encodeTable } from '../../ml/data/codec';
import { type NumericColumn, type Table } from '../../ml/data/table';
import { trainRandomForest } from '../../ml/models/randomForest';
import { type Matrix } from '../../ml/models/types';
import { type FittedTransform } from '../../ml/preprocess';
import { MODEL_ARTIFACT_FORMAT, type ModelArtifact } from '../../storage/modelArtifact';
import { firstLine } from '../firstLine';
import { makeClassification } from '../makeClassification';

const run = promisify(execFile);

export interface BenchInferenceOptions {
  readonly rows?: number;
  readonly features?: number;
  readonly trainRows?: number;
  readonly trees?: number;
}

/** The matrix as the columnar table ingest would have stored, with an integer id to pass through. */
function tableOf(x: Matrix): Table {
  const columns: NumericColumn[] = [{ name: 'id', type: 'integer', values: Float64Array.from({ length: x.rows }, (_, i) => i) }];
  for (let j = 0; j < x.cols; j++) {
    const values = new Float64Array(x.rows);
    for (let r = 0; r < x.rows; r++) values[r] = x.data[r * x.cols + j];
    columns.push({ name: `f${j}`, type: 'number', values });
  }
  return { rowCount: x.rows, columns };
}

/** Numeric features as they are (no scaling): what a forest's transform does to numbers. */
function identityTransform(features: number): FittedTransform {
  const names = Array.from({ length: features }, (_, j) => `f${j}`);
  return { version: 1, features: names.map((name) => ({ name, type: 'number', fill: 0, center: 0, scale: 1 })), featureNames: names };
}

async function scoreInChild(dir: string, format: string): Promise<unknown> {
  const { stdout } = await run(process.execPath, ['--require', require.resolve('tsx/cjs'), join(__dirname, 'child.ts'), dir, format], { maxBuffer: 1 << 20, timeout: 60 * 60 * 1000 });
  return JSON.parse(stdout) as unknown;
}

async function sklearnPredict(dir: string, rows: number, features: number, trainRows: number, trees: number): Promise<unknown> {
  try {
    const env = { ...process.env, PYTHONPATH: resolve(__dirname, '../../.tools/pypi/scikit-learn') };
    const { stdout } = await run('python3', [join(__dirname, 'sklearn_predict.py'), dir, String(rows), String(features), String(trainRows), String(trees)], {
      env,
      timeout: 60 * 60 * 1000,
      maxBuffer: 1 << 20,
    });
    return JSON.parse(stdout) as unknown;
  } catch (error) {
    return { skipped: `scikit-learn did not run (pip install --target .tools/pypi/scikit-learn scikit-learn): ${firstLine(error)}` };
  }
}

/**
 * Batch scoring at size: a seeded 1,000,000-row batch scored by a 100-tree forest trained here on a
 * sample, through the predict step's own compute task (transform, chunked scoring with class
 * probabilities, Parquet written row group by row group), in a child process so its peak RSS is
 * its own; beside scikit-learn's predict_proba on the same rows with a forest fitted on the same sample.
 */
export async function benchInference(opts: BenchInferenceOptions = {}): Promise<Record<string, unknown>> {
  const { rows = 1_000_000, features = 20, trainRows = 20_000, trees = 100 } = opts;
  const { x, y } = makeClassification({ rows, features, seed: 0 });
  const dir = await mkdtemp(join(tmpdir(), 'bench-inference-'));
  try {
    const sample: Matrix = { rows: trainRows, cols: features, data: x.data.subarray(0, trainRows * features) };
    const params = RandomForestClassifierSchema.parse({ nTrees: trees, seed: 0 });
    const model = await trainRandomForest('random_forest_classifier', params, sample, { task: 'classification', classes: ['0', '1'], y: y.subarray(0, trainRows) });
    const artifact: ModelArtifact = {
      format: MODEL_ARTIFACT_FORMAT,
      model: model.serialize(),
      transform: identityTransform(features),
      target: 'y',
      task: 'classification',
      trainedAt: new Date(0).toISOString(),
    };
    await writeFile(join(dir, 'model.json'), JSON.stringify(artifact));
    await writeFile(join(dir, 'table.bin'), encodeTable(tableOf(x)));
    await writeFile(join(dir, 'x.f64'), new Uint8Array(x.data.buffer, x.data.byteOffset, x.data.byteLength));
    await writeFile(join(dir, 'y.i32'), new Uint8Array(y.buffer, y.byteOffset, y.byteLength));
    const ours = { parquet: await scoreInChild(dir, 'parquet'), csv: await scoreInChild(dir, 'csv') };
    const sklearn = await sklearnPredict(dir, rows, features, trainRows, trees);
    return { rows, features, trainRows, trees, ours, sklearn };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
