import { type ModelRegistry } from '../../storage/modelRegistry';
import { NotFoundError } from '../common/errors';
import { type PredictionPool } from './predictionPool';
import { type PredictOutput } from './predictThread';

export interface Prediction extends PredictOutput {
  readonly model: string;
  readonly version: string;
}

/**
 * Serves the production version of each model. The pointer is read on every request, so a deploy
 * or rollback switches what is served at once; a version's artifact is read once and shared with
 * the prediction threads, as versions never change.
 */
export class Predictor {
  private readonly artifacts = new Map<string, Promise<SharedArrayBuffer>>();

  constructor(
    private readonly registry: ModelRegistry,
    private readonly pool: PredictionPool,
    private readonly maxCached = 32,
  ) {}

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
    const pointer = await this.registry.production(name);
    if (!pointer) throw new NotFoundError(`model ${name} has no production version`);
    const artifact = await this.artifact(name, pointer.version);
    const output = await this.pool.predict({ key: `${name}@${pointer.version}`, artifact, rows });
    return { model: name, version: pointer.version, ...output };
  }
}
