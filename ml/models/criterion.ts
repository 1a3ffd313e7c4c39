/** The best split of the current node on one feature, written by `SplitCriterion.evaluate`. */
export interface SplitCandidate {
  /** Whether some split respects the leaf-size limit. */
  found: boolean;
  /** The feature takes a single bin in the node: no split on it is possible. */
  constant: boolean;
  /** Higher is better; comparable across the features of one node only. */
  score: number;
  /** Rows with a bin <= this go left. */
  bin: number;
}

/**
 * From this many rows on, a node's histogram is built without marking occupied bins (a dependent
 * read-modify-write per row); the occupied bins are found by scanning the histogram instead.
 */
export const DENSE_NODE_ROWS = 256;

export function emptyCandidate(): SplitCandidate {
  return { found: false, constant: true, score: -Infinity, bin: -1 };
}

/**
 * The impurity measure of a tree and the row order it works on. Nodes are ranges [start, end) of
 * `order` (the in-bag row indices), kept contiguous by partitioning in place as the tree grows.
 */
export interface SplitCriterion {
  /** Values per leaf: classes for a classifier, 1 for a regressor. */
  readonly valueSize: number;
  /** Takes the rows with a positive weight (bootstrap count) for a new tree; returns how many. */
  loadRows(weights: Int32Array): number;
  /** Summarises the node; true when it is pure (nothing to gain by splitting it). */
  beginNode(start: number, end: number): boolean;
  /** The best split of the node begun last on the feature whose `binCount` bins start at `bins[base]`. */
  evaluate(bins: Uint8Array, base: number, binCount: number, start: number, end: number, minLeaf: number, out: SplitCandidate): void;
  /** Moves the rows with bin <= `bin` before the others; returns where the right part starts. */
  partition(bins: Uint8Array, base: number, bin: number, start: number, end: number): number;
  /** Writes the leaf values of the node begun last. */
  writeLeaf(out: Float64Array, offset: number): void;
}
