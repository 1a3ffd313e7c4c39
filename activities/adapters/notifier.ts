import { type HttpLimits } from './httpSource';

/** A message for people: retrain alerts and end-of-run summaries. */
export interface Notification {
  readonly kind: 'retrain_alert' | 'run_finished';
  readonly pipeline: string;
  readonly workflowId: string;
  readonly runId: string;
  readonly title: string;
  readonly details: Record<string, unknown>;
}

export interface Notifier {
  notify(notification: Notification, webhooks: readonly string[]): Promise<void>;
}

export class WebhookDeliveryError extends Error {
  override readonly name = 'WebhookDeliveryError';
  constructor(
    readonly url: string,
    reason: string,
    readonly retryable: boolean,
  ) {
    super(`webhook ${url} failed: ${reason}`);
  }
}

export type NotificationLogger = (message: string, attrs: Record<string, unknown>) => void;

/** Logs every notification and POSTs it as JSON to each webhook; any failed delivery throws. */
export class WebhookNotifier implements Notifier {
  constructor(
    private readonly log: NotificationLogger,
    private readonly limits: Pick<HttpLimits, 'timeoutMs'>,
  ) {}

  async notify(notification: Notification, webhooks: readonly string[]): Promise<void> {
    this.log(notification.title, { ...notification });
    const body = JSON.stringify(notification);
    const results = await Promise.allSettled(webhooks.map((url) => this.post(url, body)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private async post(url: string, body: string): Promise<void> {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(this.limits.timeoutMs),
      });
    } catch (error) {
      throw new WebhookDeliveryError(url, String((error as Error).cause ?? error), true);
    }
    await response.body?.cancel();
    if (!response.ok) throw new WebhookDeliveryError(url, `answered ${response.status}`, response.status >= 500 || response.status === 429);
  }
}
