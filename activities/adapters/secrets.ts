import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, sep } from 'node:path';
import { FAILURE_TYPES } from '../../contract/failureTypes';
import { PipelineError } from '../../contract/pipelineError';
import { isSecretRef, LocationSchema, secretNameOf, WebhookUrlSchema } from '../../contract/secrets';

/** A secret reference the worker cannot resolve: no file in the secrets folder, no variable. */
export class SecretNotFoundError extends PipelineError {
  override readonly name = 'SecretNotFoundError';
  constructor(
    readonly ref: string,
    readonly lookedIn: readonly string[],
  ) {
    super(FAILURE_TYPES.SecretNotFoundError, `secret ${ref} not found: looked for ${lookedIn.join(', then ')}`);
  }
}

/** A secret reference that cannot be used: a bad name, a file that is not a plain file of the folder, a value the field does not take. */
export class InvalidSecretError extends PipelineError {
  override readonly name = 'InvalidSecretError';
  constructor(
    readonly ref: string,
    reason: string,
  ) {
    super(FAILURE_TYPES.InvalidSecretError, `secret ${ref} ${reason}`);
  }
}

/** Turns `secret://NAME` into the value the worker holds for NAME. */
export interface SecretResolver {
  resolve(ref: string): Promise<string>;
}

export interface SecretStoreOptions {
  /** A folder with one file per secret, named as the secret (a Kubernetes Secret volume); looked in first. */
  readonly dir?: string;
  /** Where `MLP_SECRET_<NAME>` variables are read; the process environment by default. */
  readonly env?: NodeJS.ProcessEnv;
}

/** Largest secret file read: a URL or a token, not data. */
const MAX_SECRET_BYTES = 64 * 1024;

/** The environment variable of a secret: NAME upper-cased, "." and "-" as "_". */
export function secretEnvName(name: string): string {
  return `MLP_SECRET_${name.toUpperCase().replace(/[.-]/g, '_')}`;
}

/** A value as a secret file holds it: without the trailing line break editors and `kubectl create secret --from-file` leave. */
const trimValue = (raw: string): string => raw.replace(/(?:\r?\n)+$/, '');

function inside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

/**
 * Secrets from a folder (`SECRETS_DIR`), then from `MLP_SECRET_<NAME>` variables. A file must be a
 * regular file inside the folder; a symlink is followed only while it stays inside (a Kubernetes
 * Secret volume links each name to `..data/NAME`). Nothing is cached, so a rotated secret is used
 * at its next use. Errors name the reference and where it was looked for, never a value.
 */
export class SecretStore implements SecretResolver {
  private readonly dir?: string;
  private readonly env: NodeJS.ProcessEnv;

  constructor(options: SecretStoreOptions = {}) {
    this.dir = options.dir;
    this.env = options.env ?? process.env;
  }

  async resolve(ref: string): Promise<string> {
    const name = secretNameOf(ref);
    if (name === undefined) throw new InvalidSecretError(ref, 'is not a valid reference: secret://NAME, NAME of letters, digits, "_", "." or "-", starting with a letter or "_"');
    const lookedIn: string[] = [];
    if (this.dir !== undefined) {
      const fromFile = await this.fromFolder(ref, this.dir, name);
      if (fromFile !== undefined) return fromFile;
      lookedIn.push(`file ${JSON.stringify(name)} in SECRETS_DIR (${this.dir})`);
    }
    const variable = secretEnvName(name);
    const fromEnv = this.env[variable];
    if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
    lookedIn.push(`environment variable ${variable}`);
    throw new SecretNotFoundError(ref, lookedIn);
  }

  /** The file's value, or undefined when the folder has no such file. */
  private async fromFolder(ref: string, dir: string, name: string): Promise<string | undefined> {
    let root: string;
    let real: string;
    try {
      root = await realpath(dir);
      real = await realpath(join(root, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new InvalidSecretError(ref, `cannot be read from SECRETS_DIR: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    if (basename(name) !== name || !inside(root, real)) throw new InvalidSecretError(ref, 'leads outside SECRETS_DIR: refused');
    let handle;
    try {
      // Non-blocking: a FIFO in the folder must not hang the worker; it is refused below.
      handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (error) {
      throw new InvalidSecretError(ref, `cannot be read from SECRETS_DIR: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    try {
      const stats = await handle.stat();
      if (!stats.isFile()) throw new InvalidSecretError(ref, 'is not a regular file in SECRETS_DIR: refused');
      if (stats.size > MAX_SECRET_BYTES) throw new InvalidSecretError(ref, `is a file of ${stats.size} bytes in SECRETS_DIR, more than the ${MAX_SECRET_BYTES} a secret may have`);
      const value = trimValue(await handle.readFile('utf8'));
      if (value === '') throw new InvalidSecretError(ref, 'is an empty file in SECRETS_DIR');
      return value;
    } finally {
      await handle.close();
    }
  }
}

/** The secrets of a worker without SECRETS_DIR: `MLP_SECRET_<NAME>` variables only. */
export const environmentSecrets: SecretResolver = new SecretStore();

/** The rule a secret's value must pass for its field. */
export interface ExpectedValue {
  readonly schema: { safeParse(value: string): { readonly success: boolean } };
  readonly what: string;
}

/**
 * A param value as an activity uses it: a literal as it is, a reference resolved. `ref` is how
 * messages name a resolved value; `scrub` puts it back wherever the value (or a part of the URL
 * it holds) would show.
 */
export class ParamValue {
  private readonly fragments: readonly string[];

  private constructor(
    readonly value: string,
    readonly ref?: string,
  ) {
    this.fragments = ref === undefined ? [] : sensitiveParts(value);
  }

  /**
   * `param` as the step uses it. A resolved value must pass the rule a literal passed with the
   * params (`expected`); whatever the step checks next (data root, address policy) it checks alike.
   */
  static async of(param: string, secrets: SecretResolver | undefined, expected: ExpectedValue): Promise<ParamValue> {
    if (!isSecretRef(param)) return new ParamValue(param);
    const value = await (secrets ?? environmentSecrets).resolve(param);
    // A value is used as it is: another reference inside would only be read as a path.
    if (isSecretRef(value) || !expected.schema.safeParse(value).success) throw new InvalidSecretError(param, `does not hold ${expected.what}`);
    return new ParamValue(value, param);
  }

  /** A dataset source or a sensor marker. */
  static location(param: string, secrets: SecretResolver | undefined): Promise<ParamValue> {
    return ParamValue.of(param, secrets, { schema: LocationSchema, what: 'a data-root path, an http(s) URL or an s3:// URI (of at most 2048 characters)' });
  }

  static webhook(param: string, secrets: SecretResolver | undefined): Promise<ParamValue> {
    return ParamValue.of(param, secrets, { schema: WebhookUrlSchema, what: 'an http(s) URL, as a webhook must be' });
  }

  /** How messages name it: the reference when it is a secret, else the value. */
  get shown(): string {
    return this.ref ?? this.value;
  }

  scrub(text: string): string {
    if (this.ref === undefined) return text;
    let out = text;
    for (const fragment of this.fragments) out = out.split(fragment).join(this.ref);
    return out;
  }
}

/** Shorter fragments than this are not replaced: they would garble the message more than they hide. */
const MIN_FRAGMENT = 3;

/** The value and the parts of it that messages quote (an error names a URL's path, a file its base name), longest first. */
function sensitiveParts(value: string): string[] {
  const parts = new Set<string>([value]);
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url !== undefined) {
    const { href, origin, pathname, search, hash, username, password } = url;
    for (const part of [href, `${origin}${pathname}${search}`, `${origin}${pathname}`, `${pathname}${search}`, pathname, search, hash, username, password]) {
      if (part !== '/') parts.add(part);
      try {
        parts.add(decodeURIComponent(part));
      } catch {
        // Not percent-encoded text: the raw part is enough.
      }
    }
  } else {
    parts.add(basename(value));
  }
  return [...parts].filter((p) => p.length >= MIN_FRAGMENT).sort((a, b) => b.length - a.length);
}

/** Every string an error carries (message, stack, own fields such as a URL), and its causes', with `scrub` applied. */
export function scrubError<E>(error: E, scrub: (text: string) => string, seen = new Set<unknown>()): E {
  if (!(error instanceof Error) || seen.has(error)) return error;
  seen.add(error);
  for (const key of Object.getOwnPropertyNames(error)) {
    const value = (error as unknown as Record<string, unknown>)[key];
    if (typeof value === 'string') {
      const clean = scrub(value);
      if (clean !== value) Object.defineProperty(error, key, { value: clean, writable: true, configurable: true, enumerable: Object.prototype.propertyIsEnumerable.call(error, key) });
    } else if (key === 'cause' || value instanceof Error) {
      scrubError(value, scrub, seen);
    }
  }
  return error;
}

/** Runs `body` with the values resolved; an error it throws names the references instead of the values. */
export async function usingSecrets<T>(values: readonly ParamValue[], body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    const secret = values.filter((v) => v.ref !== undefined);
    if (secret.length === 0) throw error;
    throw scrubError(error, (text) => secret.reduce((t, v) => v.scrub(t), text));
  }
}
