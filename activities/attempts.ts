import { activityInfo } from '@temporalio/activity';
import { STEP_NAMES, stepOfActivity, type StepName } from '../contract';
import { type ActivityDeps } from './deps';
import { StepReporter } from './progress';

/** Each reschedule check is an attempt by design (the retry policy is the poll interval): not worth a signal. */
const SILENT = new Set(['checkDataReady']);

/**
 * Wraps a step's activity so that a retry tells the workflow its attempt number (from Temporal's
 * activity info) at once, and the `status` query shows the true attempt of every step.
 */
export function announcingRetries<A extends unknown[], R>(
  activityType: string,
  activity: (...args: A) => Promise<R>,
  deps: ActivityDeps,
): (...args: A) => Promise<R> {
  const step = stepOfActivity(activityType);
  if (SILENT.has(activityType) || !(STEP_NAMES as readonly string[]).includes(step)) return activity;
  return async (...args: A): Promise<R> => {
    if (activityInfo().attempt > 1) await new StepReporter(step as StepName, deps.clock, deps.progressIntervalMs).started();
    return activity(...args);
  };
}
