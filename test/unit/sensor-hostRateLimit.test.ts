import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { HostRateLimit } from '../../activities/adapters/hostRateLimit';
import { startHttpServer } from '../helpers/httpServer';
import { activityEnv, activitySandbox, type ActivitySandbox } from '../helpers/activities';

describe('per-host rate limit of http(s) marker checks', () => {
  test('slots of one host are handed out in order, interval apart; other hosts are not held up', () => {
    let now = 10_000;
    const limit = new HostRateLimit(1_000, { now: () => new Date(now) });
    assert.deepEqual([limit.reserve('a.test'), limit.reserve('A.test'), limit.reserve('a.test')], [0, 1_000, 2_000]);
    assert.equal(limit.reserve('b.test:8080'), 0);
    now += 5_000;
    assert.equal(limit.reserve('a.test'), 0, 'a host idle for longer than the interval is checked at once');
    assert.equal(limit.reserve('a.test'), 1_000);
  });

  describe('across runs on one worker', () => {
    const INTERVAL_MS = 400;
    let box: ActivitySandbox;
    before(async () => {
      box = await activitySandbox({ markerHostIntervalMs: INTERVAL_MS });
    });
    after(async () => {
      await box.sandbox.remove();
    });

    test('three runs poking markers of one host check it at most once per interval, and each finds its marker', async () => {
      const seen: number[] = [];
      let requests = 0;
      const server = await startHttpServer((_req, res) => {
        seen.push(Date.now());
        requests += 1;
        res.statusCode = requests <= 6 ? 404 : 200;
        res.end();
      });
      try {
        const start = Date.now();
        // Each run asks for a check every 50 ms: without the limit they would send ~60 requests a second.
        const runs = ['/a/_SUCCESS', '/b/_SUCCESS', '/c/_SUCCESS'].map((path) =>
          activityEnv().call(box.activities.waitForDataPoke, { marker: server.url(path), pokeIntervalSeconds: 0.05, timeoutSeconds: 30 }),
        );
        const results = await Promise.all(runs);
        assert.ok(results.every((r) => r.found));
        // The k-th slot handed out is at least k intervals after the start, and a request arrives after
        // its slot; a loaded machine only delays arrivals, so gaps between arrivals can shrink, this cannot.
        const offsets = seen.map((t) => t - start).sort((a, b) => a - b);
        assert.ok(
          offsets.every((t, k) => t >= k * INTERVAL_MS - 5),
          `checks at ${offsets.join(', ')} ms after the start, interval ${INTERVAL_MS} ms`,
        );
        assert.ok(seen.length >= 7 && seen.length <= 9, `${seen.length} checks`);
      } finally {
        await server.close();
      }
    });
  });
});
