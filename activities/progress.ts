import { activityInfo, getClient, log } from '@temporalio/activity';
import { stepProgressSignal, type StepName, type StepProgress } from '../contract';
import { type Clock } from './deps';
import { beat } from './heartbeat';

/**
 * Progress of one activity attempt. Every report heartbeats (cheap, throttled by the SDK); a
 * `stepProgress` signal reaches the workflow's `status` query at most once per interval, and at
 * once when a retry starts, so short first attempts add nothing to the history.
 */
export class StepReporter {
  private lastSignalAt: number;

  constructor(
    private readonly step: StepName,
    private readonly clock: Clock,
    private readonly intervalMs: number,
  ) {
    this.lastSignalAt = clock.now().getTime();
  }

  get attempt(): number {
    return activityInfo().attempt;
  }

  async started(): Promise<void> {
    if (this.attempt > 1) await this.signal({ message: `attempt ${this.attempt}` });
  }

  async report(progress: StepProgress, details?: unknown): Promise<void> {
    beat(details ?? progress);
    const now = this.clock.now().getTime();
    if (now - this.lastSignalAt < this.intervalMs) return;
    this.lastSignalAt = now;
    await this.signal(progress);
  }

  private async signal(progress: StepProgress): Promise<void> {
    const { workflowExecution, isLocal } = activityInfo();
    // A local step runs inside its workflow's task: a signal to that workflow meanwhile makes the task's
    // completion fail (UnhandledCommand) and the step run again, signalling again, for ever. Local steps
    // are small-data steps of milliseconds; their attempts reach the status when they end.
    if (!workflowExecution || isLocal) return;
    try {
      await getClient()
        .workflow.getHandle(workflowExecution.workflowId, workflowExecution.runId)
        .signal(stepProgressSignal, { step: this.step, attempt: this.attempt, progress });
    } catch (error) {
      // Progress is advisory: losing one update must not fail the step that is doing the real work.
      log.warn('progress signal not delivered', { step: this.step, error: String(error) });
    }
  }
}
