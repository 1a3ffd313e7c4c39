export interface HttpLimits {
  readonly timeoutMs: number;
  readonly maxBytes: number;
}

/** An http(s) source answered badly. `retryable` is false when asking again cannot help (4xx, too big, bad URL). */
export class HttpSourceError extends Error {
  override readonly name = 'HttpSourceError';
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
  }
}

export function isHttpUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

function parseHttpUrl(source: string): URL {
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    throw new HttpSourceError(`not a valid URL: ${source}`, false);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new HttpSourceError(`only http and https URLs are allowed, got ${url.protocol}`, false);
  return url;
}

function statusError(url: URL, status: number): HttpSourceError {
  const retryable = status >= 500 || status === 408 || status === 429;
  return new HttpSourceError(`GET ${url.origin}${url.pathname} answered ${status}`, retryable, status);
}

function timeoutSignal(timeoutMs: number, signal?: AbortSignal): AbortSignal {
  return signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
}

async function request(url: URL, method: 'GET' | 'HEAD', limits: HttpLimits, signal?: AbortSignal): Promise<Response> {
  try {
    return await fetch(url, { method, redirect: 'follow', signal: timeoutSignal(limits.timeoutMs, signal) });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw transportError(url, method, limits, error);
  }
}

function transportError(url: URL, method: 'GET' | 'HEAD', limits: HttpLimits, error: unknown): HttpSourceError {
  const reason = error instanceof Error && error.name === 'TimeoutError' ? `timed out after ${limits.timeoutMs} ms` : String((error as Error).cause ?? error);
  return new HttpSourceError(`${method} ${url.origin}${url.pathname} failed: ${reason}`, true);
}

/** Downloads a whole body, refusing more than `maxBytes` while it streams in. */
export async function fetchBytes(source: string, limits: HttpLimits, signal?: AbortSignal): Promise<Buffer> {
  const url = parseHttpUrl(source);
  const response = await request(url, 'GET', limits, signal);
  // A refused response is not read: cancel its body so the connection is closed instead of left downloading.
  const refuse = async (error: HttpSourceError): Promise<never> => {
    await response.body?.cancel().catch(() => undefined);
    throw error;
  };
  if (!response.ok) return refuse(statusError(url, response.status));
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > limits.maxBytes) return refuse(new HttpSourceError(`${url.pathname} is ${declared} bytes, more than the ${limits.maxBytes} allowed`, false));
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (!response.body) return Buffer.alloc(0);
  try {
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      total += chunk.byteLength;
      if (total > limits.maxBytes) throw new HttpSourceError(`${url.pathname} exceeds the ${limits.maxBytes} bytes allowed`, false);
      chunks.push(chunk);
    }
  } catch (error) {
    // The timeout and a dropped connection also strike while the body streams in.
    if (error instanceof HttpSourceError || signal?.aborted) throw error;
    throw transportError(url, 'GET', limits, error);
  }
  return Buffer.concat(chunks, total);
}

/** Whether a marker URL exists: 2xx yes, 404/410 no, anything else is an error to retry. */
export async function httpResourceExists(source: string, limits: HttpLimits, signal?: AbortSignal): Promise<boolean> {
  const url = parseHttpUrl(source);
  const response = await request(url, 'HEAD', limits, signal);
  if (response.ok) return true;
  if (response.status === 404 || response.status === 410) return false;
  throw statusError(url, response.status);
}
