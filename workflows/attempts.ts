import { ActivityFailure, RetryState } from '@temporalio/common';
import { type StepName } from '../contract';
import { MAX_ATTEMPTS } from './steps';

/**
 * The attempt a failed step ended on, as far as Temporal's failure tells: the failure carries no
 * attempt number, but when the server stopped retrying because the attempts ran out, the last one
 * was the policy's maximum. Otherwise 0 (the attempt the activity itself reported stands).
 */
export function finalAttempt(step: StepName, error: unknown): number {
  if (!(error instanceof ActivityFailure) || error.retryState !== RetryState.MAXIMUM_ATTEMPTS_REACHED) return 0;
  return (MAX_ATTEMPTS as Partial<Record<StepName, number>>)[step] ?? 0;
}
