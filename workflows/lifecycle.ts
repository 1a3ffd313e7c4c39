import { CancellationScope, isCancellation, log } from '@temporalio/workflow';
import { describeFailure, type EmailNotifications, type Outcome, type PipelineResult } from '../contract';
import type { ReportResult } from '../activities';
import { emailRunFinished, type Mailing } from './email';
import { countRunFinished, countRunStarted } from './metrics';
import { type RunState } from './runState';

/** How a run of either workflow ends: its report, then the run summary by webhook and email. */
export interface Ending {
  readonly webhooks: readonly string[];
  readonly email: EmailNotifications;
  readonly mailing: Mailing;
  report(): Promise<ReportResult>;
  notify(reportUri: string): Promise<void>;
}

/** Writes the report (and sends the run summary) for whatever way the run ended. */
async function finish(state: RunState, ending: Ending, outcome: Outcome, error?: unknown): Promise<PipelineResult> {
  state.conclude(outcome, error);
  let reportUri: string;
  try {
    const written = await state.step('report', () => ending.report(), () => 'report written');
    reportUri = written.html.uri;
    state.artifact('report', reportUri);
    if (ending.webhooks.length > 0) await notify(state, ending, reportUri);
    await emailRunFinished(state, ending.email, ending.mailing, reportUri);
  } finally {
    state.close();
  }
  return { ...state.status, outcome, reportUri };
}

async function notify(state: RunState, ending: Ending, reportUri: string): Promise<void> {
  try {
    await ending.notify(reportUri);
  } catch (error) {
    if (isCancellation(error)) throw error;
    // The run's work is done and recorded; an unreachable webhook is reported, not turned into a failed run.
    state.status.warnings.push(`run summary not delivered: ${describeFailure(error)}`);
  }
}

/**
 * Runs the steps, then reports however they ended: a failed or cancelled run still writes its
 * report (not cancellable) and then fails with its own error.
 */
export async function runToEnd(state: RunState, ending: Ending, steps: () => Promise<Outcome>): Promise<PipelineResult> {
  let outcome: Outcome;
  try {
    outcome = await steps();
  } catch (error) {
    const cancelled = isCancellation(error);
    try {
      await CancellationScope.nonCancellable(() => finish(state, ending, cancelled ? 'cancelled' : 'failed', error));
    } catch (reportError) {
      // The run's own failure is what the caller needs; the report's is in the status and the log.
      log.error('report after failure not written', { error: describeFailure(reportError) });
    }
    throw error;
  }
  return finish(state, ending, outcome);
}

/** Counts how every run ended, a bad-params failure included. */
export async function counted(pipeline: string, run: () => Promise<PipelineResult>): Promise<PipelineResult> {
  countRunStarted(pipeline);
  try {
    const result = await run();
    countRunFinished(pipeline, result.outcome);
    return result;
  } catch (error) {
    countRunFinished(pipeline, isCancellation(error) ? 'cancelled' : 'failed');
    throw error;
  }
}
