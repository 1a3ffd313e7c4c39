import { fromLibraryError } from './libraryErrors';
import { PipelineError } from './pipelineError';
import { type FailureType, type PerErrorFailureType } from './failureTypes';

/** An error as it crosses a thread boundary: structured cloning keeps neither its class nor our fields. */
export interface ThreadErrorShape {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly failure?: { readonly type: FailureType; readonly retryable: boolean };
}

/** The shape of what a task threw, with its failure type when it is ours or a library's bad-input error. */
export function threadErrorShape(error: unknown): ThreadErrorShape {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const ours = error instanceof PipelineError ? error : fromLibraryError(error);
  if (!ours) return { name: error.name, message: error.message, stack: error.stack };
  return { name: ours.name, message: ours.message, stack: error.stack, failure: { type: ours.failureType, retryable: ours.retryable } };
}

/**
 * The task threw one of our errors (or a library's bad-input error): the same failure type and
 * name on this side, so bad input is still bad input after the hop.
 */
export class ComputeTaskError extends PipelineError {
  constructor(shape: ThreadErrorShape & { readonly failure: NonNullable<ThreadErrorShape['failure']> }) {
    // Only a 'per error' type takes the retryable answer; for any other the taxonomy decides, as on the thread.
    super(shape.failure.type as PerErrorFailureType, shape.message, { retryable: shape.failure.retryable });
    this.name = shape.name;
    if (shape.stack) this.stack = shape.stack;
  }
}

/** The error to rethrow on this side: ours again when it was ours, else one with the same name, message and stack. */
export function errorFromThread(shape: ThreadErrorShape): Error {
  if (shape.failure) return new ComputeTaskError({ ...shape, failure: shape.failure });
  const error = new Error(shape.message);
  error.name = shape.name;
  if (shape.stack) error.stack = shape.stack;
  return error;
}
