import { type Rng } from '../random';
import { type BinnedMatrix } from './binning';
import { emptyCandidate, type SplitCriterion } from './criterion';
import { type FlatTree, FlatTreeBuilder } from './tree';

export interface TreeGrowthLimits {
  /** Deepest a leaf may be, the root being at depth 0; Infinity for no limit. */
  readonly maxDepth: number;
  readonly minSamplesSplit: number;
  readonly minSamplesLeaf: number;
  /** Features drawn per node (more are drawn while all drawn so far are constant in the node). */
  readonly featuresPerNode: number;
}

const STACK_FIELDS = 5;

/**
 * Grows trees depth-first on binned features, reusing its buffers from one tree to the next.
 * Not reentrant: one tree at a time.
 */
export class TreeGrower {
  private readonly builder: FlatTreeBuilder;
  private readonly features: Int32Array;
  /** Nodes still to grow, STACK_FIELDS ints each: start, end, depth, parent, isLeft (1/0). */
  private stack = new Int32Array(64 * STACK_FIELDS);

  constructor(
    private readonly binned: BinnedMatrix,
    private readonly criterion: SplitCriterion,
    private readonly limits: TreeGrowthLimits,
  ) {
    this.builder = new FlatTreeBuilder(criterion.valueSize);
    this.features = Int32Array.from({ length: binned.cols }, (_, f) => f);
  }

  /** One tree on the rows with a positive `weights` entry, each counted `weights[row]` times. */
  grow(weights: Int32Array, rng: Rng): FlatTree {
    const { binned, criterion, builder, features } = this;
    const { bins, rows, thresholds } = binned;
    const featureCount = binned.cols;
    // The feature draws start from the same order in every tree, so a tree depends only on its own
    // random stream, not on the trees grown before it (a resumed or sharded forest grows the same trees).
    for (let f = 0; f < featureCount; f++) features[f] = f;
    const { maxDepth, minSamplesSplit, minSamplesLeaf, featuresPerNode } = this.limits;
    const minRowsToSplit = Math.max(minSamplesSplit, 2 * minSamplesLeaf);
    const candidate = emptyCandidate();
    builder.reset();

    let size = 0;
    const push = (start: number, end: number, depth: number, parent: number, isLeft: number): void => {
      if (size + STACK_FIELDS > this.stack.length) {
        const bigger = new Int32Array(this.stack.length * 2);
        bigger.set(this.stack);
        this.stack = bigger;
      }
      const s = this.stack;
      s[size] = start;
      s[size + 1] = end;
      s[size + 2] = depth;
      s[size + 3] = parent;
      s[size + 4] = isLeft;
      size += STACK_FIELDS;
    };
    push(0, criterion.loadRows(weights), 0, -1, 0);

    while (size > 0) {
      size -= STACK_FIELDS;
      const s = this.stack;
      const start = s[size];
      const end = s[size + 1];
      const depth = s[size + 2];
      const node = builder.addNode(s[size + 3], s[size + 4] === 1);

      const pure = criterion.beginNode(start, end);
      let bestFeature = -1;
      let bestBin = -1;
      if (!pure && depth < maxDepth && end - start >= minRowsToSplit) {
        let bestScore = -Infinity;
        let visited = 0;
        let informative = 0;
        // Partial Fisher-Yates: features[0..j) are this node's draws so far.
        for (let j = 0; j < featureCount && (visited < featuresPerNode || informative === 0); j++) {
          const pick = j + rng.nextInt(featureCount - j);
          const f = features[pick];
          features[pick] = features[j];
          features[j] = f;
          criterion.evaluate(bins, f * rows, thresholds[f].length + 1, start, end, minSamplesLeaf, candidate);
          visited++;
          if (candidate.constant) continue;
          informative++;
          if (candidate.found && candidate.score > bestScore) {
            bestScore = candidate.score;
            bestFeature = f;
            bestBin = candidate.bin;
          }
        }
      }

      if (bestFeature < 0) {
        const offset = builder.setLeaf(node);
        criterion.writeLeaf(builder.valueBuffer(), offset);
        continue;
      }
      builder.setSplit(node, bestFeature, thresholds[bestFeature][bestBin]);
      const middle = criterion.partition(bins, bestFeature * rows, bestBin, start, end);
      push(middle, end, depth + 1, node, 0);
      push(start, middle, depth + 1, node, 1);
    }
    return builder.finish();
  }
}
