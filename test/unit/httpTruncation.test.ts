import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AllowList } from '../../activities/adapters/addressPolicy';
import { downloadToFile, HttpSourceError, type HttpPolicy } from '../../activities/adapters/httpSource';

/**
 * A download cut short must fail, never pass as the whole dataset (issue 15, defect 3). A raw TCP
 * server writes the answers by hand, so bodies can be close-delimited (no Content-Length, not
 * chunked), slow, endless, or shorter than they declare.
 */
describe('http(s) sources are never silently truncated', () => {
  let dir: string;
  let server: Server;
  let base: string;
  const sockets = new Set<Socket>();
  const policy: HttpPolicy = { timeoutMs: 600, maxBytes: 1_000_000, allow: AllowList.parse('127.0.0.1') };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'seca-http-'));
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
      socket.once('data', (head) => {
        const path = /^GET (\S+)/.exec(head.toString())?.[1];
        if (path === '/slow') {
          socket.write('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: text/csv\r\n\r\nx,y\n');
          const timer = setInterval(() => socket.write('1,2\n'), 50);
          socket.on('close', () => clearInterval(timer));
        } else if (path === '/short') {
          socket.end('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nContent-Type: text/csv\r\n\r\nx,y\n1,2\n');
        } else if (path === '/endless') {
          socket.write('HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n');
          const flood = () => {
            while (!socket.destroyed && socket.write(Buffer.alloc(64 * 1024, 'a')));
          };
          socket.on('drain', flood);
          flood();
        } else {
          socket.end('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: text/csv\r\n\r\nx,y\n1,2\n3,4\n');
        }
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((done) => server.close(done));
    await rm(dir, { recursive: true, force: true });
  });

  const failure = (retryable: boolean, message: RegExp) => (error: unknown) =>
    error instanceof HttpSourceError && error.retryable === retryable && message.test(error.message);

  test('a slow close-delimited body cut by the time limit fails, retryable, saying it timed out', async () => {
    await assert.rejects(downloadToFile(`${base}/slow`, join(dir, 'slow.csv'), policy), failure(true, /timed out after 600 ms/));
  });

  test('a body shorter than its Content-Length fails, retryable', async () => {
    await assert.rejects(downloadToFile(`${base}/short`, join(dir, 'short.csv'), policy), failure(true, /failed|before it was complete/));
  });

  test('an endless body fails at the size limit, not retryable', async () => {
    await assert.rejects(downloadToFile(`${base}/endless`, join(dir, 'endless.csv'), { ...policy, timeoutMs: 10_000 }), failure(false, /exceeds the 1000000 bytes allowed/));
  });

  test('a complete close-delimited body is read whole', async () => {
    const measured = await downloadToFile(`${base}/whole`, join(dir, 'whole.csv'), policy);
    assert.equal(measured.bytes, 12);
    assert.equal(await readFile(join(dir, 'whole.csv'), 'utf8'), 'x,y\n1,2\n3,4\n');
  });
});
