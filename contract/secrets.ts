import { z } from 'zod';

/**
 * Secret references in run params: a URL that carries credentials (a webhook, a dataset source, a
 * sensor marker) can be named instead of written, as `{"secretRef": "NAME"}` or `secret://NAME`.
 * The params only ever hold the reference (`secret://NAME`): the worker resolves it when an
 * activity uses the URL, so the value never reaches the history, the memo, the API or a report.
 */

export const SECRET_REF_PREFIX = 'secret://';

/** A secret's name: a file name in the secrets folder, and the suffix of an environment variable. */
export const SECRET_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/;

const NAME_RULE = 'a secret name is 1 to 128 letters, digits, "_", "." or "-", starting with a letter or "_"';

/** Whether a param value is a secret reference (`secret://NAME`), whatever its name. */
export function isSecretRef(value: string): boolean {
  return value.startsWith(SECRET_REF_PREFIX);
}

/** The name a reference points at, or undefined when `value` is no valid reference. */
export function secretNameOf(value: string): string | undefined {
  if (!isSecretRef(value)) return undefined;
  const name = value.slice(SECRET_REF_PREFIX.length);
  return SECRET_NAME_PATTERN.test(name) ? name : undefined;
}

export function secretRefTo(name: string): string {
  return `${SECRET_REF_PREFIX}${name}`;
}

const SecretRefObjectSchema = z
  .strictObject({
    secretRef: z.string().regex(SECRET_NAME_PATTERN, NAME_RULE).describe('The name of a secret the worker holds (see "Secrets in params").'),
  })
  .transform(({ secretRef }) => secretRefTo(secretRef));

/** A `secret://NAME` string needs a valid name; any other string is left to `literal`. */
function checkLiteralOrRef(literal: z.ZodType<string>) {
  return (value: string, ctx: z.RefinementCtx): void => {
    if (isSecretRef(value)) {
      if (secretNameOf(value) === undefined) ctx.addIssue({ code: 'custom', message: `invalid secret reference: ${NAME_RULE}` });
      return;
    }
    const parsed = literal.safeParse(value);
    if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  };
}

/**
 * A string field that may also name a secret: the literal value as `literal` takes it, the string
 * `secret://NAME`, or `{"secretRef": "NAME"}`, which becomes that string. The output is a string
 * either way.
 */
export function orSecretRef(literal: z.ZodType<string>, maxLength: number) {
  return z.union([z.string().min(1).max(maxLength).superRefine(checkLiteralOrRef(literal)), SecretRefObjectSchema]);
}

export const SECRET_REF_HELP = 'Instead of the value, a secret the worker holds may be named: {"secretRef": "NAME"} or "secret://NAME" (the params then only ever show secret://NAME).';

/** What a webhook secret must resolve to: the same rule as a literal webhook. */
export const WebhookUrlSchema = z.url({ protocol: /^https?$/ });
/** What a source or marker secret must resolve to: the same rule as a literal one. */
export const LOCATION_MAX_LENGTH = 2048;
export const LocationSchema = z.string().min(1).max(LOCATION_MAX_LENGTH);
