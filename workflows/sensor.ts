import { RetryState } from '@temporalio/common';
import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/workflow';
import { FAILURE_TYPES } from '../contract/failureTypes';
import { type SensorSpec } from '../contract';
import { pokeSensor, rescheduleSensor } from './steps';
import { type RunState } from './runState';

/** Poke mode times out inside the activity; reschedule mode when its retries run past the schedule-to-close timeout. */
function isSensorTimeout(error: unknown): boolean {
  if (!(error instanceof ActivityFailure)) return false;
  const cause = error.cause;
  return (
    error.retryState === RetryState.TIMEOUT || cause instanceof TimeoutFailure || (cause instanceof ApplicationFailure && cause.type === FAILURE_TYPES.SensorTimeout)
  );
}

/** Waits for the marker. False when it never came and the sensor soft-fails: the run is then skipped. */
export async function waitForData(state: RunState, spec: SensorSpec): Promise<boolean> {
  const marker = spec.marker;
  if (marker === undefined) {
    state.skip('waitForData', 'no marker configured');
    return true;
  }
  const check = spec.mode === 'poke' ? pokeSensor(spec) : rescheduleSensor(spec);
  const input = { marker, newerThan: spec.newerThan, pokeIntervalSeconds: spec.pokeIntervalSeconds, timeoutSeconds: spec.timeoutSeconds };
  try {
    await state.step('waitForData', () => check(input), (r) => `found after ${r.checks} checks, ${r.waitedSeconds.toFixed(1)} s`);
    return true;
  } catch (error) {
    if (!isSensorTimeout(error)) throw error;
    const message = `marker ${marker} did not appear within ${spec.timeoutSeconds} s`;
    if (spec.softFail) {
      Object.assign(state.stepOf('waitForData'), { state: 'skipped', summary: `${message} (soft fail)`, error: undefined });
      return false;
    }
    throw ApplicationFailure.create({ type: FAILURE_TYPES.SensorTimeout, message, nonRetryable: true, cause: error as ActivityFailure });
  }
}
