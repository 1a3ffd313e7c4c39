import { mergeForests, RandomForestModel, type SerializedModel } from '../../../ml/models';
import { type ComputeTask } from '../protocol';
import { modelArtifactJson, type ArtifactInput } from './artifact';

export interface MergeForestTaskInput extends ArtifactInput {
  /** Each shard's serialized forest, in tree order. */
  readonly shards: readonly string[];
}

/** Joins the shards' trees into one model artifact, with its transform. */
export const mergeForestTask: ComputeTask<MergeForestTaskInput, { readonly artifact: string; readonly trees: number }> = (input, channel) => {
  channel.progress({ fraction: 0, message: `merging ${input.shards.length} shards` });
  const forest = mergeForests(input.shards.map((s) => RandomForestModel.fromSerialized(JSON.parse(s) as SerializedModel)));
  return Promise.resolve({ value: { artifact: modelArtifactJson(forest.serialize(), input), trees: forest.trees.length } });
};
