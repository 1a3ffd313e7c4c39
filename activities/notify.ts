import { runStep } from './failures';
import { type ActivityDeps } from './deps';
import { type AlertInput, type NotifyInput } from './types';

export function createNotifyActivities(deps: ActivityDeps) {
  /** The retrain alert: the model did not reach the deploy gate. */
  async function alert(input: AlertInput): Promise<void> {
    return runStep(() =>
      deps.notifier.notify(
        { kind: 'retrain_alert', ...input.run, title: `retrain alert for ${input.run.pipeline}: ${input.reason}`, details: input.details },
        input.webhooks,
      ),
    );
  }

  /** The end-of-run summary with a link to the report. */
  async function notifyRunFinished(input: NotifyInput): Promise<void> {
    const { status } = input;
    return runStep(() =>
      deps.notifier.notify(
        {
          kind: 'run_finished',
          ...input.run,
          title: `${input.run.pipeline} finished: ${status.outcome ?? status.stage}`,
          details: {
            outcome: status.outcome,
            metrics: status.metrics,
            decision: status.decision,
            modelVersion: status.modelVersion,
            report: input.reportUri,
            error: status.error,
          },
        },
        input.webhooks,
      ),
    );
  }

  return { alert, notifyRunFinished };
}
