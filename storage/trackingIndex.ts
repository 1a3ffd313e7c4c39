import { trackingKeys, type TrackingRecord } from '../contract';
import { type ArtifactRef, type ArtifactStore } from './artifactStore';

/** Reads of records in flight at a time (each is a GET on S3). */
const READ_CONCURRENCY = 16;

/**
 * The tracking index inside the artifact store: one JSON object per training run under
 * tracking/<pipeline>/runs/<runId>.json, written once at the end of the run (the same key on a retry).
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

  put(record: TrackingRecord): Promise<ArtifactRef> {
    return this.store.put(trackingKeys.run(record.pipeline, record.runId), JSON.stringify(record, null, 2), 'application/json');
  }

  /** The run's record; undefined when the pipeline tracked no such run. */
  async get(pipeline: string, runId: string): Promise<TrackingRecord | undefined> {
    const key = trackingKeys.run(pipeline, runId);
    return (await this.store.exists(key)) ? this.read(key) : undefined;
  }

  /** Every tracked run of the pipeline, in no particular order. */
  async list(pipeline: string): Promise<TrackingRecord[]> {
    const keys = (await this.store.list(trackingKeys.runsPrefix(pipeline))).filter((k) => k.endsWith('.json'));
    const out = new Array<TrackingRecord>(keys.length);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < keys.length; i = next++) out[i] = await this.read(keys[i]);
    };
    await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, keys.length) }, worker));
    return out;
  }
}
