import { taskOf, type ModelSpec } from '../../../contract';
import { decodeSplit } from '../../../ml/data/codec';
import { trainModel } from '../../../ml/models';
import { type FittedTransform } from '../../../ml/preprocess';
import { MODEL_ARTIFACT_FORMAT, type ModelArtifact } from '../../../storage/modelArtifact';
import { type ComputeTask } from '../protocol';

export interface TrainTaskInput {
  readonly model: ModelSpec;
  /** The encoded training split. */
  readonly train: Uint8Array;
  /** The fitted transform's JSON, stored with the model so it predicts from raw rows. */
  readonly transform: string;
  readonly target: string;
  readonly trainedAt: string;
}

export interface TrainTaskOutput {
  /** The model artifact's JSON. */
  readonly artifact: string;
  readonly fitSeconds: number;
}

/** Decodes the training split, fits the model and serializes it with its transform. */
export const trainTask: ComputeTask<TrainTaskInput, TrainTaskOutput> = async (input, progress) => {
  progress({ fraction: 0, message: 'decoding the training split' });
  const { x, targets } = decodeSplit(input.train);
  const started = process.hrtime.bigint();
  const model = await trainModel(input.model, x, targets, (done, total) => {
    progress({ fraction: done / total, message: `${done}/${total}` });
    return Promise.resolve();
  });
  const fitSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const artifact: ModelArtifact = {
    format: MODEL_ARTIFACT_FORMAT,
    model: model.serialize(),
    transform: JSON.parse(input.transform) as FittedTransform,
    target: input.target,
    task: taskOf(input.model.type),
    trainedAt: input.trainedAt,
  };
  return { value: { artifact: JSON.stringify(artifact), fitSeconds } };
};
