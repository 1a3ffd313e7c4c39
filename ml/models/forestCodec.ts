import { decodeFloat64, decodeInt32, encodeArray } from './encoding';
import { ModelFormatError } from './errors';
import { type FlatTree } from './tree';

/** The JSON-safe `state` of a serialized forest. */
export interface ForestState {
  readonly format: 'flat-trees-v1';
  readonly trees: readonly EncodedTree[];
}

interface EncodedTree {
  readonly feature: string;
  readonly threshold: string;
  readonly left: string;
  readonly right: string;
  readonly values: string;
}

export function encodeForest(trees: readonly FlatTree[]): ForestState {
  return {
    format: 'flat-trees-v1',
    trees: trees.map((t) => ({
      feature: encodeArray(t.feature),
      threshold: encodeArray(t.threshold),
      left: encodeArray(t.left),
      right: encodeArray(t.right),
      values: encodeArray(t.values),
    })),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Checks every link, so a damaged model fails here rather than looping or reading garbage at predict time. */
function checkTree(tree: FlatTree, featureCount: number, at: string): void {
  const { nodeCount, feature, threshold, left, right, values, valueSize } = tree;
  if (nodeCount === 0 || threshold.length !== nodeCount || left.length !== nodeCount || right.length !== nodeCount) {
    throw new ModelFormatError(`${at}: node arrays are empty or of different lengths`);
  }
  for (let node = 0; node < nodeCount; node++) {
    const f = feature[node];
    if (f >= featureCount) throw new ModelFormatError(`${at}: node ${node} splits on feature ${f} of ${featureCount}`);
    if (f >= 0) {
      // Children come after their parent, which also rules out cycles.
      if (!(left[node] > node && left[node] < nodeCount && right[node] > node && right[node] < nodeCount)) {
        throw new ModelFormatError(`${at}: node ${node} has children out of range`);
      }
    } else if (left[node] < 0 || left[node] + valueSize > values.length) {
      throw new ModelFormatError(`${at}: leaf ${node} has values out of range`);
    }
  }
}

export function decodeForest(state: unknown, featureCount: number, valueSize: number): FlatTree[] {
  if (!isRecord(state) || state.format !== 'flat-trees-v1' || !Array.isArray(state.trees) || state.trees.length === 0) {
    throw new ModelFormatError('random forest state must be { format: "flat-trees-v1", trees: [...] } with at least one tree');
  }
  return state.trees.map((encoded: unknown, i) => {
    const at = `tree ${i}`;
    if (!isRecord(encoded)) throw new ModelFormatError(`${at} is not an object`);
    const feature = decodeInt32(encoded.feature, `${at} feature`);
    const tree: FlatTree = {
      nodeCount: feature.length,
      valueSize,
      feature,
      threshold: decodeFloat64(encoded.threshold, `${at} threshold`),
      left: decodeInt32(encoded.left, `${at} left`),
      right: decodeInt32(encoded.right, `${at} right`),
      values: decodeFloat64(encoded.values, `${at} values`),
    };
    checkTree(tree, featureCount, at);
    return tree;
  });
}
