import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trackingKeys, type TrackingRecord } from '../../contract';
import { LocalArtifactStore } from '../../storage/localArtifactStore';
import { TrackingIndex } from '../../storage/trackingIndex';

/** A real local store that counts its object reads. */
class CountingStore extends LocalArtifactStore {
  reads = 0;
  override get(key: string): Promise<Buffer> {
    this.reads++;
    return super.get(key);
  }
}

const startedAt = (i: number): string => new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
const record = (pipeline: string, i: number): TrackingRecord => ({ pipeline, runId: `run-${i}`, startedAt: startedAt(i), metrics: { accuracy: i / 100 } }) as unknown as TrackingRecord;

describe('TrackingIndex.recent', () => {
  let dir: string;
  let store: CountingStore;
  let index: TrackingIndex;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlp-tracking-'));
    store = new CountingStore(dir);
    index = new TrackingIndex(store);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('the most recent runs by start time, oldest first, reading only their timeline entries', async () => {
    // Written out of order, as concurrent runs finish.
    for (const i of [3, 0, 7, 1, 9, 2, 8, 4, 6, 5, 11, 10]) await index.put(record('many', i));
    store.reads = 0;
    const recent = await index.recent('many', 5);
    assert.deepEqual(
      recent.map((r) => r.runId),
      ['run-7', 'run-8', 'run-9', 'run-10', 'run-11'],
    );
    assert.deepEqual(recent[0], { runId: 'run-7', startedAt: startedAt(7), metrics: { accuracy: 0.07 } });
    assert.equal(store.reads, 5, 'one read per entry returned, none of the other runs');
  });

  test('fewer runs than asked: all of them', async () => {
    for (const i of [2, 1]) await index.put(record('few', i));
    assert.deepEqual(
      (await index.recent('few', 30)).map((r) => r.runId),
      ['run-1', 'run-2'],
    );
  });

  test('runs tracked before the timeline (records only) still count while they may be among the most recent', async () => {
    for (const i of [0, 1, 2]) await store.put(trackingKeys.run('old', `run-${i}`), JSON.stringify(record('old', i)));
    await index.put(record('old', 3));
    assert.deepEqual(
      (await index.recent('old', 3)).map((r) => r.runId),
      ['run-1', 'run-2', 'run-3'],
    );
  });
});
