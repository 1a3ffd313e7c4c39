import { type ModelSpec, type TreeRange } from '../../../contract';
import { decodeAnySplit } from '../../../ml/data/binnedCodec';
import { trainModel, type ForestState } from '../../../ml/models';
import { type ComputeTask } from '../protocol';
import { checkpointHooks, resumedTrees, type CheckpointPolicy } from './forestCheckpoints';

export interface TrainShardTaskInput {
  readonly model: ModelSpec;
  /** The encoded training split, the same for every shard. */
  readonly train: Uint8Array;
  readonly range: TreeRange;
  readonly checkpoints: CheckpointPolicy;
  /** A previous attempt's checkpoint of this range: the shard continues after its trees. */
  readonly resume?: ForestState;
}

export interface TrainShardTaskOutput {
  /** The shard's serialized forest (its trees only). */
  readonly shard: string;
  readonly fitSeconds: number;
  /** Trees taken from the checkpoint rather than grown by this attempt. */
  readonly resumedTrees: number;
}

/** Grows the trees of one range of the forest (after its checkpoint's, if any); each tree's seed depends only on (seed, index). */
export const trainShardTask: ComputeTask<TrainShardTaskInput, TrainShardTaskOutput> = async (input, channel) => {
  const { from, to } = input.range;
  channel.progress({ fraction: 0, message: `decoding the training split for trees ${from}-${to - 1}` });
  const { x, targets } = decodeAnySplit(input.train);
  const resume = resumedTrees(input.resume, x.cols, targets, channel);
  const started = process.hrtime.bigint();
  const model = await trainModel(
    input.model,
    x,
    targets,
    (done, total) => {
      channel.progress({ fraction: done / total, message: `trees ${from}-${to - 1}: ${done}/${total}` });
      return Promise.resolve();
    },
    { ...checkpointHooks(input.checkpoints, to - from, resume, channel), range: input.range },
  );
  return { value: { shard: JSON.stringify(model.serialize()), fitSeconds: Number(process.hrtime.bigint() - started) / 1e9, resumedTrees: resume.length } };
};
