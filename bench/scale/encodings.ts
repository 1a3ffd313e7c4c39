import { PreprocessingSchema, RandomForestClassifierSchema, RandomForestRegressorSchema, SplitSchema, type ModelSpec } from '../../contract/params';
import { type Table } from '../../ml/data/table';
import { classificationMetrics, regressionMetrics } from '../../ml/metrics';
import { representativeMatrix, trainModel, type Targets } from '../../ml/models';
import { applyTransform, binSplits, classOfRow, encodeTargets, fitTransform, selectTargets, trainTestSplit } from '../../ml/preprocess';
import { AIRPORTS, generateFlights, type Flights } from './flights';

const FEATURES = ['origin', 'dest', 'distance', 'dep_hour'];

function tableOf(f: Flights): Table {
  const airport = (name: string, codes: Int32Array) => ({ name, type: 'string' as const, codes, dictionary: f.airports });
  return {
    rowCount: f.rows,
    columns: [
      airport('origin', f.origin),
      airport('dest', f.dest),
      { name: 'distance', type: 'number', values: f.distance },
      { name: 'dep_hour', type: 'number', values: f.depHour },
      { name: 'delay', type: 'number', values: f.delay },
      { name: 'late', type: 'string', codes: f.late, dictionary: ['no', 'yes'] },
    ],
  };
}

const score = (targets: Targets, predicted: Int32Array | Float64Array): number =>
  targets.task === 'regression' ? regressionMetrics(targets.y, predicted as Float64Array).r2 : classificationMetrics(targets.y, predicted as Int32Array, targets.classes).accuracy;

/** One task: the forest on our compact encoding (binned numbers, ordinal airport codes) and on a dense one-hot matrix. */
async function compare(table: Table, model: ModelSpec, target: string) {
  const task = model.type === 'random_forest_regressor' ? 'regression' : 'classification';
  const encoded = encodeTargets(table, target, task);
  const split = SplitSchema.parse({});
  const { train, test } = trainTestSplit(encoded.rows, split, task === 'classification' ? classOfRow(encoded) : undefined);
  const trainTargets = selectTargets(encoded, train);
  const testTargets = selectTargets(encoded, test);

  let t0 = performance.now();
  const compact = fitTransform(table, FEATURES, PreprocessingSchema.parse({}), train, { forestCodes: 255 });
  const binned = binSplits(compact, table, train, test, 255);
  const ordinal = await trainModel(model, binned.train, trainTargets);
  const ordinalScore = score(testTargets, ordinal.predict(representativeMatrix(binned.test)));
  const ordinalSeconds = (performance.now() - t0) / 1000;

  t0 = performance.now();
  const oneHot = fitTransform(table, FEATURES, PreprocessingSchema.parse({ oneHot: true, maxCategories: AIRPORTS + 1 }), train);
  const dense = await trainModel(model, applyTransform(oneHot, table, train), trainTargets);
  const oneHotScore = score(testTargets, dense.predict(applyTransform(oneHot, table, test)));
  const oneHotSeconds = (performance.now() - t0) / 1000;
  const metric = task === 'regression' ? 'r2' : 'accuracy';
  return {
    metric,
    ordinalCodes: { features: compact.featureNames.length, [metric]: ordinalScore, seconds: Math.round(ordinalSeconds * 10) / 10 },
    oneHot: { features: oneHot.featureNames.length, [metric]: oneHotScore, seconds: Math.round(oneHotSeconds * 10) / 10 },
    difference: ordinalScore - oneHotScore,
  };
}

/**
 * Ordinal airport codes (what forests train on) against one-hot columns, same forest and split, on a
 * small flights-like table: the accuracy given up, or gained, by the compact encoding.
 */
export async function benchEncodings(rows = 20_000, trees = 30, maxDepth = 12): Promise<Record<string, unknown>> {
  const table = tableOf(generateFlights(rows, 7));
  const hyper = { nTrees: trees, maxDepth, seed: 1 };
  return {
    rows,
    trees,
    maxDepth,
    regression: await compare(table, { type: 'random_forest_regressor', hyperparameters: RandomForestRegressorSchema.parse(hyper) }, 'delay'),
    classification: await compare(table, { type: 'random_forest_classifier', hyperparameters: RandomForestClassifierSchema.parse(hyper) }, 'late'),
  };
}
