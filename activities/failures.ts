import { ApplicationFailure } from '@temporalio/common';

/**
 * Errors that mean the input is wrong: retrying cannot help, so they fail the step at once.
 * Matched by name because they come from several libraries (data, ML, sources, store keys).
 */
const BAD_INPUT = new Set([
  'DataFormatError',
  'UnsupportedFormatError',
  'FormatMismatchError',
  'PreprocessError',
  'TrainingDataError',
  'TaskMismatchError',
  'TooFewClassesError',
  'SingularMatrixError',
  'FeatureMismatchError',
  'ModelFormatError',
  'ModelArtifactError',
  'PathOutsideDataRootError',
  'SourceNotFoundError',
  'InvalidArtifactKeyError',
  'ModelVersionConflictError',
  'BlockedAddressError',
  'InvalidS3UriError',
  'MarkerTimeUnknownError',
  'ArchiveError',
  'UnsafeArchiveError',
  'InputLimitError',
]);

function isBadInput(error: Error): boolean {
  return BAD_INPUT.has(error.name) || (error as { retryable?: unknown }).retryable === false;
}

/** Runs a step body; bad-input errors leave it as non-retryable failures typed by their error name. */
export async function runStep<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof Error && !(error instanceof ApplicationFailure) && isBadInput(error)) {
      throw ApplicationFailure.create({ type: error.name, message: error.message, nonRetryable: true, cause: error });
    }
    throw error;
  }
}
