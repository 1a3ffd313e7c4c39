import { CancellationScope, isCancellation, log } from '@temporalio/workflow';
import { describeFailure } from '../contract/failures';
import { type Outcome, type PipelineParams, type PipelineResult, type PipelineStatus, type RunRef } from '../contract';
import type { NotifyInput, ReportResult } from '../activities';
import { emailRunFinished, type Mailing } from './email';
import { countRunFinished, countRunStarted } from './metrics';
import { type RunState } from './runState';

/** The params both workflows end with: where the run summary goes. */
interface Notified {
  readonly notifications: PipelineParams['notifications'];
}

/** The steps a run of either workflow ends with: its report, then the run summary by webhook and email. */
export interface ClosingSteps<P> extends Mailing {
  report(input: { run: RunRef; status: PipelineStatus; params: P }): Promise<ReportResult>;
  notify(input: NotifyInput): Promise<void>;
}

/** Runs once the run has concluded, before its report (training runs: the tracking record). */
export type BeforeReport = () => Promise<void>;

/** Writes the report (and sends the run summary) for whatever way the run ended. */
async function finish<P extends Notified>(state: RunState, params: P, steps: ClosingSteps<P>, outcome: Outcome, error?: unknown, beforeReport?: BeforeReport): Promise<PipelineResult> {
  state.conclude(outcome, error);
  let reportUri: string;
  try {
    await beforeReport?.();
    const written = await state.step('report', () => steps.report({ run: state.run, status: state.status, params }), () => 'report written');
    reportUri = written.html.uri;
    state.artifact('report', reportUri);
    if (params.notifications.webhooks.length > 0) await notify(state, params, steps, reportUri);
    await emailRunFinished(state, params.notifications.email, steps, reportUri);
  } finally {
    state.close();
  }
  return { ...state.status, outcome, reportUri };
}

async function notify<P extends Notified>(state: RunState, params: P, steps: ClosingSteps<P>, reportUri: string): Promise<void> {
  try {
    await steps.notify({ run: state.run, status: state.status, reportUri, webhooks: params.notifications.webhooks });
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
export async function runToEnd<P extends Notified>(
  state: RunState,
  params: P,
  steps: ClosingSteps<P>,
  body: () => Promise<Outcome>,
  beforeReport?: BeforeReport,
): Promise<PipelineResult> {
  let outcome: Outcome;
  try {
    outcome = await body();
  } catch (error) {
    const cancelled = isCancellation(error);
    try {
      await CancellationScope.nonCancellable(() => finish(state, params, steps, cancelled ? 'cancelled' : 'failed', error, beforeReport));
    } catch (reportError) {
      // The run's own failure is what the caller needs; the report's is in the status and the log.
      log.error('report after failure not written', { error: describeFailure(reportError) });
    }
    throw error;
  }
  return finish(state, params, steps, outcome, undefined, beforeReport);
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
