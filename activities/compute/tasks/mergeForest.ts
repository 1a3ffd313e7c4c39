import { taskOf, type ModelSpec } from '../../../contract';
import { mergeForests, RandomForestModel, type SerializedModel } from '../../../ml/models';
import { type FittedTransform } from '../../../ml/preprocess';
import { MODEL_ARTIFACT_FORMAT, type ModelArtifact } from '../../../storage/modelArtifact';
import { type ComputeTask } from '../protocol';

export interface MergeForestTaskInput {
  readonly model: ModelSpec;
  /** Each shard's serialized forest, in tree order. */
  readonly shards: readonly string[];
  readonly transform: string;
  readonly target: string;
  readonly trainedAt: string;
}

/** Joins the shards' trees into one model artifact, with its transform. */
export const mergeForestTask: ComputeTask<MergeForestTaskInput, { readonly artifact: string; readonly trees: number }> = (input, channel) => {
  channel.progress({ fraction: 0, message: `merging ${input.shards.length} shards` });
  const forest = mergeForests(input.shards.map((s) => RandomForestModel.fromSerialized(JSON.parse(s) as SerializedModel)));
  const artifact: ModelArtifact = {
    format: MODEL_ARTIFACT_FORMAT,
    model: forest.serialize(),
    transform: JSON.parse(input.transform) as FittedTransform,
    target: input.target,
    task: taskOf(input.model.type),
    trainedAt: input.trainedAt,
  };
  return Promise.resolve({ value: { artifact: JSON.stringify(artifact), trees: forest.trees.length } });
};
