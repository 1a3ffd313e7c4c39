import { taskOf, type ModelSpec } from '../../../contract';
import { type SerializedModel } from '../../../ml/models/types';
import { type FittedTransform } from '../../../ml/preprocess';
import { MODEL_ARTIFACT_FORMAT, type ModelArtifact } from '../../../storage/modelArtifact';

/** What every task that ends in a model artifact is given besides its data. */
export interface ArtifactInput {
  readonly model: ModelSpec;
  /** The fitted transform's JSON, stored with the model so it predicts from raw rows. */
  readonly transform: string;
  readonly target: string;
  readonly trainedAt: string;
}

/** A fitted model with its transform, as the artifact's JSON. */
export function modelArtifactJson(model: SerializedModel, input: ArtifactInput): string {
  const artifact: ModelArtifact = {
    format: MODEL_ARTIFACT_FORMAT,
    model,
    transform: JSON.parse(input.transform) as FittedTransform,
    target: input.target,
    task: taskOf(input.model.type),
    trainedAt: input.trainedAt,
  };
  return JSON.stringify(artifact);
}
