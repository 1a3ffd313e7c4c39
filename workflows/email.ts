import { isCancellation } from '@temporalio/workflow';
import { describeFailure } from '../contract/failures';
import { type EmailNotifications, type NotificationKind } from '../contract';
import type { AlertInput, EmailResult } from '../activities';
import { type PipelineSteps } from './steps';

/** The two email activities, from either workflow's steps. */
export type Mailing = Pick<PipelineSteps, 'emailAlert' | 'emailRunFinished'>;
import { type RunState } from './runState';

/** Emails go out only when the run lists recipients and the event: runs without email add no commands. */
function wanted(email: EmailNotifications, kind: NotificationKind): boolean {
  return email.to.length > 0 && email.on.includes(kind);
}

/** An email that did not leave (no SMTP, or the server stayed unreachable) is a warning, never a failed run. */
async function mail(state: RunState, what: string, send: () => Promise<EmailResult>): Promise<void> {
  try {
    const result = await send();
    if (!result.sent) state.status.warnings.push(`${what} not emailed: ${result.note ?? 'not sent'}`);
  } catch (error) {
    if (isCancellation(error)) throw error;
    state.status.warnings.push(`${what} not emailed: ${describeFailure(error)}`);
  }
}

export async function emailAlert(state: RunState, email: EmailNotifications, steps: Mailing, alert: Omit<AlertInput, 'webhooks'>): Promise<void> {
  const kind = alert.kind ?? 'retrain_alert';
  if (!wanted(email, kind)) return;
  await mail(state, kind === 'drift_alert' ? 'drift alert' : 'retrain alert', () => steps.emailAlert({ ...alert, to: email.to }));
}

/** After the report: the mail links it. A cancelled run is mailed as neither success nor failure. */
export async function emailRunFinished(state: RunState, email: EmailNotifications, steps: Mailing, reportUri: string): Promise<void> {
  const { outcome } = state.status;
  if (outcome === 'cancelled') return;
  if (!wanted(email, outcome === 'failed' ? 'run_failed' : 'run_succeeded')) return;
  await mail(state, 'run summary', () => steps.emailRunFinished({ run: state.run, status: state.status, reportUri, to: email.to }));
}
