import { FAILURE_TYPES } from '../../contract/failureTypes';
import { PipelineError } from '../../contract/pipelineError';

type TrainingDataFailure = typeof FAILURE_TYPES.TrainingDataError | typeof FAILURE_TYPES.TaskMismatchError | typeof FAILURE_TYPES.TooFewClassesError;

/** The data given to `trainModel` cannot train the requested model. */
export class TrainingDataError extends PipelineError {
  override readonly name: string = 'TrainingDataError';
  constructor(message: string, failureType: TrainingDataFailure = FAILURE_TYPES.TrainingDataError) {
    super(failureType, message);
  }
}

/** Classification targets given to a regressor, or regression targets to a classifier. */
export class TaskMismatchError extends TrainingDataError {
  override readonly name = 'TaskMismatchError';
  constructor(message: string) {
    super(message, FAILURE_TYPES.TaskMismatchError);
  }
}

/** A classifier needs at least two classes present in its targets. */
export class TooFewClassesError extends TrainingDataError {
  override readonly name = 'TooFewClassesError';
  constructor(message: string) {
    super(message, FAILURE_TYPES.TooFewClassesError);
  }
}

/** The least-squares system has no stable solution even with jitter on its diagonal. */
export class SingularMatrixError extends PipelineError {
  override readonly name = 'SingularMatrixError';
  constructor(message: string) {
    super(FAILURE_TYPES.SingularMatrixError, message);
  }
}

/** A serialized model that `loadModel` cannot restore. */
export class ModelFormatError extends PipelineError {
  override readonly name = 'ModelFormatError';
  constructor(message: string) {
    super(FAILURE_TYPES.ModelFormatError, message);
  }
}

/** Rows given to `predict` do not have the features the model was trained on. */
export class FeatureMismatchError extends PipelineError {
  override readonly name = 'FeatureMismatchError';
  constructor(message: string) {
    super(FAILURE_TYPES.FeatureMismatchError, message);
  }
}
