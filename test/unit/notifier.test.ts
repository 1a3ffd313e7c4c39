import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { type AddressInfo } from 'node:net';
import { AllowList } from '../../activities/adapters/addressPolicy';
import { type Notification, WebhookDeliveryError, WebhookNotifier } from '../../activities/adapters/notifier';
import { startHttpServer } from '../helpers/httpServer';

const notification: Notification = {
  kind: 'retrain_alert',
  pipeline: 'iris',
  workflowId: 'ml-iris',
  runId: 'run-1',
  title: 'iris: accuracy 0.5 below 0.9',
  details: { metric: 'accuracy', value: 0.5, threshold: 0.9, note: 'quote " and <tag>' },
};

describe('WebhookNotifier', () => {
  let server: Awaited<ReturnType<typeof startHttpServer>>;

  before(async () => {
    server = await startHttpServer((req, res) => {
      const status = Number(/^\/status\/(\d+)/.exec(req.url)?.[1] ?? 204);
      res.writeHead(status);
      res.end(status >= 400 ? 'nope' : undefined);
    });
  });
  after(() => server.close());

  // The test servers listen on loopback: allowed here, refused by default (see the last tests).
  function collect(allow = AllowList.parse('127.0.0.1')) {
    const logged: { message: string; attrs: Record<string, unknown> }[] = [];
    const notifier = new WebhookNotifier((message, attrs) => logged.push({ message, attrs }), { timeoutMs: 2_000, allow });
    return { logged, notifier };
  }

  const received = (path: string) => server.requests.filter((r) => r.url === path);

  test('POSTs the notification as JSON to every webhook and logs its title', async () => {
    const { logged, notifier } = collect();
    await notifier.notify(notification, [server.url('/hook/a'), server.url('/hook/b?x=1')]);
    for (const path of ['/hook/a', '/hook/b?x=1']) {
      const got = received(path);
      assert.equal(got.length, 1, path);
      assert.equal(got[0].method, 'POST');
      assert.deepEqual(JSON.parse(got[0].body), notification);
    }
    assert.equal(logged.length, 1);
    assert.equal(logged[0].message, notification.title);
    assert.equal(logged[0].attrs.workflowId, 'ml-iris');
    assert.equal(logged[0].attrs.kind, 'retrain_alert');
  });

  test('sends content-type application/json with the whole body', async () => {
    // The shared helper does not record headers: a raw server records them here.
    const headers: IncomingHttpHeaders[] = [];
    const raw = createServer((req, res) => {
      headers.push(req.headers);
      req.resume();
      req.on('end', () => res.end());
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    const { port } = raw.address() as AddressInfo;
    try {
      await collect().notifier.notify(notification, [`http://127.0.0.1:${port}/typed`]);
      assert.equal(headers.length, 1);
      assert.match(headers[0]['content-type'] ?? '', /^application\/json/);
      assert.equal(Number(headers[0]['content-length']), Buffer.byteLength(JSON.stringify(notification)));
    } finally {
      await new Promise<void>((resolve) => raw.close(() => resolve()));
    }
  });

  test('no webhooks: only logs', async () => {
    const { logged, notifier } = collect();
    const before = server.requests.length;
    await notifier.notify(notification, []);
    assert.equal(logged.length, 1);
    assert.equal(server.requests.length, before);
  });

  test('a 500 webhook rejects with a retryable WebhookDeliveryError, and the others still get the message', async () => {
    const { notifier } = collect();
    const failing = server.url('/status/500');
    await assert.rejects(notifier.notify(notification, [server.url('/hook/first'), failing, server.url('/hook/last')]), (error: unknown) => {
      assert.ok(error instanceof WebhookDeliveryError);
      assert.equal(error.retryable, true);
      assert.equal(error.url, failing);
      assert.match(error.message, /500/);
      return true;
    });
    assert.equal(received('/hook/first').length, 1);
    assert.equal(received('/hook/last').length, 1);
    assert.equal(received('/status/500').length, 1);
  });

  test('a 429 webhook is retryable', async () => {
    await assert.rejects(collect().notifier.notify(notification, [server.url('/status/429')]), (error: unknown) => error instanceof WebhookDeliveryError && error.retryable);
  });

  test('a 400 webhook rejects with a non-retryable WebhookDeliveryError', async () => {
    await assert.rejects(collect().notifier.notify(notification, [server.url('/status/400')]), (error: unknown) => {
      assert.ok(error instanceof WebhookDeliveryError);
      assert.equal(error.retryable, false);
      assert.match(error.message, /400/);
      return true;
    });
  });

  test('a webhook on a loopback address is refused without the allow-list, and nothing is sent', async () => {
    const before = server.requests.length;
    const url = server.url('/hook/private');
    await assert.rejects(collect(AllowList.parse('')).notifier.notify(notification, [url]), (error: unknown) => {
      assert.ok(error instanceof WebhookDeliveryError, String(error));
      assert.equal(error.retryable, false);
      assert.match(error.message, /127\.0\.0\.1.*loopback.*HTTP_ALLOW_HOSTS/);
      return true;
    });
    assert.equal(server.requests.length, before);
  });

  test('a webhook on a name that resolves to loopback (localhost) is refused too', async () => {
    const url = server.url('/hook/by-name').replace('127.0.0.1', 'localhost');
    await assert.rejects(collect(AllowList.parse('')).notifier.notify(notification, [url]), (error: unknown) => error instanceof WebhookDeliveryError && !error.retryable);
    assert.equal(received('/hook/by-name').length, 0);
  });

  test('a redirecting webhook is not followed: the POST is not re-aimed, and the delivery fails without retry', async () => {
    const redirecting = await startHttpServer((_req, res) => {
      res.writeHead(307, { location: server.url('/hook/redirected') });
      res.end();
    });
    try {
      await assert.rejects(collect().notifier.notify(notification, [redirecting.url('/hook')]), (error: unknown) => {
        assert.ok(error instanceof WebhookDeliveryError);
        assert.equal(error.retryable, false);
        assert.match(error.message, /307/);
        return true;
      });
      assert.equal(received('/hook/redirected').length, 0);
    } finally {
      await redirecting.close();
    }
  });

  test('an unreachable port rejects with a retryable WebhookDeliveryError', async () => {
    const gone = await startHttpServer();
    const url = gone.url('/hook');
    await gone.close();
    await assert.rejects(collect().notifier.notify(notification, [url]), (error: unknown) => {
      assert.ok(error instanceof WebhookDeliveryError);
      assert.equal(error.retryable, true);
      assert.equal(error.url, url);
      return true;
    });
  });
});
