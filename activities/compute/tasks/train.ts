import { decodeAnySplit } from '../../../ml/data/binnedCodec';
import { trainModel, type ForestState } from '../../../ml/models';
import { type ComputeTask } from '../protocol';
import { modelArtifactJson, type ArtifactInput } from './artifact';
import { checkpointHooks, resumedTrees, type CheckpointPolicy } from './forestCheckpoints';

export interface TrainTaskInput extends ArtifactInput {
  /** The encoded training split. */
  readonly train: Uint8Array;
  readonly checkpoints: CheckpointPolicy;
  /** A previous attempt's checkpoint: a forest continues after its trees. */
  readonly resume?: ForestState;
}

export interface TrainTaskOutput {
  /** The model artifact's JSON. */
  readonly artifact: string;
  readonly fitSeconds: number;
  /** Trees taken from the checkpoint rather than grown by this attempt. */
  readonly resumedTrees: number;
}

/** Decodes the training split, fits the model (a forest from its checkpoint, if any) and serializes it with its transform. */
export const trainTask: ComputeTask<TrainTaskInput, TrainTaskOutput> = async (input, channel) => {
  channel.progress({ fraction: 0, message: 'decoding the training split' });
  const { x, targets } = decodeAnySplit(input.train);
  const resume = resumedTrees(input.resume, x.cols, targets, channel);
  const { model: spec } = input;
  const total = spec.type === 'random_forest_classifier' || spec.type === 'random_forest_regressor' ? spec.hyperparameters.nTrees : 0;
  const started = process.hrtime.bigint();
  const model = await trainModel(
    spec,
    x,
    targets,
    (done, all) => {
      channel.progress({ fraction: done / all, message: `${done}/${all}` });
      return Promise.resolve();
    },
    checkpointHooks(input.checkpoints, total, resume, channel),
  );
  const fitSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { value: { artifact: modelArtifactJson(model.serialize(), input), fitSeconds, resumedTrees: resume.length } };
};
