import { trackingKeys, type TimelineEntry, type TrackingRecord } from '../contract';
import { type ArtifactRef, type ArtifactStore } from './artifactStore';

/** Reads of records in flight at a time (each is a GET on S3). */
const READ_CONCURRENCY = 16;

/**
 * The tracking index inside the artifact store: one JSON object per training run under
 * tracking/<pipeline>/runs/<runId>.json, written once at the end of the run (the same key on a retry),
 * and its timeline entry under tracking/<pipeline>/timeline/, whose keys sort by start time.
 * `read` lets a caller keep records it has read: they do not change.
 */
export class TrackingIndex {
  constructor(
    private readonly store: ArtifactStore,
    private readonly read: (key: string) => Promise<TrackingRecord> = async (key) => JSON.parse((await store.get(key)).toString('utf8')) as TrackingRecord,
  ) {}

  uri(pipeline: string, runId: string): string {
    return this.store.uri(trackingKeys.run(pipeline, runId));
  }

  /** Writes the record, then its timeline entry (both idempotent: a retry writes the same keys). */
  async put(record: TrackingRecord): Promise<ArtifactRef> {
    const ref = await this.store.put(trackingKeys.run(record.pipeline, record.runId), JSON.stringify(record, null, 2), 'application/json');
    const entry: TimelineEntry = { runId: record.runId, startedAt: record.startedAt, metrics: record.metrics };
    await this.store.put(trackingKeys.timeline(record.pipeline, record.startedAt, record.runId), JSON.stringify(entry), 'application/json');
    return ref;
  }

  /**
   * The pipeline's `count` most recent runs by start time, oldest first, from their timeline entries:
   * one listing and at most `count` small reads, however many runs the pipeline has. Runs tracked
   * before the timeline existed have no entry; while they could still be among the most recent, the
   * whole records are read instead.
   */
  async recent(pipeline: string, count: number): Promise<TimelineEntry[]> {
    const timeline = (await this.store.list(trackingKeys.timelinePrefix(pipeline))).filter((k) => k.endsWith('.json')).sort();
    if (timeline.length < count) {
      const records = (await this.store.list(trackingKeys.runsPrefix(pipeline))).filter((k) => k.endsWith('.json'));
      if (records.length > timeline.length) {
        return (await this.list(pipeline))
          .map(({ runId, startedAt, metrics }) => ({ runId, startedAt, metrics }))
          .sort((a, b) => a.startedAt.localeCompare(b.startedAt))
          .slice(-count);
      }
    }
    return this.readAll(timeline.slice(-count), async (key) => JSON.parse((await this.store.get(key)).toString('utf8')) as TimelineEntry);
  }

  /** The run's record; undefined when the pipeline tracked no such run. */
  async get(pipeline: string, runId: string): Promise<TrackingRecord | undefined> {
    const key = trackingKeys.run(pipeline, runId);
    return (await this.store.exists(key)) ? this.read(key) : undefined;
  }

  /** Every tracked run of the pipeline, in no particular order. */
  async list(pipeline: string): Promise<TrackingRecord[]> {
    const keys = (await this.store.list(trackingKeys.runsPrefix(pipeline))).filter((k) => k.endsWith('.json'));
    return this.readAll(keys, this.read);
  }

  /** Each key read, `READ_CONCURRENCY` at a time, in the keys' order. */
  private async readAll<T>(keys: readonly string[], read: (key: string) => Promise<T>): Promise<T[]> {
    const out = new Array<T>(keys.length);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < keys.length; i = next++) out[i] = await read(keys[i]);
    };
    await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, keys.length) }, worker));
    return out;
  }
}
