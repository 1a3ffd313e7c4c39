import { z } from 'zod';
import { InvalidInputError, toParamIssues } from './paramIssues';
import { type PipelineError } from './pipelineError';

/**
 * Errors thrown by libraries that mean the input is wrong, as our own: the one place they are
 * recognised, for the activities' runStep and the API's error filter alike. Anything else from a
 * library is not ours to judge and stays as it is (retried by a step, a 500 from the API).
 */
export function fromLibraryError(error: unknown): PipelineError | undefined {
  if (error instanceof z.core.$ZodError) return new InvalidInputError(toParamIssues(error));
  return undefined;
}
