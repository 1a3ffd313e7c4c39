import { type ModelSpec, type TreeRange } from '../../../contract';
import { decodeAnySplit } from '../../../ml/data/binnedCodec';
import { trainModel } from '../../../ml/models';
import { type ComputeTask } from '../protocol';

export interface TrainShardTaskInput {
  readonly model: ModelSpec;
  /** The encoded training split, the same for every shard. */
  readonly train: Uint8Array;
  readonly range: TreeRange;
}

export interface TrainShardTaskOutput {
  /** The shard's serialized forest (its trees only). */
  readonly shard: string;
  readonly fitSeconds: number;
}

/** Grows the trees of one range of the forest; each tree's seed depends only on (seed, index). */
export const trainShardTask: ComputeTask<TrainShardTaskInput, TrainShardTaskOutput> = async (input, channel) => {
  channel.progress({ fraction: 0, message: `decoding the training split for trees ${input.range.from}-${input.range.to - 1}` });
  const { x, targets } = decodeAnySplit(input.train);
  const started = process.hrtime.bigint();
  const model = await trainModel(
    input.model,
    x,
    targets,
    (done, total) => {
      channel.progress({ fraction: done / total, message: `trees ${input.range.from}-${input.range.to - 1}: ${done}/${total}` });
      return Promise.resolve();
    },
    { range: input.range },
  );
  return { value: { shard: JSON.stringify(model.serialize()), fitSeconds: Number(process.hrtime.bigint() - started) / 1e9 } };
};
