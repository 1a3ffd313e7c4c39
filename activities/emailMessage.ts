import { escapeHtml } from './report/document';
import { type Notification } from './adapters/notifier';
import { type EmailMessage } from './adapters/mailer';

const OUTCOME: Record<Notification['kind'], string> = {
  run_succeeded: 'succeeded',
  run_failed: 'FAILED',
  retrain_alert: 'retrain alert',
  drift_alert: 'drift alert',
};

const show = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** One line per detail; nested objects (metrics, the decision) become `name.key: value` lines. */
function flatten(details: Record<string, unknown>, prefix = ''): [string, string][] {
  return Object.entries(details).flatMap(([key, value]): [string, string][] => {
    if (value === undefined || value === null) return [];
    const name = prefix + key;
    if (typeof value === 'object' && !Array.isArray(value)) return flatten(value as Record<string, unknown>, `${name}.`);
    if (typeof value === 'number') return [[name, Number.isInteger(value) ? String(value) : value.toFixed(4)]];
    return [[name, Array.isArray(value) ? value.map(show).join(', ') : show(value)]];
  });
}

/**
 * Subject, plain text and HTML of one notification. Every value may come from a user (pipeline
 * names, error messages, column names), so the HTML part escapes each one and links only an
 * http(s) or file report URI.
 */
export function composeEmail(notification: Notification, to: readonly string[]): EmailMessage {
  const { pipeline, workflowId, runId, title, details } = notification;
  const outcome = OUTCOME[notification.kind];
  const subject = `[${pipeline}] ${outcome}: ${title}`.replace(/[\r\n]+/g, ' ').slice(0, 200);
  const report = typeof details.report === 'string' ? details.report : undefined;
  const lines = flatten({ pipeline, outcome, ...details, workflowId, runId });
  const text = [title, '', ...lines.map(([k, v]) => `${k}: ${v}`), ''].join('\n');
  const rows = lines.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('');
  const link = report !== undefined && /^(https?|file):/.test(report) ? `<p><a href="${escapeHtml(report)}">Open the report</a></p>` : '';
  const html = `<!doctype html><html><body><h1>${escapeHtml(title)}</h1><table>${rows}</table>${link}</body></html>`;
  return { to, subject, text, html };
}
