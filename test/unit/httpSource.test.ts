import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import dns from 'node:dns';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AllowList, BlockedAddressError } from '../../activities/adapters/addressPolicy';
import { downloadToFile, headMarker, HttpSourceError, isHttpUrl, type HttpPolicy } from '../../activities/adapters/httpSource';
import { startHttpServer } from '../helpers/httpServer';

// The test server listens on loopback, which only an allow-listed policy may reach.
const limits: HttpPolicy = { timeoutMs: 5_000, maxBytes: 1_000, allow: AllowList.parse('127.0.0.1') };

let scratch: string;
let downloads = 0;

/** Downloads into a fresh file of our own naming and returns what landed there. */
async function fetchBytes(source: string, policy: HttpPolicy, signal?: AbortSignal): Promise<Buffer> {
  downloads += 1;
  const path = join(scratch, `download-${downloads}`);
  const measured = await downloadToFile(source, path, policy, signal);
  const bytes = await readFile(path);
  assert.equal(measured.bytes, bytes.length);
  return bytes;
}

const httpResourceExists = async (source: string, policy: HttpPolicy): Promise<boolean> => (await headMarker(source, policy)).exists;

function httpError(check: { retryable: boolean; status?: number; message?: RegExp }) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof HttpSourceError, `expected HttpSourceError, got ${String(error)}`);
    assert.equal(error.retryable, check.retryable, error.message);
    if ('status' in check) assert.equal(error.status, check.status);
    if (check.message) assert.match(error.message, check.message);
    return true;
  };
}

/** Resolves when the connection of a response is closed, or rejects after `ms` (so a leak fails instead of hanging). */
function closedWithin(res: ServerResponse, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    if (res.socket === null || res.socket.destroyed) return resolve();
    const timer = setTimeout(() => reject(new Error('the client never closed the connection')), ms);
    res.socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe('httpSource', () => {
  const held: ServerResponse[] = [];
  const streaming = new Map<string, Promise<ServerResponse>>();
  const announce = new Map<string, (res: ServerResponse) => void>();
  for (const path of ['/too-big-stream', '/stalled-body', '/declared-too-big-open']) {
    streaming.set(path, new Promise((resolve) => announce.set(path, resolve)));
  }
  let server: Awaited<ReturnType<typeof startHttpServer>>;

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'mlp-http-'));
    server = await startHttpServer((req, res) => {
      const path = req.url.split('?')[0];
      switch (path) {
        case '/data.csv':
          res.writeHead(200, { 'content-type': 'text/csv' });
          res.end(req.method === 'HEAD' ? undefined : 'a,b\n1,2\n');
          return;
        case '/empty':
          res.writeHead(200, { 'content-length': '0' });
          res.end();
          return;
        case '/exactly-max':
          res.end(Buffer.alloc(limits.maxBytes, 120));
          return;
        case '/missing':
          res.writeHead(404);
          res.end('not found');
          return;
        case '/gone':
          res.writeHead(410);
          res.end();
          return;
        case '/forbidden':
          res.writeHead(403);
          res.end();
          return;
        case '/boom':
          res.writeHead(500);
          res.end('boom');
          return;
        case '/busy':
          res.writeHead(503);
          res.end();
          return;
        case '/throttled':
          res.writeHead(429);
          res.end();
          return;
        case '/declared-too-big':
          res.writeHead(200, { 'content-length': String(limits.maxBytes * 10) });
          res.end(Buffer.alloc(limits.maxBytes * 10, 97));
          return;
        case '/declared-too-big-open':
          // Declares a large body and sends only part of it: the client must hang up, not wait for the rest.
          res.writeHead(200, { 'content-length': String(limits.maxBytes * 1000) });
          res.write(Buffer.alloc(limits.maxBytes, 97));
          held.push(res);
          announce.get(path)!(res);
          return;
        case '/too-big-stream':
          // Chunked (no content-length), keeps sending: refused while streaming.
          res.writeHead(200, { 'content-type': 'text/plain' });
          for (let i = 0; i < 5; i += 1) res.write(Buffer.alloc(400, 98));
          held.push(res);
          announce.get(path)!(res);
          return;
        case '/stalled-body':
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.write('partial');
          held.push(res);
          announce.get(path)!(res);
          return;
        case '/never':
          held.push(res);
          return;
        case '/redirect':
          res.writeHead(302, { location: '/data.csv' });
          res.end();
          return;
        case '/redirect-missing':
          res.writeHead(301, { location: '/missing' });
          res.end();
          return;
        default:
          res.writeHead(404);
          res.end();
      }
    });
  });

  after(async () => {
    for (const res of held) res.destroy();
    await server.close();
    await rm(scratch, { recursive: true, force: true });
  });

  test('isHttpUrl tells http(s) URLs from paths', () => {
    assert.equal(isHttpUrl('http://x/y'), true);
    assert.equal(isHttpUrl('HTTPS://x/y'), true);
    assert.equal(isHttpUrl('data/iris.csv'), false);
    assert.equal(isHttpUrl('ftp://x/y'), false);
  });

  test('a 200 answer returns the body', async () => {
    const body = await fetchBytes(server.url('/data.csv'), limits);
    assert.equal(body.toString('utf8'), 'a,b\n1,2\n');
    const last = server.requests.at(-1)!;
    assert.equal(last.method, 'GET');
    assert.equal(last.url, '/data.csv');
  });

  test('an empty body and a body of exactly maxBytes are accepted', async () => {
    assert.equal((await fetchBytes(server.url('/empty'), limits)).length, 0);
    assert.equal((await fetchBytes(server.url('/exactly-max'), limits)).length, limits.maxBytes);
  });

  test('404 is a non-retryable error with the status', async () => {
    await assert.rejects(fetchBytes(server.url('/missing'), limits), httpError({ retryable: false, status: 404, message: /404/ }));
    await assert.rejects(fetchBytes(server.url('/forbidden'), limits), httpError({ retryable: false, status: 403 }));
  });

  test('5xx and 429 are retryable errors with the status', async () => {
    await assert.rejects(fetchBytes(server.url('/boom'), limits), httpError({ retryable: true, status: 500, message: /500/ }));
    await assert.rejects(fetchBytes(server.url('/busy'), limits), httpError({ retryable: true, status: 503 }));
    await assert.rejects(fetchBytes(server.url('/throttled'), limits), httpError({ retryable: true, status: 429 }));
  });

  test('a declared content-length over maxBytes is refused without retry', async () => {
    await assert.rejects(fetchBytes(server.url('/declared-too-big'), limits), httpError({ retryable: false, message: /more than the 1000 allowed/ }));
  });

  test('a refused oversized body is not left downloading: the connection is closed', async () => {
    await assert.rejects(fetchBytes(server.url('/declared-too-big-open'), limits), httpError({ retryable: false }));
    await closedWithin(await streaming.get('/declared-too-big-open')!, 3_000);
  });

  test('a chunked body growing past maxBytes is refused while streaming', async () => {
    await assert.rejects(fetchBytes(server.url('/too-big-stream'), limits), httpError({ retryable: false, message: /exceeds the 1000 bytes/ }));
    await closedWithin(await streaming.get('/too-big-stream')!, 3_000);
  });

  test('a server that never answers times out as a retryable error', async () => {
    await assert.rejects(fetchBytes(server.url('/never'), { ...limits, timeoutMs: 200 }), httpError({ retryable: true, message: /timed out/ }));
  });

  test('a body that stalls half way times out as a retryable HttpSourceError', async () => {
    await assert.rejects(fetchBytes(server.url('/stalled-body'), { ...limits, timeoutMs: 300 }), httpError({ retryable: true, message: /timed out/ }));
    await closedWithin(await streaming.get('/stalled-body')!, 3_000);
  });

  test('a closed port is a retryable error', async () => {
    const closed = await startHttpServer();
    const url = closed.url('/data.csv');
    await closed.close();
    await assert.rejects(fetchBytes(url, limits), httpError({ retryable: true }));
  });

  test('non-http URLs and garbage are refused without retry and without a request', async () => {
    const before = server.requests.length;
    for (const source of ['ftp://127.0.0.1/data.csv', 'file:///etc/passwd', 'not a url', 'http//missing-colon', '', 'data:text/plain,hello']) {
      await assert.rejects(fetchBytes(source, limits), httpError({ retryable: false }), source);
      await assert.rejects(httpResourceExists(source, limits), httpError({ retryable: false }), source);
    }
    assert.equal(server.requests.length, before);
  });

  test('a redirect to another local path is followed', async () => {
    const before = server.requests.length;
    const body = await fetchBytes(server.url('/redirect'), limits);
    assert.equal(body.toString('utf8'), 'a,b\n1,2\n');
    assert.deepEqual(
      server.requests.slice(before).map((r) => r.url),
      ['/redirect', '/data.csv'],
    );
    await assert.rejects(fetchBytes(server.url('/redirect-missing'), limits), httpError({ retryable: false, status: 404 }));
  });

  test('HEAD: 200 is true, 404 and 410 are false, 503 throws a retryable error', async () => {
    assert.equal(await httpResourceExists(server.url('/data.csv'), limits), true);
    assert.equal(server.requests.at(-1)!.method, 'HEAD');
    assert.equal(await httpResourceExists(server.url('/missing'), limits), false);
    assert.equal(await httpResourceExists(server.url('/gone'), limits), false);
    await assert.rejects(httpResourceExists(server.url('/busy'), limits), httpError({ retryable: true, status: 503 }));
    await assert.rejects(httpResourceExists(server.url('/forbidden'), limits), httpError({ retryable: false, status: 403 }));
  });

  test('HEAD that never answers times out as a retryable error', async () => {
    await assert.rejects(httpResourceExists(server.url('/never'), { ...limits, timeoutMs: 200 }), httpError({ retryable: true, message: /timed out/ }));
  });

  test('an aborted caller signal is passed through as the abort, not as a source error', async () => {
    const controller = new AbortController();
    const pending = fetchBytes(server.url('/never'), limits, controller.signal);
    controller.abort(new Error('activity cancelled'));
    await assert.rejects(pending, (error: unknown) => !(error instanceof HttpSourceError));
  });
});

describe('httpSource address checks (SSRF)', () => {
  const noAllow: HttpPolicy = { ...limits, allow: AllowList.parse('') };
  let server: Awaited<ReturnType<typeof startHttpServer>>;
  let redirectTo = '';

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'mlp-ssrf-'));
    server = await startHttpServer((req, res) => {
      switch (req.url) {
        case '/redirect':
          res.writeHead(302, { location: redirectTo });
          res.end();
          return;
        case '/loop':
          res.writeHead(302, { location: '/loop' });
          res.end();
          return;
        case '/named':
          res.writeHead(200, { 'content-disposition': 'attachment; filename="../../escaped.sh"', 'last-modified': 'Wed, 21 Oct 2015 07:28:00 GMT' });
          res.end(req.method === 'HEAD' ? undefined : 'a,b\n1,2\n');
          return;
        default:
          res.end('a,b\n1,2\n');
      }
    });
  });
  after(async () => {
    await server.close();
    await rm(scratch, { recursive: true, force: true });
  });

  const blocked = (address?: RegExp) => (error: unknown) => {
    assert.ok(error instanceof BlockedAddressError, `expected BlockedAddressError, got ${String(error)}`);
    if (address) assert.match(error.address, address);
    return true;
  };

  test('a loopback URL is refused without the allow-list, before any request', async () => {
    const before = server.requests.length;
    await assert.rejects(fetchBytes(server.url('/data.csv'), noAllow), blocked(/^127\.0\.0\.1$/));
    await assert.rejects(headMarker(server.url('/data.csv'), noAllow), blocked());
    assert.equal(server.requests.length, before);
  });

  test('the same URL passes once 127.0.0.1 is allow-listed', async () => {
    assert.equal((await fetchBytes(server.url('/data.csv'), limits)).toString(), 'a,b\n1,2\n');
  });

  test('private, metadata and loopback literals in any spelling are refused without a connection', async () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://[fd00:ec2::254]/latest/meta-data/',
      'http://10.0.0.1/data.csv',
      'http://192.168.0.1/data.csv',
      'http://100.100.100.200/latest/meta-data/',
      'http://0.0.0.0/data.csv',
      'http://[::1]/data.csv',
      'http://[::ffff:127.0.0.1]/data.csv',
      'http://2130706433/data.csv',
      'http://0x7f.1/data.csv',
      'https://127.1/data.csv',
    ]) {
      await assert.rejects(fetchBytes(url, noAllow), blocked(), url);
    }
  });

  test('a hostname that resolves to 127.0.0.1 (localhost) is refused', async () => {
    const before = server.requests.length;
    await assert.rejects(fetchBytes(server.url('/data.csv').replace('127.0.0.1', 'localhost'), noAllow), blocked());
    assert.equal(server.requests.length, before);
  });

  test('an allow-listed hostname may resolve to a private address', async () => {
    const url = server.url('/data.csv').replace('127.0.0.1', 'localhost');
    assert.equal((await fetchBytes(url, { ...noAllow, allow: AllowList.parse('localhost') })).toString(), 'a,b\n1,2\n');
  });

  test('a redirect from an allowed host to a private address is refused', async () => {
    for (const target of ['http://169.254.169.254/latest/meta-data/iam/', 'http://10.1.2.3/', 'http://[::1]/x', 'http://192.168.1.1/x']) {
      redirectTo = target;
      await assert.rejects(fetchBytes(server.url('/redirect'), limits), blocked(), target);
      await assert.rejects(headMarker(server.url('/redirect'), limits), blocked(), target);
    }
  });

  test('a redirect to a non-http scheme is refused without retry', async () => {
    redirectTo = 'file:///etc/passwd';
    await assert.rejects(fetchBytes(server.url('/redirect'), limits), (error: unknown) => error instanceof HttpSourceError && !error.retryable && /only http and https/.test(error.message));
  });

  test('more than 5 redirects are refused without retry', async () => {
    const before = server.requests.length;
    await assert.rejects(fetchBytes(server.url('/loop'), limits), (error: unknown) => error instanceof HttpSourceError && !error.retryable && /more than 5 redirects/.test(error.message));
    assert.equal(server.requests.length - before, 6);
  });

  test('the resolved address is the one connected to: one lookup per connection, every address checked', async (t) => {
    // Names no real resolver knows: a connection can only succeed through the address our check returned.
    const lookups: string[] = [];
    t.mock.method(dns, 'lookup', (host: string, options: unknown, callback: (e: Error | null, a: dns.LookupAddress[]) => void) => {
      lookups.push(host);
      callback(null, host === 'mixed.example.test' ? [{ address: '127.0.0.1', family: 4 }, { address: '10.9.8.7', family: 4 }] : [{ address: '127.0.0.1', family: 4 }]);
    });
    const port = new URL(server.url('/')).port;
    assert.equal((await fetchBytes(`http://data.example.test:${port}/data.csv`, limits)).toString(), 'a,b\n1,2\n');
    assert.deepEqual(lookups, ['data.example.test']);
    await assert.rejects(fetchBytes(`http://mixed.example.test:${port}/data.csv`, limits), blocked(/^10\.9\.8\.7$/));
  });

  test('the downloaded file is named by us, whatever the response suggests; HEAD reports Last-Modified', async () => {
    const dir = await mkdtemp(join(scratch, 'named-'));
    const measured = await downloadToFile(server.url('/named'), join(dir, 'ours'), limits);
    assert.deepEqual(await readdir(dir), ['ours']);
    assert.equal(measured.bytes, 8);
    assert.deepEqual(await readdir(scratch).then((names) => names.includes('escaped.sh')), false);
    const marker = await headMarker(server.url('/named'), limits);
    assert.deepEqual(marker, { exists: true, lastModified: new Date('2015-10-21T07:28:00.000Z') });
  });
});
