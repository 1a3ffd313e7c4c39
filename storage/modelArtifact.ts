import { FAILURE_TYPES, PipelineError, type Task } from '../contract';
import { type FittedTransform } from '../ml/preprocess';
import { type SerializedModel } from '../ml/models/types';

/**
 * A trained model as stored in a run and in the registry: the model and the fitted transform it
 * was trained after, so a prediction applies exactly the same steps.
 */
export interface ModelArtifact {
  readonly format: typeof MODEL_ARTIFACT_FORMAT;
  readonly model: SerializedModel;
  readonly transform: FittedTransform;
  readonly target: string;
  readonly task: Task;
  readonly trainedAt: string;
}

export const MODEL_ARTIFACT_FORMAT = 'ml-pipeline-model/1';

export class ModelArtifactError extends PipelineError {
  override readonly name = 'ModelArtifactError';
  constructor(message: string) {
    super(FAILURE_TYPES.ModelArtifactError, message);
  }
}

export function decodeModelArtifact(bytes: Uint8Array): ModelArtifact {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw new ModelArtifactError(`model artifact is not JSON: ${(error as Error).message}`);
  }
  const artifact = parsed as Partial<ModelArtifact> | null;
  if (artifact?.format !== MODEL_ARTIFACT_FORMAT) {
    throw new ModelArtifactError(`unsupported model artifact format ${JSON.stringify(artifact?.format)}; expected ${MODEL_ARTIFACT_FORMAT}`);
  }
  return artifact as ModelArtifact;
}
