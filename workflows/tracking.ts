import { isCancellation, workflowInfo } from '@temporalio/workflow';
import { describeFailure } from '../contract/failures';
import { type PipelineParams } from '../contract';
import { type PipelineSteps } from './steps';
import { type RunState } from './runState';
import { established } from './patches';

/** Marks runs that write a tracking record; histories recorded before it scheduled no such activity. */
export const TRACKING_PATCH = 'tracking-record';

/**
 * Writes the run's tracking record (and logs it to MLflow when the worker has one), once the run
 * has concluded and before its report, so the report and the summary carry what tracking warned of.
 * Bookkeeping, not the run's work: a failure to track is a warning, never a failed run.
 */
export async function trackRun(state: RunState, params: PipelineParams, steps: Pick<PipelineSteps, 'trackRun'>): Promise<void> {
  if (!established(TRACKING_PATCH)) return;
  try {
    const { warnings } = await steps.trackRun({
      run: state.run,
      params,
      status: state.status,
      facts: state.facts,
      startedAt: workflowInfo().runStartTime.toISOString(),
      endedAt: new Date().toISOString(),
    });
    state.status.warnings.push(...warnings);
  } catch (error) {
    if (isCancellation(error)) throw error;
    state.status.warnings.push(`tracking record not written: ${describeFailure(error)}`);
  }
}
