import { FAILURE_TYPES } from '../../contract/failureTypes';
import { PipelineError } from '../../contract/pipelineError';

/** A batch (or its predictions) cannot be compared with the training profile: a column is absent or of another kind. */
export class DriftInputError extends PipelineError {
  override readonly name = 'DriftInputError';
  constructor(
    message: string,
    readonly column?: string,
  ) {
    super(FAILURE_TYPES.DriftInputError, message);
  }
}

/** A stored profile that is not one we wrote. */
export class ProfileFormatError extends PipelineError {
  override readonly name = 'ProfileFormatError';
  constructor(message: string) {
    super(FAILURE_TYPES.ProfileFormatError, message);
  }
}
