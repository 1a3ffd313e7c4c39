import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FreshViews } from '../../api/runs/freshViews';

interface View {
  readonly status: 'running' | 'closed';
  readonly n: number;
}

/** Fetches answered by hand, counted, on a clock moved by hand. */
function harness(maxAge = { running: 500, closed: 1_000 }) {
  let clock = 0;
  const pending: { resolve: (v: View) => void; reject: (e: Error) => void }[] = [];
  let fetches = 0;
  const views = new FreshViews<View>({
    maxAgeMs: (v) => (v.status === 'running' ? maxAge.running : maxAge.closed),
    inFlightMaxAgeMs: Math.min(maxAge.running, maxAge.closed),
    size: 2,
    now: () => clock,
  });
  const fetch = () => {
    fetches++;
    return new Promise<View>((resolve, reject) => pending.push({ resolve, reject }));
  };
  return {
    views,
    get: (group = 'wf', key = '') => views.get(group, key, fetch),
    fetches: () => fetches,
    answer: async (view: View) => {
      pending.shift()?.resolve(view);
      await new Promise(setImmediate);
    },
    fail: async (message: string) => {
      pending.shift()?.reject(new Error(message));
      await new Promise(setImmediate);
    },
    advance: (ms: number) => (clock += ms),
  };
}

describe('fresh run views', () => {
  test('requests arriving while a fetch is in flight share it', async () => {
    const h = harness();
    const all = [h.get(), h.get(), h.get()];
    assert.equal(h.fetches(), 1);
    await h.answer({ status: 'running', n: 1 });
    assert.deepEqual((await Promise.all(all)).map((v) => v.n), [1, 1, 1]);
  });

  test('a running view is given within its max age from when its fetch began, then fetched again', async () => {
    const h = harness();
    const first = h.get();
    h.advance(100);
    await h.answer({ status: 'running', n: 1 });
    h.advance(149);
    assert.equal((await h.get()).n, 1);
    assert.equal(h.fetches(), 1, 'younger than half its max age: no fetch');
    h.advance(251);
    const expired = h.get();
    assert.equal(h.fetches(), 2, '500 ms after the first fetch began, a request waits for a new one');
    await h.answer({ status: 'running', n: 2 });
    assert.equal((await expired).n, 2);
    assert.equal((await first).n, 1);
  });

  test('past half its max age, a request gets the current view and starts the next fetch, which later requests get', async () => {
    const h = harness();
    const first = h.get();
    await h.answer({ status: 'running', n: 1 });
    await first;
    h.advance(300);
    assert.equal((await h.get()).n, 1);
    assert.equal(h.fetches(), 2);
    assert.equal((await h.get()).n, 1, 'while the next fetch is in flight the current view is still given');
    assert.equal(h.fetches(), 2, 'one fetch ahead at a time');
    await h.answer({ status: 'running', n: 2 });
    assert.equal((await h.get()).n, 2);
    h.advance(249);
    assert.equal((await h.get()).n, 2, 'its age counts from when it began (at 300)');
    assert.equal(h.fetches(), 2);
  });

  test('a current view expired while the next fetch is in flight is not given: the next fetch is', async () => {
    const h = harness();
    const first = h.get();
    await h.answer({ status: 'running', n: 1 });
    await first;
    h.advance(400);
    await h.get();
    h.advance(200);
    const waiting = h.get();
    assert.equal(h.fetches(), 2, 'no third fetch: the one in flight began 200 ms ago');
    await h.answer({ status: 'running', n: 2 });
    assert.equal((await waiting).n, 2);
  });

  test('a closed view keeps its own max age', async () => {
    const h = harness();
    const first = h.get();
    await h.answer({ status: 'closed', n: 1 });
    await first;
    h.advance(499);
    assert.equal((await h.get()).n, 1);
    assert.equal(h.fetches(), 1);
    h.advance(500);
    assert.equal((await h.get()).n, 1);
    assert.equal(h.fetches(), 2, 'past half of 1 s the next fetch starts');
  });

  test('a failed fetch is given to the requests that shared it, and not kept', async () => {
    const h = harness();
    const shared = [h.get(), h.get()];
    await h.fail('not found');
    for (const s of shared) await assert.rejects(s, /not found/);
    const again = h.get();
    assert.equal(h.fetches(), 2);
    await h.answer({ status: 'running', n: 1 });
    assert.equal((await again).n, 1);
  });

  test('a failed fetch ahead leaves the current view until it expires', async () => {
    const h = harness();
    const first = h.get();
    await h.answer({ status: 'running', n: 1 });
    await first;
    h.advance(300);
    await h.get();
    await h.fail('unavailable');
    assert.equal((await h.get()).n, 1);
    assert.equal(h.fetches(), 3, 'the failure is forgotten: the next request past half the max age tries again');
  });

  test('invalidate drops the views of a workflow, and an answer in flight for them is not kept', async () => {
    const h = harness();
    const first = h.get('wf', '');
    const byRun = h.get('wf', 'run-1');
    const other = h.get('other', '');
    h.views.invalidate('wf');
    const afterWrite = h.get('wf', '');
    assert.equal(h.fetches(), 4, 'a request after the write does not share the fetch begun before it');
    await h.answer({ status: 'running', n: 1 });
    await h.answer({ status: 'running', n: 2 });
    await h.answer({ status: 'running', n: 3 });
    await h.answer({ status: 'running', n: 4 });
    assert.deepEqual([(await first).n, (await byRun).n, (await other).n, (await afterWrite).n], [1, 2, 3, 4]);
    assert.equal((await h.get('wf', '')).n, 4);
    assert.equal((await h.get('other', '')).n, 3);
    assert.equal(h.fetches(), 4);
  });

  test('a max age of 0 fetches for every request, even while another is in flight', async () => {
    const h = harness({ running: 0, closed: 0 });
    const both = [h.get(), h.get()];
    assert.equal(h.fetches(), 2);
    await h.answer({ status: 'running', n: 1 });
    await h.answer({ status: 'running', n: 2 });
    assert.deepEqual((await Promise.all(both)).map((v) => v.n), [1, 2]);
    const third = h.get();
    assert.equal(h.fetches(), 3);
    await h.answer({ status: 'running', n: 3 });
    assert.equal((await third).n, 3);
  });

  test('past its size, the workflow seen first is dropped', async () => {
    const h = harness();
    for (const wf of ['a', 'b', 'c']) {
      const view = h.get(wf);
      await h.answer({ status: 'closed', n: 1 });
      await view;
    }
    await Promise.all([h.get('b'), h.get('c')]);
    assert.equal(h.fetches(), 3);
    const again = h.get('a');
    assert.equal(h.fetches(), 4);
    await h.answer({ status: 'closed', n: 2 });
    assert.equal((await again).n, 2);
  });
});
