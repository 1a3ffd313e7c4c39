/**
 * A decision tree as flat typed arrays, indexed by node (the root is node 0). An internal node
 * sends a row left when `row[feature] <= threshold`, else right; NaN goes right. A leaf has
 * `feature = -1` and `left` = the offset of its `valueSize` values in `values` (class
 * probabilities for a classifier, the mean target for a regressor).
 */
export interface FlatTree {
  readonly nodeCount: number;
  readonly valueSize: number;
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly values: Float64Array;
}

/** The offset in `tree.values` of the leaf reached by the row starting at `data[rowBase]`. */
export function leafValueOffset(tree: FlatTree, data: Float64Array, rowBase: number): number {
  const { feature, threshold, left, right } = tree;
  let node = 0;
  let f = feature[0];
  while (f >= 0) {
    node = data[rowBase + f] <= threshold[node] ? left[node] : right[node];
    f = feature[node];
  }
  return left[node];
}

function grow<T extends Int32Array | Float64Array>(array: T, size: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(size);
  bigger.set(array);
  return bigger;
}

/** Appends nodes to growable arrays while a tree is built; `finish` trims them to size. */
export class FlatTreeBuilder {
  private feature = new Int32Array(1024);
  private threshold = new Float64Array(1024);
  private left = new Int32Array(1024);
  private right = new Int32Array(1024);
  private values: Float64Array;
  private nodeCount = 0;
  private valueCount = 0;

  constructor(readonly valueSize: number) {
    this.values = new Float64Array(1024 * valueSize);
  }

  /** Clears the builder for the next tree, keeping its memory. */
  reset(): void {
    this.nodeCount = 0;
    this.valueCount = 0;
  }

  /** Adds a node (a leaf until `setSplit`) and links it from `parent` (-1 for the root). */
  addNode(parent: number, isLeft: boolean): number {
    if (this.nodeCount === this.feature.length) {
      const size = this.feature.length * 2;
      this.feature = grow(this.feature, size);
      this.threshold = grow(this.threshold, size);
      this.left = grow(this.left, size);
      this.right = grow(this.right, size);
    }
    const node = this.nodeCount++;
    this.feature[node] = -1;
    if (parent >= 0) {
      if (isLeft) this.left[parent] = node;
      else this.right[parent] = node;
    }
    return node;
  }

  setSplit(node: number, feature: number, threshold: number): void {
    this.feature[node] = feature;
    this.threshold[node] = threshold;
  }

  /** Makes `node` a leaf; returns the offset in `valueBuffer()` where its `valueSize` values go. */
  setLeaf(node: number): number {
    if (this.valueCount + this.valueSize > this.values.length) this.values = grow(this.values, this.values.length * 2);
    const offset = this.valueCount;
    this.valueCount += this.valueSize;
    this.feature[node] = -1;
    // Not read at predict time; set so a tree's bytes depend on that tree alone, not on reused memory.
    this.threshold[node] = 0;
    this.left[node] = offset;
    this.right[node] = -1;
    return offset;
  }

  /** Where leaf values are written; valid until the next `setLeaf` (which may grow it). */
  valueBuffer(): Float64Array {
    return this.values;
  }

  finish(): FlatTree {
    const n = this.nodeCount;
    return {
      nodeCount: n,
      valueSize: this.valueSize,
      feature: this.feature.slice(0, n),
      threshold: this.threshold.slice(0, n),
      left: this.left.slice(0, n),
      right: this.right.slice(0, n),
      values: this.values.slice(0, this.valueCount),
    };
  }
}
