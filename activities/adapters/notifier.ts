import { safeRequest, type FailureFactory, type HttpPolicy } from './safeHttp';
import { FAILURE_TYPES } from '../../contract/failureTypes';
import { PipelineError } from '../../contract/pipelineError';
import { type NotificationKind } from '../../contract/notifications';

/** A message for people: alerts and end-of-run summaries, to webhooks and by email. */
export interface Notification {
  readonly kind: NotificationKind;
  readonly pipeline: string;
  readonly workflowId: string;
  readonly runId: string;
  readonly title: string;
  readonly details: Record<string, unknown>;
}

export interface Notifier {
  notify(notification: Notification, webhooks: readonly string[]): Promise<void>;
}

export class WebhookDeliveryError extends PipelineError {
  override readonly name = 'WebhookDeliveryError';
  constructor(
    readonly url: string,
    reason: string,
    retryable: boolean,
  ) {
    super(FAILURE_TYPES.WebhookDeliveryError, `webhook ${url} failed: ${reason}`, { retryable });
  }
}

export type NotificationLogger = (message: string, attrs: Record<string, unknown>) => void;

/**
 * Logs every notification and POSTs it as JSON to each webhook; any failed delivery throws.
 * Webhook URLs come from run parameters, so they pass the same address checks as sources, and a
 * redirect is not followed (a 3xx is a failed delivery): a POST must not be re-aimed elsewhere.
 */
export class WebhookNotifier implements Notifier {
  constructor(
    private readonly log: NotificationLogger,
    private readonly policy: Pick<HttpPolicy, 'timeoutMs' | 'allow'>,
  ) {}

  async notify(notification: Notification, webhooks: readonly string[]): Promise<void> {
    this.log(notification.title, { ...notification });
    const body = JSON.stringify(notification);
    const results = await Promise.allSettled(webhooks.map((url) => this.post(url, body)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private async post(url: string, body: string): Promise<void> {
    const fail: FailureFactory = (reason, retryable) => new WebhookDeliveryError(url, reason, retryable);
    let response;
    try {
      response = await safeRequest(
        url,
        { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }, body, maxRedirects: 0 },
        this.policy,
        undefined,
        fail,
      );
    } catch (error) {
      if (error instanceof WebhookDeliveryError) throw error;
      // A refused address: not retryable, and named for what it is.
      throw new WebhookDeliveryError(url, (error as Error).message, false);
    }
    response.discard();
    const { status } = response;
    if (status < 200 || status >= 300) throw new WebhookDeliveryError(url, `answered ${status}`, status >= 500 || status === 429);
  }
}
