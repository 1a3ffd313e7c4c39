import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import { FAILURE_SPECS, fromLibraryError, PipelineError, redactText, type FailureType } from '../contract';
import { fromSystemError, UnusableInputError } from './systemErrors';

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
    return checkResultSize(await body());
  } catch (error) {
    redactErrorChain(error);
    const ours = error instanceof PipelineError ? error : (fromLibraryError(error) ?? fromSystemError(error));
    if (ours === undefined) throw error;
    // A library's error stays the cause: its own report is what someone debugging wants.
    throw stepFailure(ours.failureType, ours.message, { retryable: ours.retryable, cause: error as Error });
  }
}

/**
 * Failure messages and stacks go into the Temporal history and the worker's log: a URL in them
 * (a source, a webhook) loses its credentials first, in the error and each of its causes.
 */
function redactErrorChain(error: unknown): void {
  let current = error;
  for (let depth = 0; depth < 8 && current instanceof Error; depth += 1) {
    current.message = redactText(current.message);
    if (current.stack) current.stack = redactText(current.stack);
    current = current.cause;
  }
}

/**
 * Largest step result sent to Temporal. The server refuses a completion over its blob limit
 * (2 MiB by default) and the SDK then retries the step as if it had crashed, with a message that
 * does not say why; refusing here, with the size, fails once and says so.
 */
export const MAX_RESULT_BYTES = 1.5 * 1024 * 1024;

function checkResultSize<T>(result: T): T {
  if (result === undefined) return result;
  const bytes = Buffer.byteLength(JSON.stringify(result) ?? '');
  if (bytes > MAX_RESULT_BYTES) {
    throw new UnusableInputError('PayloadsTooLarge', `the step's result is ${(bytes / 1048576).toFixed(1)} MiB, over the ${MAX_RESULT_BYTES / 1048576} MiB Temporal payload limit (PayloadsTooLarge): the data is too wide or too large for this step`);
  }
  return result;
}
