import { FAILURE_TYPES } from '../contract/failureTypes';
import { PipelineError } from '../contract/pipelineError';

/**
 * A system error that the same input raises again on every attempt: a source that is a directory,
 * a name too long for the file system, a host no resolver knows, a table too large for one array.
 * Retrying these only delays the answer (they used to be retried five times with the bare errno).
 */
export class UnusableInputError extends PipelineError {
  override readonly name = 'UnusableInputError';
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(FAILURE_TYPES.UnusableInputError, message);
  }
}

interface SystemError extends Error {
  readonly code?: string;
  readonly path?: string;
  readonly hostname?: string;
}

const where = (error: SystemError): string => (error.path === undefined ? '' : `${error.path}: `);

/** `error` as a permanent failure with a message naming the problem, or undefined when a retry may help. */
export function fromSystemError(error: unknown): UnusableInputError | undefined {
  if (!(error instanceof Error)) return undefined;
  const e = error as SystemError;
  // fetch() wraps the resolver's error as its cause.
  const cause: SystemError | undefined = e.cause instanceof Error ? e.cause : undefined;
  const code = e.code ?? cause?.code;
  switch (code) {
    case 'EISDIR':
      return new UnusableInputError('EISDIR', `${where(e)}is a directory, not a file: name a file (or an archive) as the source`);
    case 'ENAMETOOLONG':
      return new UnusableInputError('ENAMETOOLONG', `${where(e)}the file name is too long for the file system`);
    case 'ENOTFOUND': {
      const host = e.hostname ?? cause?.hostname ?? 'the host';
      return new UnusableInputError('ENOTFOUND', `${host} does not resolve (DNS: no such host): check the URL's host name`);
    }
  }
  const tooLarge = code === 'ERR_BUFFER_TOO_LARGE' || code === 'ERR_STRING_TOO_LONG' || /invalid (?:array|array buffer|string|typed array) length|array buffer allocation failed/i.test(error.message);
  if (error instanceof RangeError && tooLarge) {
    return new UnusableInputError('RangeError', `the data is too large to hold in memory (${error.message}): reduce the dataset (a table over 2 GiB cannot be one buffer)`);
  }
  return undefined;
}
