import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import { FAILURE_SPECS, fromLibraryError, PipelineError, type FailureType } from '../contract';

export interface StepFailureOptions {
  readonly details?: unknown[];
  readonly cause?: Error;
  /** Only for types the taxonomy leaves to the case ('per error'); elsewhere the taxonomy decides. */
  readonly retryable?: boolean;
}

/** A failure of one of our types, retryable and benign as the taxonomy (contract/failureTypes.ts) says. */
export function stepFailure(type: FailureType, message: string, options: StepFailureOptions = {}): ApplicationFailure {
  const spec = FAILURE_SPECS[type];
  const retryable = spec.retryable === 'per error' ? options.retryable === true : spec.retryable;
  return ApplicationFailure.create({
    type,
    message,
    nonRetryable: !retryable,
    details: options.details,
    cause: options.cause,
    category: spec.benign ? ApplicationFailureCategory.BENIGN : undefined,
  });
}

/**
 * Runs a step body. Our errors (and library errors that mean bad input) leave it as failures of
 * their declared type, non-retryable when a retry cannot help; anything else is left to the SDK,
 * which retries it.
 */
export async function runStep<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    const ours = error instanceof PipelineError ? error : fromLibraryError(error);
    if (ours === undefined) throw error;
    // A library's error stays the cause: its own report is what someone debugging wants.
    throw stepFailure(ours.failureType, ours.message, { retryable: ours.retryable, cause: error as Error });
  }
}
