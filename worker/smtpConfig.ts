import { z } from 'zod';
import { type SmtpSettings } from '../activities';

const TLS_MODES = ['implicit', 'starttls', 'none'] as const;

/** The SMTP variables of the worker; all optional: a worker without them sends no email. */
export const SMTP_ENV = {
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'expected an smtp:// or smtps:// URL' }).optional(),
  SMTP_HOST: z.string().min(1).optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASSWORD: z.string().min(1).optional(),
  SMTP_TLS: z.enum(TLS_MODES).optional(),
  SMTP_FROM: z.email().optional(),
  SMTP_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
};

type SmtpEnv = z.infer<z.ZodObject<typeof SMTP_ENV>>;

const DEFAULT_PORT = { implicit: 465, starttls: 587, none: 25 } as const;

/** One combination only: a URL, or a host with its parts; a sender with either. Issues name the variable. */
export function checkSmtpEnv(e: SmtpEnv, ctx: z.RefinementCtx): void {
  const issue = (variable: string, message: string) => ctx.addIssue({ code: 'custom', path: [variable], message });
  const parts = (['SMTP_PORT', 'SMTP_USER', 'SMTP_PASSWORD', 'SMTP_TLS'] as const).filter((k) => e[k] !== undefined);
  if (e.SMTP_URL !== undefined && e.SMTP_HOST !== undefined) issue('SMTP_HOST', 'set SMTP_URL or SMTP_HOST, not both');
  if (e.SMTP_URL !== undefined) parts.forEach((k) => issue(k, 'not used with SMTP_URL (put it in the URL)'));
  if (e.SMTP_URL === undefined && e.SMTP_HOST === undefined) parts.forEach((k) => issue(k, 'set without SMTP_HOST'));
  if ((e.SMTP_USER === undefined) !== (e.SMTP_PASSWORD === undefined)) issue(e.SMTP_USER === undefined ? 'SMTP_USER' : 'SMTP_PASSWORD', 'SMTP_USER and SMTP_PASSWORD go together');
  const configured = e.SMTP_URL !== undefined || e.SMTP_HOST !== undefined;
  if (configured && e.SMTP_FROM === undefined) issue('SMTP_FROM', 'required with SMTP_URL or SMTP_HOST (the sender address)');
  if (!configured && e.SMTP_FROM !== undefined) issue('SMTP_FROM', 'set without SMTP_URL or SMTP_HOST');
}

/** The mailer's settings, or undefined when the worker has no SMTP server. Call after checkSmtpEnv passed. */
export function smtpSettings(e: SmtpEnv): SmtpSettings | undefined {
  if (e.SMTP_FROM === undefined) return undefined;
  const timeoutMs = e.SMTP_TIMEOUT_MS;
  if (e.SMTP_URL !== undefined) return { url: e.SMTP_URL, from: e.SMTP_FROM, timeoutMs };
  const tls = e.SMTP_TLS ?? 'starttls';
  return { host: e.SMTP_HOST, port: e.SMTP_PORT ?? DEFAULT_PORT[tls], tls, user: e.SMTP_USER, password: e.SMTP_PASSWORD, from: e.SMTP_FROM, timeoutMs };
}
