/** The data given to `trainModel` cannot train the requested model. */
export class TrainingDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrainingDataError';
  }
}

/** Classification targets given to a regressor, or regression targets to a classifier. */
export class TaskMismatchError extends TrainingDataError {
  constructor(message: string) {
    super(message);
    this.name = 'TaskMismatchError';
  }
}

/** A classifier needs at least two classes present in its targets. */
export class TooFewClassesError extends TrainingDataError {
  constructor(message: string) {
    super(message);
    this.name = 'TooFewClassesError';
  }
}

/** The least-squares system has no stable solution even with jitter on its diagonal. */
export class SingularMatrixError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SingularMatrixError';
  }
}

/** A serialized model that `loadModel` cannot restore. */
export class ModelFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelFormatError';
  }
}

/** Rows given to `predict` do not have the features the model was trained on. */
export class FeatureMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeatureMismatchError';
  }
}
