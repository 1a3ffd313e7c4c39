import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { redactDeep } from '../../contract';
import { type ArtifactStore } from '../../storage/artifactStore';
import { ModelRegistry, type Lineage, type ProductionPointer } from '../../storage/modelRegistry';
import { type ApiConfig } from '../config';
import { BadRequestError, ConflictError, NotFoundError } from '../common/errors';
import { API_CONFIG, ARTIFACT_STORE } from '../tokens';
import { PredictionPool } from './predictionPool';
import { Predictor, type Prediction } from './predictor';

export interface ModelView {
  readonly name: string;
  readonly production: ProductionPointer | null;
  readonly versions: Lineage[];
}

@Injectable()
export class ModelsService implements OnModuleDestroy {
  private readonly registry: ModelRegistry;
  private readonly pool: PredictionPool;
  private readonly predictor: Predictor;

  constructor(
    @Inject(ARTIFACT_STORE) private readonly store: ArtifactStore,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {
    this.registry = new ModelRegistry(store);
    this.pool = new PredictionPool(config.predictThreads);
    this.predictor = new Predictor(this.registry, this.pool);
  }

  onModuleDestroy(): Promise<void> {
    return this.pool.close();
  }

  async list(): Promise<{ models: { name: string; productionVersion: string | null }[] }> {
    const names = new Set<string>();
    for (const key of await this.store.list('models/')) names.add(decodeURIComponent(key.split('/')[1]));
    const models = await Promise.all(
      [...names].sort().map(async (name) => ({ name, productionVersion: (await this.registry.production(name))?.version ?? null })),
    );
    return { models };
  }

  async get(name: string): Promise<ModelView> {
    const versions = await this.registry.versions(name);
    if (versions.length === 0) throw new NotFoundError(`model not found: ${name}`);
    // The lineage holds the training params, whose URLs may carry credentials.
    return { name, production: (await this.registry.production(name)) ?? null, versions: redactDeep(versions) };
  }

  predict(name: string, rows: Record<string, unknown>[]): Promise<Prediction> {
    if (rows.length > this.config.maxPredictRows) {
      throw new BadRequestError(`rows: at most ${this.config.maxPredictRows} rows per request, got ${rows.length}`);
    }
    return this.predictor.predict(name, rows);
  }

  /** Serves an earlier version again: the given one, or the one production pointed at before. */
  async rollback(name: string, version?: string): Promise<ProductionPointer> {
    const { production, versions } = await this.get(name);
    const target = version ?? production?.previousVersion;
    if (!target) throw new ConflictError(`model ${name} has no previous production version to roll back to`);
    if (!versions.some((v) => v.version === target)) throw new NotFoundError(`model ${name} has no version ${target}`);
    return this.registry.promote(name, target, new Date());
  }
}
