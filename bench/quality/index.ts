import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { preprocessTask } from '../../activities/compute/tasks/preprocess';
import { trainTask } from '../../activities/compute/tasks/train';
import { LogisticRegressionSchema, ModelSchema, PreprocessingSchema, SplitSchema, type ModelSpec } from '../../contract/params';
import { encodeTable } from '../../ml/data/codec';
import { tableFromRecords } from '../../ml/data/records';
import { classificationMetrics, regressionMetrics, rocAucOvr } from '../../ml/metrics';
import { hasProba, loadModel } from '../../ml/models';
import { applyTransform } from '../../ml/preprocess';
import { decodeModelArtifact } from '../../storage/modelArtifact';
import { firstLine } from '../firstLine';
import { qualityDatasets, toCsv, type QualityDataset, type Row } from './datasets';
import { spread } from './seeds';

const run = promisify(execFile);
const TREES = 100;
const DEPTH = 12;
/** Our logistic regression's default penalty; scikit-learn gets the same fit as C = 1 / (l2 * training rows) on standardized features. */
const L2 = LogisticRegressionSchema.parse({}).l2;
const quiet = { progress: () => undefined, checkpoint: () => undefined };

interface Variant {
  readonly name: string;
  /** A linear model instead of the dataset's forest. */
  readonly type?: 'logistic_regression';
  readonly preprocessing?: Record<string, unknown>;
  readonly hyperparameters?: Record<string, unknown>;
}

const VARIANTS: Record<string, Variant[]> = {
  dated_sales: [
    { name: 'roles inferred (date parts)' },
    { name: 'date as a category (before roles)', preprocessing: { roles: { date: 'categorical' } } },
  ],
  imbalanced: [
    { name: 'unweighted' },
    { name: 'classWeight balanced', hyperparameters: { classWeight: 'balanced' } },
    { name: 'logistic regression', type: 'logistic_regression' },
    { name: 'logistic regression, classWeight balanced', type: 'logistic_regression', hyperparameters: { classWeight: 'balanced' } },
  ],
};

/** Our pipeline's own compute tasks, in this process: preprocess (roles, transform, bins) and train, then the saved transform on the test rows. */
async function ours(data: QualityDataset, variant: Variant, seed: number): Promise<Record<string, unknown>> {
  const forest = variant.type === undefined;
  const type = variant.type ?? (data.task === 'regression' ? 'random_forest_regressor' : 'random_forest_classifier');
  const hyperparameters = forest ? { nTrees: TREES, maxDepth: DEPTH, seed, ...variant.hyperparameters } : variant.hyperparameters;
  const model: ModelSpec = ModelSchema.parse({ type, hyperparameters });
  const preprocessing = PreprocessingSchema.parse(variant.preprocessing ?? {});
  const started = performance.now();
  const prepared = await preprocessTask(
    {
      table: encodeTable(tableFromRecords(data.train)),
      target: data.target,
      task: data.task,
      preprocessing,
      // Evaluation is on the separate test rows, as scikit-learn's: hold out as little as the split allows.
      split: SplitSchema.parse({ testSize: 0.01, seed: 0 }),
      ...(forest ? { forest: { maxBins: 255 } } : {}),
    },
    quiet,
  );
  const trained = await trainTask(
    { model, train: prepared.value.train, transform: prepared.value.transform, target: data.target, trainedAt: new Date(0).toISOString(), checkpoints: { everyTrees: 0, everyMs: 0 } },
    quiet,
  );
  const seconds = (performance.now() - started) / 1000;
  const artifact = decodeModelArtifact(Buffer.from(trained.value.artifact));
  const features = stripTarget(data.test, data.target);
  const trainedModel = loadModel(artifact.model);
  const x = applyTransform(artifact.transform, tableFromRecords(features));
  const predicted = trainedModel.predict(x);
  const scores =
    data.task === 'regression'
      ? regression(data, predicted as Float64Array)
      : classification(data, predicted as Int32Array, artifact.model.classes!, hasProba(trainedModel) ? trainedModel.predictProba(x) : undefined);
  return { ...scores, features: prepared.value.featureCount, warnings: prepared.value.warnings, seconds: Number(seconds.toFixed(2)) };
}

const stripTarget = (rows: readonly Row[], target: string): Row[] => rows.map(({ [target]: _target, ...rest }) => rest);

function regression(data: QualityDataset, predicted: Float64Array): Record<string, number> {
  const truth = Float64Array.from(data.test, (r) => Number(r[data.target]));
  const m = regressionMetrics(truth, predicted);
  return { r2: round(m.r2), mae: round(m.mae) };
}

function classification(data: QualityDataset, predicted: Int32Array, classes: readonly string[], proba?: Float64Array): Record<string, number> {
  const truth = Int32Array.from(data.test, (r) => classes.indexOf(String(r[data.target])));
  const m = classificationMetrics(truth, predicted, classes);
  const recall = Object.fromEntries(m.perClass.map((c) => [`recall_${c.label}`, round(c.recall)]));
  const ovr = proba && rocAucOvr(truth, proba, classes.length);
  return { accuracy: round(m.accuracy), f1_macro: round(m.f1_macro), balanced_accuracy: round(m.balanced_accuracy), ...(ovr === undefined ? {} : { roc_auc_ovr: round(ovr) }), ...recall };
}

const round = (v: number) => Math.round(v * 10_000) / 10_000;

async function sklearn(dir: string, data: QualityDataset, seeds: readonly number[]): Promise<Record<string, unknown>> {
  const train = join(dir, `${data.name}-train.csv`);
  const test = join(dir, `${data.name}-test.csv`);
  await Promise.all([writeFile(train, toCsv(data.train)), writeFile(test, toCsv(data.test))]);
  try {
    const env = { ...process.env, PYTHONPATH: resolve(__dirname, '../../.tools/pypi/scikit-learn') };
    const { stdout } = await run('python3', [join(__dirname, 'sklearn_quality.py'), data.name, train, test, String(TREES), String(DEPTH), seeds.join(','), String(L2)], { env, timeout: 30 * 60 * 1000, maxBuffer: 1 << 20 });
    return JSON.parse(stdout) as Record<string, unknown>;
  } catch (error) {
    return { skipped: `scikit-learn did not run (pip install --target .tools/pypi/scikit-learn scikit-learn): ${firstLine(error)}` };
  }
}

/** Classification forests once per seed (the first seed's scores as the result, the spread beside them); the rest once. */
async function oursOverSeeds(data: QualityDataset, seeds: readonly number[]) {
  const first: Record<string, unknown> = {};
  const spreads: Record<string, unknown> = {};
  for (const variant of VARIANTS[data.name]) {
    const perSeed = data.task === 'classification' && variant.type === undefined ? seeds : seeds.slice(0, 1);
    const runs: Record<string, unknown>[] = [];
    for (const seed of perSeed) runs.push(await ours(data, variant, seed));
    first[variant.name] = runs[0];
    if (runs.length > 1) spreads[variant.name] = spread(runs);
  }
  return { first, spreads };
}

/**
 * Scores on generated data with known structure, ours beside scikit-learn's forests (and, on the
 * imbalanced set, logistic regressions) with the equivalent preprocessing (date parts derived,
 * one-hot categories; class_weight='balanced'), trained and tested on the same rows. With several
 * `seeds`, the classification forests also report each score's spread over them. Printed, not asserted.
 */
export async function benchQuality(seeds: readonly number[] = [0]): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-quality-'));
  try {
    const results: Record<string, unknown> = { trees: TREES, maxDepth: DEPTH, seeds };
    for (const data of qualityDatasets()) {
      const { first, spreads } = await oursOverSeeds(data, seeds);
      const { by_seed: bySeed, ...peer } = await sklearn(dir, data, seeds);
      const peerSpreads = Object.fromEntries(Object.entries((bySeed ?? {}) as Record<string, Record<string, unknown>[]>).map(([name, runs]) => [name, spread(runs)]));
      const acrossSeeds = Object.keys(spreads).length > 0 ? { acrossSeeds: { ours: spreads, sklearn: peerSpreads } } : {};
      results[data.name] = { about: data.about, trainRows: data.train.length, testRows: data.test.length, ours: first, sklearn: peer, ...acrossSeeds };
    }
    return results;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
