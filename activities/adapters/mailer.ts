import nodemailer from 'nodemailer';
import { FAILURE_TYPES } from '../../contract/failureTypes';
import { PipelineError } from '../../contract/pipelineError';

/** Where mail goes: the worker's SMTP server, from its configuration (worker/config.ts). */
export interface SmtpSettings {
  /** `smtp://` or `smtps://`, credentials in the user-info; or the parts below. */
  readonly url?: string;
  readonly host?: string;
  readonly port?: number;
  /** implicit: TLS from the first byte; starttls: STARTTLS required; none: plain text (a local relay). */
  readonly tls?: 'implicit' | 'starttls' | 'none';
  readonly user?: string;
  readonly password?: string;
  readonly from: string;
  /** Bounds connecting, the greeting and each socket wait. */
  readonly timeoutMs: number;
}

export interface EmailMessage {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export interface Mailer {
  send(message: EmailMessage): Promise<void>;
}

export class EmailDeliveryError extends PipelineError {
  override readonly name = 'EmailDeliveryError';
  constructor(reason: string, retryable: boolean) {
    super(FAILURE_TYPES.EmailDeliveryError, `email not sent: ${reason}`, { retryable });
  }
}

interface SmtpFailure {
  readonly code?: string;
  readonly responseCode?: number;
  readonly message: string;
}

/** A permanent answer (5xx) or refused credentials will not change on a retry; the rest may. */
export function emailFailure(error: SmtpFailure): EmailDeliveryError {
  const permanent = error.code === 'EAUTH' || (error.responseCode !== undefined && error.responseCode >= 500);
  return new EmailDeliveryError(error.message, !permanent);
}

function transportOptions(s: SmtpSettings) {
  const timeouts = { connectionTimeout: s.timeoutMs, greetingTimeout: s.timeoutMs, socketTimeout: s.timeoutMs };
  if (s.url !== undefined) return { url: s.url, ...timeouts };
  return {
    host: s.host,
    port: s.port,
    secure: s.tls === 'implicit',
    requireTLS: s.tls === 'starttls',
    ignoreTLS: s.tls === 'none',
    auth: s.user === undefined ? undefined : { user: s.user, pass: s.password },
    ...timeouts,
  };
}

/** One transport per worker; each message opens its own connection, so a restarted mail server is no stale socket. */
export class SmtpMailer implements Mailer {
  private readonly transport;

  constructor(private readonly settings: SmtpSettings) {
    this.transport = nodemailer.createTransport(transportOptions(settings));
  }

  async send(message: EmailMessage): Promise<void> {
    let info;
    try {
      info = await this.transport.sendMail({ from: this.settings.from, to: [...message.to], subject: message.subject, text: message.text, html: message.html });
    } catch (error) {
      throw emailFailure(error as SmtpFailure);
    }
    // Some recipients refused while others took it: a retry would mail the others twice.
    if (info.rejected.length > 0) throw new EmailDeliveryError(`${info.rejected.length} recipient(s) refused by the mail server`, false);
  }

  close(): void {
    this.transport.close();
  }
}
