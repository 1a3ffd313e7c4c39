import { performance } from 'node:perf_hooks';
import { type ModelRegistry, type ProductionPointer } from '../../storage/modelRegistry';
import { NotFoundError } from '../common/errors';
import { type PredictionPool } from './predictionPool';
import { type PredictOutput } from './predictThread';

export interface Prediction extends PredictOutput {
  readonly model: string;
  readonly version: string;
}

/**
 * A deploy by another process (a worker) reaches predictions within this bound: about what the
 * steps after a run's deploy take anyway (report, completion), so a client that waited for the
 * run to finish rarely sees the old version. At 200 predictions a second it turns 200 pointer
 * reads (an S3 GET each in production) into at most 10 per model.
 */
export const DEFAULT_POINTER_MAX_AGE_MS = 100;

/** Production pointers kept at most; past it the oldest is read again when next asked for. */
const MAX_POINTERS = 1_024;

interface PointerRead {
  readonly pointer: Promise<ProductionPointer | undefined>;
  /** When the read started: the pointer is at most this old. */
  readonly at: number;
}

/**
 * Serves the production version of each model. The pointer is read at most once per
 * `pointerMaxAgeMs` per model (requests meanwhile share the read), so a deploy by another process
 * is served within that bound and a promotion or rollback through this process at once
 * (`served`); a version's artifact is read once and shared with the prediction threads, as
 * versions never change.
 */
export class Predictor {
  private readonly artifacts = new Map<string, Promise<SharedArrayBuffer>>();
  private readonly pointers = new Map<string, PointerRead>();

  constructor(
    private readonly registry: ModelRegistry,
    private readonly pool: PredictionPool,
    private readonly maxCached = 32,
    private readonly pointerMaxAgeMs = DEFAULT_POINTER_MAX_AGE_MS,
  ) {}

  /** The pointer this process just moved: served from the next request on. */
  served(name: string, pointer: ProductionPointer): void {
    this.keep(name, { pointer: Promise.resolve(pointer), at: performance.now() });
  }

  private pointer(name: string): Promise<ProductionPointer | undefined> {
    const kept = this.pointers.get(name);
    if (kept && performance.now() - kept.at < this.pointerMaxAgeMs) return kept.pointer;
    const read: PointerRead = { pointer: this.registry.production(name), at: performance.now() };
    if (this.pointerMaxAgeMs === 0) return read.pointer;
    this.keep(name, read);
    // A model with no production version yet, or a failed read, is asked again next time.
    const forget = () => {
      if (this.pointers.get(name) === read) this.pointers.delete(name);
    };
    read.pointer.then((pointer) => pointer ?? forget(), forget);
    return read.pointer;
  }

  private keep(name: string, read: PointerRead): void {
    this.pointers.delete(name);
    if (this.pointers.size >= MAX_POINTERS) this.pointers.delete(this.pointers.keys().next().value as string);
    this.pointers.set(name, read);
  }

  private artifact(name: string, version: string): Promise<SharedArrayBuffer> {
    const key = `${name}@${version}`;
    let bytes = this.artifacts.get(key);
    if (!bytes) {
      bytes = this.registry.getModel(name, version).then((read) => {
        const shared = new SharedArrayBuffer(read.byteLength);
        new Uint8Array(shared).set(read);
        return shared;
      });
      bytes.catch(() => this.artifacts.delete(key));
      if (this.artifacts.size >= this.maxCached) this.artifacts.delete(this.artifacts.keys().next().value as string);
      this.artifacts.set(key, bytes);
    }
    return bytes;
  }

  async predict(name: string, rows: Record<string, unknown>[]): Promise<Prediction> {
    const pointer = await this.pointer(name);
    if (!pointer) throw new NotFoundError(`model ${name} has no production version`);
    const artifact = await this.artifact(name, pointer.version);
    const output = await this.pool.predict({ key: `${name}@${pointer.version}`, artifact, rows });
    return { model: name, version: pointer.version, ...output };
  }
}
