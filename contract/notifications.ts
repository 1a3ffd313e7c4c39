import { z } from 'zod';

/** What a notification is about: the same kinds go to webhooks (as `kind`) and to email. */
export const NOTIFICATION_KINDS = ['run_succeeded', 'run_failed', 'retrain_alert', 'drift_alert'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Bounded: every recipient is one more RCPT TO on the worker's mail server. */
export const MAX_EMAIL_RECIPIENTS = 20;

export const EmailNotificationsSchema = z
  .strictObject({
    to: z
      .array(z.email())
      .max(MAX_EMAIL_RECIPIENTS)
      .default([])
      .describe('Addresses that receive the run\'s emails (none by default); the worker must have SMTP configured.'),
    on: z
      .array(z.enum(NOTIFICATION_KINDS))
      .min(1)
      .max(NOTIFICATION_KINDS.length)
      .default([...NOTIFICATION_KINDS])
      .transform((kinds) => [...new Set(kinds)])
      .describe('Which events are mailed (all by default).'),
  })
  .describe('Email notifications of this run, sent through the worker\'s SMTP server.');
export type EmailNotifications = z.infer<typeof EmailNotificationsSchema>;
