import { decodeAnySplit } from '../../../ml/data/binnedCodec';
import { decodeForest, encodeForest, trainModel, type ForestHooks, type ForestState, type Targets } from '../../../ml/models';
import { type ComputeTask, type TaskChannel } from '../protocol';
import { modelArtifactJson, type ArtifactInput } from './artifact';

/** When a forest hands out a checkpoint: after this many new trees, or this long since the last (0 turns either off). */
export interface CheckpointPolicy {
  readonly everyTrees: number;
  readonly everyMs: number;
}

/** A forest's partial progress, as the thread hands it to the activity. */
export interface ForestCheckpoint {
  readonly trees: number;
  readonly state: ForestState;
}

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

/** The checkpointed trees, or none when the checkpoint does not fit this data (then the forest starts over). */
function resumedTrees(resume: ForestState | undefined, featureCount: number, targets: Targets, channel: TaskChannel) {
  if (!resume) return [];
  try {
    return decodeForest(resume, featureCount, targets.task === 'classification' ? targets.classes.length : 1);
  } catch (error) {
    channel.progress({ fraction: 0, message: `checkpoint not usable, starting over: ${(error as Error).message}` });
    return [];
  }
}

function forestHooks(input: TrainTaskInput, resume: ForestHooks['resume'], channel: TaskChannel): ForestHooks {
  const { everyTrees, everyMs } = input.checkpoints;
  const { model } = input;
  const total = model.type === 'random_forest_classifier' || model.type === 'random_forest_regressor' ? model.hyperparameters.nTrees : 0;
  let lastCount = resume?.length ?? 0;
  let lastAt = Date.now();
  return {
    resume,
    afterTree: (trees) => {
      const due = (everyTrees > 0 && trees.length - lastCount >= everyTrees) || (everyMs > 0 && Date.now() - lastAt >= everyMs);
      // The finished forest is stored as the model: no checkpoint of it.
      if (!due || trees.length >= total) return;
      lastCount = trees.length;
      lastAt = Date.now();
      const checkpoint: ForestCheckpoint = { trees: trees.length, state: encodeForest(trees) };
      channel.checkpoint(checkpoint);
    },
  };
}

/** Decodes the training split, fits the model (a forest from its checkpoint, if any) and serializes it with its transform. */
export const trainTask: ComputeTask<TrainTaskInput, TrainTaskOutput> = async (input, channel) => {
  channel.progress({ fraction: 0, message: 'decoding the training split' });
  const { x, targets } = decodeAnySplit(input.train);
  const resume = resumedTrees(input.resume, x.cols, targets, channel);
  const started = process.hrtime.bigint();
  const model = await trainModel(
    input.model,
    x,
    targets,
    (done, total) => {
      channel.progress({ fraction: done / total, message: `${done}/${total}` });
      return Promise.resolve();
    },
    forestHooks(input, resume, channel),
  );
  const fitSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { value: { artifact: modelArtifactJson(model.serialize(), input), fitSeconds, resumedTrees: resume.length } };
};
