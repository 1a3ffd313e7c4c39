/**
 * Redaction of credentials in URLs wherever the product echoes one (API answers, reports): the
 * user-info (`user:pass@`) and the values of credential-like query parameters (`token`, `key`,
 * `secret`, `password`, `signature`, presigned S3 `X-Amz-*` credentials...). The URL keeps its
 * shape so a reader still sees where it points.
 */

export const REDACTED = '***';

const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;
const CREDENTIAL_PARAM = /(token|key|secret|passw(or)?d|pwd|signature|sig|credential|auth|session)/i;

/** The URL with its user-info and credential-like query values replaced; text that does not parse as a URL is kept. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Not a URL after all (e.g. a scheme-like word in a message): nothing to redact.
    return url;
  }
  let changed = false;
  if (parsed.username || parsed.password) {
    parsed.username = parsed.username ? REDACTED : '';
    if (parsed.password) parsed.password = REDACTED;
    changed = true;
  }
  for (const name of [...parsed.searchParams.keys()]) {
    if (CREDENTIAL_PARAM.test(name)) {
      parsed.searchParams.set(name, REDACTED);
      changed = true;
    }
  }
  return changed ? parsed.toString() : url;
}

/** Every URL inside a text (an error message, a warning) redacted. */
export function redactText(text: string): string {
  // Punctuation that ends a sentence is not part of the URL before it.
  return text.replace(URL_IN_TEXT, (match) => {
    const url = match.replace(/[.,:;!?)\]]+$/, '');
    return redactUrl(url) + match.slice(url.length);
  });
}

/** A JSON-like value with every string redacted; objects and arrays are copied, never changed in place. */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => redactDeep(v)) as T;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v)])) as T;
  }
  return value;
}
