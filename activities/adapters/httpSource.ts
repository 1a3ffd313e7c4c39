import { saveToFile, type Measured } from '../../storage/streams';
import { parseHttpUrl, safeRequest, type FailureFactory, type HttpPolicy } from './safeHttp';
import { FAILURE_TYPES } from '../../contract/failureTypes';
import { PipelineError } from '../../contract/pipelineError';

export type { HttpPolicy };

/** An http(s) source answered badly. Not retryable when asking again cannot help (4xx, too big, bad URL). */
export class HttpSourceError extends PipelineError {
  override readonly name = 'HttpSourceError';
  constructor(
    message: string,
    retryable: boolean,
    readonly status?: number,
  ) {
    super(FAILURE_TYPES.HttpSourceError, message, { retryable });
  }
}

/** Sources and markers follow at most this many redirects; each target is checked like the first URL. */
const MAX_REDIRECTS = 5;

const sourceError: FailureFactory = (message, retryable, status) => new HttpSourceError(message, retryable, status);

export function isHttpUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/** Checks a source URL without requesting it: a bad or non-http URL is refused before any I/O. */
export function checkHttpUrl(source: string): URL {
  return parseHttpUrl(source, sourceError);
}

function statusError(method: string, url: URL, status: number): HttpSourceError {
  const retryable = status >= 500 || status === 408 || status === 429;
  return new HttpSourceError(`${method} ${url.origin}${url.pathname} answered ${status}`, retryable, status);
}

/**
 * Downloads a URL into `path`, a file the caller names (never a name from the response), refusing
 * more than `maxBytes` whether declared up front or while the body streams in.
 */
export async function downloadToFile(source: string, path: string, policy: HttpPolicy, signal?: AbortSignal): Promise<Measured> {
  const response = await safeRequest(source, { method: 'GET', maxRedirects: MAX_REDIRECTS }, policy, signal, sourceError);
  const { url, status } = response;
  if (status < 200 || status >= 300) {
    response.discard();
    throw statusError('GET', url, status);
  }
  const declared = Number(response.headers['content-length'] ?? NaN);
  if (declared > policy.maxBytes) {
    // Refused unread: hang up instead of leaving the download running.
    response.discard();
    throw new HttpSourceError(`${url.pathname} is ${declared} bytes, more than the ${policy.maxBytes} allowed`, false);
  }
  return saveToFile(response.body(), path, {
    maxBytes: policy.maxBytes,
    tooBig: () => new HttpSourceError(`${url.pathname} exceeds the ${policy.maxBytes} bytes allowed`, false),
  });
}

export interface HttpMarker {
  readonly exists: boolean;
  /** The Last-Modified header, when the server sent a valid one. */
  readonly lastModified?: Date;
}

/** HEAD on a marker URL: 2xx exists, 404/410 does not, anything else is an error (retryable for 5xx, 408, 429). */
export async function headMarker(source: string, policy: HttpPolicy, signal?: AbortSignal): Promise<HttpMarker> {
  const response = await safeRequest(source, { method: 'HEAD', maxRedirects: MAX_REDIRECTS }, policy, signal, sourceError);
  response.discard();
  if (response.status === 404 || response.status === 410) return { exists: false };
  if (response.status < 200 || response.status >= 300) throw statusError('HEAD', response.url, response.status);
  const header = response.headers['last-modified'];
  const lastModified = header === undefined ? undefined : new Date(header);
  return { exists: true, lastModified: lastModified && !Number.isNaN(lastModified.getTime()) ? lastModified : undefined };
}
