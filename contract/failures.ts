import { ActivityFailure, ApplicationFailure } from '@temporalio/common';

/** The message of a failure's root cause, named by its type: what a person needs, not the wrapping. */
export function describeFailure(error: unknown): string {
  let current: unknown = error;
  while ((current instanceof ActivityFailure || (current instanceof Error && current.name === 'WorkflowFailedError')) && current.cause) {
    current = current.cause;
  }
  if (current instanceof ApplicationFailure && current.type) return `${current.type}: ${current.message}`;
  return current instanceof Error ? current.message : String(current);
}
