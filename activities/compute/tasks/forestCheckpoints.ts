import { decodeForest, encodeForest, type ForestHooks, type ForestState, type Targets } from '../../../ml/models';
import { type TaskChannel } from '../protocol';

/** When a forest hands out a checkpoint: after this many new trees, or this long since the last (0 turns either off). */
export interface CheckpointPolicy {
  readonly everyTrees: number;
  readonly everyMs: number;
}

/** A forest's (or a shard's) partial progress, as the thread hands it to the activity: `trees` counts from the first tree it grows. */
export interface ForestCheckpoint {
  readonly trees: number;
  readonly state: ForestState;
}

/** The checkpointed trees, or none when the checkpoint does not fit this data (then the forest starts over). */
export function resumedTrees(resume: ForestState | undefined, featureCount: number, targets: Targets, channel: TaskChannel) {
  if (!resume) return [];
  try {
    return decodeForest(resume, featureCount, targets.task === 'classification' ? targets.classes.length : 1);
  } catch (error) {
    channel.progress({ fraction: 0, message: `checkpoint not usable, starting over: ${(error as Error).message}` });
    return [];
  }
}

/**
 * Hooks that resume a forest from `resume` and hand out a checkpoint when `policy` says one is due,
 * never of the finished trees (`total` of them): those are stored as the result.
 */
export function checkpointHooks(policy: CheckpointPolicy, total: number, resume: ForestHooks['resume'], channel: TaskChannel): ForestHooks {
  const { everyTrees, everyMs } = policy;
  let lastCount = resume?.length ?? 0;
  let lastAt = Date.now();
  return {
    resume,
    afterTree: (trees) => {
      const due = (everyTrees > 0 && trees.length - lastCount >= everyTrees) || (everyMs > 0 && Date.now() - lastAt >= everyMs);
      if (!due || trees.length >= total) return;
      lastCount = trees.length;
      lastAt = Date.now();
      const checkpoint: ForestCheckpoint = { trees: trees.length, state: encodeForest(trees) };
      channel.checkpoint(checkpoint);
    },
  };
}
