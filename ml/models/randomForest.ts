import { type RandomForestParams } from '../../contract/params';
import { createRng } from '../random';
import { binMatrix } from './binning';
import { bootstrapDraw } from './bootstrap';
import { classWeights } from './classWeights';
import { type SplitCriterion } from './criterion';
import { FeatureMismatchError, ModelFormatError } from './errors';
import { decodeForest, encodeForest } from './forestCodec';
import { GiniCriterion } from './gini';
import { checkClassificationData, checkRegressionData, isBinned, type Features } from './trainingData';
import { type FlatTree } from './tree';
import { TreeGrower } from './treeGrower';
import { type Matrix, type ProgressCallback, type SerializedModel, type Targets, type TrainedModel } from './types';
import { VarianceCriterion } from './variance';

export type ForestType = 'random_forest_classifier' | 'random_forest_regressor';

/** Features drawn per node for `maxFeatures` out of `featureCount`, rounded down like scikit-learn, at least 1. */
export function featuresPerNode(maxFeatures: RandomForestParams['maxFeatures'], featureCount: number): number {
  const n =
    maxFeatures === 'sqrt'
      ? Math.sqrt(featureCount)
      : maxFeatures === 'log2'
        ? Math.log2(featureCount)
        : maxFeatures === 'all'
          ? featureCount
          : maxFeatures * featureCount;
  return Math.min(featureCount, Math.max(1, Math.floor(n)));
}

/**
 * A forest of flat trees. The classifier averages the trees' class probabilities (as scikit-learn
 * does) and predicts the most probable class; the regressor averages the trees' leaf means.
 */
export class RandomForestModel implements TrainedModel {
  private readonly valueSize: number;

  constructor(
    readonly type: ForestType,
    readonly featureCount: number,
    readonly trees: readonly FlatTree[],
    readonly classes?: readonly string[],
  ) {
    this.valueSize = type === 'random_forest_classifier' ? (classes?.length ?? 0) : 1;
    if (this.valueSize === 0) throw new ModelFormatError('a random forest classifier needs its classes');
  }

  /** Tree-averaged leaf values, `valueSize` per row: class probabilities (classifier) or the prediction (regressor). */
  averageLeafValues(x: Matrix): Float64Array {
    if (x.cols !== this.featureCount) {
      throw new FeatureMismatchError(`the model was trained on ${this.featureCount} features, got ${x.cols}`);
    }
    const k = this.valueSize;
    const { rows, cols, data } = x;
    const out = new Float64Array(rows * k);
    for (const tree of this.trees) {
      // leafValueOffset's walk, written out here: a call per row and tree is most of a small forest's predict time.
      const { feature, threshold, left, right, values } = tree;
      for (let r = 0; r < rows; r++) {
        const base = r * cols;
        let node = 0;
        let f = feature[0];
        while (f >= 0) {
          node = data[base + f] <= threshold[node] ? left[node] : right[node];
          f = feature[node];
        }
        const offset = left[node];
        for (let c = 0; c < k; c++) out[r * k + c] += values[offset + c];
      }
    }
    const scale = 1 / this.trees.length;
    for (let i = 0; i < out.length; i++) out[i] *= scale;
    return out;
  }

  /** Class probabilities, row-major (`classes.length` per row); classifier only. */
  predictProba(x: Matrix): Float64Array {
    if (this.type !== 'random_forest_classifier') throw new TypeError('predictProba needs a classifier');
    return this.averageLeafValues(x);
  }

  predict(x: Matrix): Int32Array | Float64Array {
    const averaged = this.averageLeafValues(x);
    if (this.type === 'random_forest_regressor') return averaged;
    const k = this.valueSize;
    const labels = new Int32Array(x.rows);
    for (let r = 0; r < x.rows; r++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (averaged[r * k + c] > averaged[r * k + best]) best = c;
      labels[r] = best;
    }
    return labels;
  }

  serialize(): SerializedModel {
    const base = { type: this.type, featureCount: this.featureCount, state: encodeForest(this.trees) };
    return this.classes ? { ...base, classes: [...this.classes] } : base;
  }

  static fromSerialized(serialized: SerializedModel): RandomForestModel {
    const { type, featureCount, classes, state } = serialized;
    if (type !== 'random_forest_classifier' && type !== 'random_forest_regressor') {
      throw new ModelFormatError(`${type} is not a random forest`);
    }
    const valueSize = type === 'random_forest_classifier' ? (classes?.length ?? 0) : 1;
    if (valueSize === 0) throw new ModelFormatError('a serialized random forest classifier needs its classes');
    return new RandomForestModel(type, featureCount, decodeForest(state, featureCount, valueSize), classes);
  }
}

/**
 * Tree `index`'s own random stream: the `index`-th draw of the forest seed's stream seeds it. It
 * depends only on (seed, index), so a forest resumed at any tree grows the trees an uninterrupted
 * one would.
 */
export function treeRng(seed: number, index: number) {
  return createRng(createRng(seed, index).nextInt(2 ** 31));
}

/** The class weights, or undefined when they are all equal: a forest's splits and leaf shares depend on their ratios only. */
function unlessUniform(classWeight: Float64Array | undefined): Float64Array | undefined {
  return classWeight?.some((w) => w !== classWeight[0]) ? classWeight : undefined;
}

/** How a training continues from a checkpoint and hands out new ones. */
export interface ForestHooks {
  /** Trees already grown (a checkpoint): training continues at the next tree. */
  readonly resume?: readonly FlatTree[];
  /** Called after every tree with all trees so far (the array grows; copy what you keep). */
  readonly afterTree?: (trees: readonly FlatTree[]) => void;
  /** Grow only trees [from, to) of the forest (a shard); `resume` then holds trees from `from` on. */
  readonly range?: { readonly from: number; readonly to: number };
  /** Train on these rows only (a cross-validation fold's), by weight: the split's other rows weigh 0, nothing is copied. All rows when omitted. */
  readonly rows?: Int32Array;
}

/**
 * Trains a random forest: features are binned once into at most `maxBins` quantile bins (unless
 * preprocess already binned them), then each tree grows on a bootstrap sample (as per-row counts)
 * with histogram split finding.
 */
export async function trainRandomForest(
  type: ForestType,
  params: RandomForestParams,
  x: Features,
  targets: Targets,
  onProgress?: ProgressCallback,
  hooks: ForestHooks = {},
): Promise<RandomForestModel> {
  let criterion: SplitCriterion;
  let classes: readonly string[] | undefined;
  let weighted: { y: Int32Array; classWeight: Float64Array } | undefined;
  if (type === 'random_forest_classifier') {
    const checked = checkClassificationData(type, x, targets);
    // Balanced weights count the rows the forest trains on.
    const y = hooks.rows ? Int32Array.from(hooks.rows, (r) => checked.y[r]) : checked.y;
    const classWeight = unlessUniform(classWeights(params.classWeight, y, checked.classes));
    weighted = classWeight && { y: checked.y, classWeight };
    // As scikit-learn (from 1.9): with bootstrap the class weights set each row's chance of being
    // drawn and a tree counts the draws; without, a tree weighs each row by its class.
    criterion = new GiniCriterion(checked.y, checked.classes.length, params.bootstrap ? undefined : classWeight);
    classes = checked.classes;
  } else {
    criterion = new VarianceCriterion(checkRegressionData(type, x, targets).y);
  }
  const binned = isBinned(x) ? x : binMatrix(x, params.maxBins);
  const grower = new TreeGrower(binned, criterion, {
    maxDepth: params.maxDepth ?? Infinity,
    minSamplesSplit: params.minSamplesSplit,
    minSamplesLeaf: params.minSamplesLeaf,
    featuresPerNode: featuresPerNode(params.maxFeatures, x.cols),
  });

  const weights = new Int32Array(x.rows);
  const { rows } = hooks;
  const draw = params.bootstrap ? bootstrapDraw(x.rows, rows, params.maxSamples, weighted) : undefined;
  const from = hooks.range?.from ?? 0;
  const to = Math.min(hooks.range?.to ?? params.nTrees, params.nTrees);
  const trees: FlatTree[] = [...(hooks.resume ?? [])].slice(0, to - from);
  for (let t = from + trees.length; t < to; t++) {
    const rng = treeRng(params.seed, t);
    if (draw) {
      draw(rng, weights);
    } else if (rows) {
      weights.fill(0);
      for (const r of rows) weights[r] = 1;
    } else {
      weights.fill(1);
    }
    trees.push(grower.grow(weights, rng));
    hooks.afterTree?.(trees);
    if (onProgress) await onProgress(t + 1 - from, to - from);
  }
  return new RandomForestModel(type, x.cols, trees, classes);
}

/** One forest from shards grown on the same data, in shard order: the forest a single training grows. */
export function mergeForests(shards: readonly RandomForestModel[]): RandomForestModel {
  const [first] = shards;
  if (!first) throw new ModelFormatError('no shards to merge');
  for (const shard of shards) {
    if (shard.type !== first.type || shard.featureCount !== first.featureCount || JSON.stringify(shard.classes) !== JSON.stringify(first.classes)) {
      throw new ModelFormatError('shards of different forests cannot be merged');
    }
  }
  return new RandomForestModel(first.type, first.featureCount, shards.flatMap((s) => s.trees), first.classes);
}
