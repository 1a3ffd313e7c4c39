import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { BlockedAddressError, checkAddress, type AllowList } from './addressPolicy';

/** How an outgoing request to a user-given URL is bounded. */
export interface HttpPolicy {
  /** For the whole exchange: every redirect and the body included. */
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly allow: AllowList;
}

/** Builds the caller's own error type (source or webhook) for a failed request. */
export type FailureFactory = (message: string, retryable: boolean, status?: number) => Error;

export interface SafeRequest {
  readonly method: 'GET' | 'HEAD' | 'POST';
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Redirects to follow; each target is checked like the first URL. 0 returns a 3xx as it is. */
  readonly maxRedirects: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Parses a user-given URL, refusing everything but http and https. */
export function parseHttpUrl(source: string, fail: FailureFactory): URL {
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    throw fail(`not a valid URL: ${source}`, false);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw fail(`only http and https URLs are allowed, got ${url.protocol}`, false);
  return url;
}

const describe = (method: string, url: URL): string => `${method} ${url.origin}${url.pathname}`;

/**
 * Resolves the host itself and hands the connection only addresses it has checked, so what is
 * checked is what is connected to: a DNS answer that changes between check and connect (DNS
 * rebinding) cannot slip a private address in. Every address is checked, not just the first,
 * because Node may try each of them (happy eyeballs).
 */
function guardedLookup(allow: AllowList): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '');
      try {
        for (const { address } of addresses) checkAddress(hostname, address, allow);
      } catch (refused) {
        return callback(refused as NodeJS.ErrnoException, '');
      }
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/** An answer whose body has not been read yet. */
export class SafeResponse {
  constructor(
    readonly url: URL,
    readonly status: number,
    readonly headers: IncomingHttpHeaders,
    private readonly message: IncomingMessage,
    private readonly failed: (error: unknown) => Error,
    private readonly signal: AbortSignal,
  ) {}

  /** The body as it arrives; the request's time limit still applies. */
  async *body(): AsyncGenerator<Buffer> {
    let received = 0;
    try {
      for await (const chunk of this.message) {
        received += (chunk as Buffer).length;
        yield chunk as Buffer;
      }
    } catch (error) {
      throw this.failed(error);
    }
    // A body cut off (by the time limit, or a connection lost before Content-Length or the last
    // chunk) can end the loop quietly: a partial file must never pass as the whole.
    const declared = Number(this.headers['content-length'] ?? NaN);
    // A close-delimited body counts as complete once the socket closes, also when we closed it on abort.
    if (this.signal.aborted || !this.message.complete || (Number.isFinite(declared) && received !== declared)) {
      throw this.failed(new Error(`the body ended after ${received} bytes${Number.isFinite(declared) ? ` of the ${declared} declared` : ''}, before it was complete`));
    }
  }

  /** Hangs up without reading the body, so a refused or unneeded download does not go on. */
  discard(): void {
    this.message.destroy();
  }
}

/**
 * One request to a user-given URL that can only reach public addresses (or allow-listed ones),
 * also after redirects, which are followed here one by one so each target is checked.
 */
export async function safeRequest(source: string, request: SafeRequest, policy: Omit<HttpPolicy, 'maxBytes'>, signal: AbortSignal | undefined, fail: FailureFactory): Promise<SafeResponse> {
  const timeout = AbortSignal.timeout(policy.timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let url = parseHttpUrl(source, fail);
  for (let redirects = 0; ; redirects++) {
    const failed = (error: unknown): Error => {
      // The caller's own cancellation and a refused address pass through as they are.
      if (signal?.aborted || error instanceof BlockedAddressError) return error as Error;
      if (timeout.aborted) return fail(`${describe(request.method, url)} timed out after ${policy.timeoutMs} ms`, true);
      return fail(`${describe(request.method, url)} failed: ${String((error as Error).cause ?? error)}`, true);
    };
    const response = await send(url, request, policy.allow, combined, failed);
    const location = response.headers.location;
    if (request.maxRedirects === 0 || !REDIRECTS.has(response.status) || location === undefined) return response;
    response.discard();
    if (redirects >= request.maxRedirects) throw fail(`${describe(request.method, url)}: more than ${request.maxRedirects} redirects`, false);
    url = parseHttpUrl(new URL(location, url).href, fail);
  }
}

function send(url: URL, request: SafeRequest, allow: AllowList, signal: AbortSignal, failed: (error: unknown) => Error): Promise<SafeResponse> {
  // An IP literal is connected to without a lookup, so it is checked here.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) !== 0) checkAddress(host, host, allow);
  const open = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    // No shared agent: every request gets its own connection, made through the guarded lookup,
    // and closed when the exchange ends.
    const req = open(url, { method: request.method, headers: request.headers, lookup: guardedLookup(allow), agent: false, signal });
    req.once('response', (message) => {
      // A body aborted while nobody reads it must not become an unhandled 'error' event; a reader
      // gets the error from its own iteration.
      message.on('error', () => undefined);
      resolve(new SafeResponse(url, message.statusCode ?? 0, message.headers, message, failed, signal));
    });
    // Errors after the response (an abort mid-body) are the reader's to see; this rejection is then a no-op.
    req.on('error', (error) => reject(failed(error)));
    req.end(request.body);
  });
}
