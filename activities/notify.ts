import { runStep } from './failures';
import { type ActivityDeps } from './deps';
import { composeEmail } from './emailMessage';
import { type Notification } from './adapters/notifier';
import { ParamValue, usingSecrets } from './adapters/secrets';
import { type AlertInput, type EmailAlertInput, type EmailResult, type EmailRunFinishedInput, type NotifyInput } from './types';

type RunFinished = Omit<NotifyInput, 'webhooks'>;
type Alert = Omit<AlertInput, 'webhooks'>;

/** A retrain alert (the model missed the deploy gate, or drift asks for retraining) or a drift alert. */
function alertNotification(input: Alert): Notification {
  const kind = input.kind ?? 'retrain_alert';
  const what = kind === 'drift_alert' ? 'drift alert' : 'retrain alert';
  return { kind, ...input.run, title: `${what} for ${input.run.pipeline}: ${input.reason}`, details: input.details };
}

/** The end-of-run summary with a link to the report; a failed run names its failed step. */
function runFinishedNotification(input: RunFinished): Notification {
  const { status } = input;
  const failed = status.outcome === 'failed';
  return {
    kind: failed ? 'run_failed' : 'run_succeeded',
    ...input.run,
    title: `${input.run.pipeline} finished: ${status.outcome ?? status.stage}`,
    details: {
      outcome: status.outcome,
      failedStep: failed ? status.steps.find((s) => s.state === 'failed')?.name : undefined,
      error: status.error,
      metrics: status.metrics,
      decision: status.decision,
      modelVersion: status.modelVersion,
      report: input.reportUri,
    },
  };
}

export const NO_SMTP_NOTE = 'the worker has no SMTP server configured (SMTP_URL or SMTP_HOST)';

export function createNotifyActivities(deps: ActivityDeps) {
  /**
   * Delivers to every webhook whose URL resolves (secret ones resolved now); a webhook that does
   * not resolve fails the step once the others are served. Messages name a secret webhook by its
   * reference, never its URL.
   */
  async function deliver(notification: Notification, webhooks: readonly string[]): Promise<void> {
    const resolved = await Promise.allSettled(webhooks.map((url) => ParamValue.webhook(url, deps.secrets)));
    const usable = resolved.filter((r): r is PromiseFulfilledResult<ParamValue> => r.status === 'fulfilled').map((r) => r.value);
    await usingSecrets(usable, () => deps.notifier.notify(notification, usable.map((u) => u.value)));
    const unresolved = resolved.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (unresolved) throw unresolved.reason;
  }

  async function alert(input: AlertInput): Promise<void> {
    return runStep(() => deliver(alertNotification(input), input.webhooks));
  }

  async function notifyRunFinished(input: NotifyInput): Promise<void> {
    return runStep(() => deliver(runFinishedNotification(input), input.webhooks));
  }

  /** Any notification by email (drift alerts come this way); unsent, not failed, without SMTP. */
  async function sendEmail(input: { notification: Notification; to: string[] }): Promise<EmailResult> {
    const { mailer } = deps;
    if (mailer === undefined) return { sent: false, note: NO_SMTP_NOTE };
    await runStep(() => mailer.send(composeEmail(input.notification, input.to)));
    return { sent: true };
  }

  async function emailAlert(input: EmailAlertInput): Promise<EmailResult> {
    return sendEmail({ notification: alertNotification(input), to: input.to });
  }

  async function emailRunFinished(input: EmailRunFinishedInput): Promise<EmailResult> {
    return sendEmail({ notification: runFinishedNotification(input), to: input.to });
  }

  return { alert, notifyRunFinished, sendEmail, emailAlert, emailRunFinished };
}
