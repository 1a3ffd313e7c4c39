import { decodeModelArtifact, type ModelArtifact } from '../../storage/modelArtifact';
import { type ModelRegistry } from '../../storage/modelRegistry';
import { tableFromRecords } from '../../ml/data/records';
import { loadModel } from '../../ml/models';
import { type TrainedModel } from '../../ml/models/types';
import { applyTransform } from '../../ml/preprocess';
import { NotFoundError } from '../common/errors';

interface Loaded {
  readonly artifact: ModelArtifact;
  readonly model: TrainedModel;
}

export interface Prediction {
  readonly model: string;
  readonly version: string;
  readonly predictions: (string | number)[];
}

/**
 * Serves the production version of each model. The pointer is read on every request, so a deploy
 * or rollback switches what is served at once; loaded versions are cached, as versions never change.
 */
export class Predictor {
  private readonly cache = new Map<string, Promise<Loaded>>();

  constructor(
    private readonly registry: ModelRegistry,
    private readonly maxCached = 32,
  ) {}

  private load(name: string, version: string): Promise<Loaded> {
    const key = `${name}@${version}`;
    let loaded = this.cache.get(key);
    if (!loaded) {
      loaded = this.registry.getModel(name, version).then((bytes) => {
        const artifact = decodeModelArtifact(bytes);
        return { artifact, model: loadModel(artifact.model) };
      });
      loaded.catch(() => this.cache.delete(key));
      if (this.cache.size >= this.maxCached) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(key, loaded);
    }
    return loaded;
  }

  async predict(name: string, rows: Record<string, unknown>[]): Promise<Prediction> {
    const pointer = await this.registry.production(name);
    if (!pointer) throw new NotFoundError(`model ${name} has no production version`);
    const { artifact, model } = await this.load(name, pointer.version);
    const x = applyTransform(artifact.transform, tableFromRecords(rows));
    const raw = model.predict(x);
    const classes = artifact.model.classes;
    const predictions = classes ? Array.from(raw, (c) => classes[c]) : Array.from(raw);
    return { model: name, version: pointer.version, predictions };
  }
}
