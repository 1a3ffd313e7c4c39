import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { redactDeep } from '../../contract';
import { type ArtifactStore } from '../../storage/artifactStore';
import { ModelRegistry, type Lineage, type ProductionPointer, type Promotion, type PromotionRequest, type VersionStatus } from '../../storage/modelRegistry';
import { type ApiConfig } from '../config';
import { BadRequestError, ConflictError, NotFoundError } from '../common/errors';
import { API_CONFIG, ARTIFACT_STORE } from '../tokens';
import { MlflowAliasSync, type MlflowFollow } from './mlflowAlias';
import { PredictionPool } from './predictionPool';
import { Predictor, type Prediction } from './predictor';

/** A version's lineage with where it stands and who promoted it. */
export type VersionView = Lineage & { readonly status: VersionStatus; readonly promotions: Promotion[] };

export interface ModelView {
  readonly name: string;
  readonly production: ProductionPointer | null;
  readonly versions: VersionView[];
}

/** The registry of one model by status: the serving version and the candidates apart, then every version in registration order. */
export interface VersionsView {
  readonly model: string;
  readonly production: string | null;
  readonly candidates: string[];
  readonly versions: Omit<VersionView, 'params'>[];
}

export interface PromotionView extends MlflowFollow {
  readonly model: string;
  readonly version: string;
  readonly production: ProductionPointer;
  readonly promotion: Promotion;
}

/** The production pointer after a rollback, with what MLflow made of it. */
export type RollbackView = ProductionPointer & MlflowFollow;

@Injectable()
export class ModelsService implements OnModuleDestroy {
  private readonly registry: ModelRegistry;
  private readonly pool: PredictionPool;
  private readonly predictor: Predictor;

  constructor(
    @Inject(ARTIFACT_STORE) private readonly store: ArtifactStore,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(MlflowAliasSync) private readonly mlflow: MlflowAliasSync,
  ) {
    this.registry = new ModelRegistry(store);
    this.pool = new PredictionPool(config.predictThreads);
    this.predictor = new Predictor(this.registry, this.pool, undefined, config.pointerMaxAgeMs);
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
    const lineages = await this.registry.versions(name);
    if (lineages.length === 0) throw new NotFoundError(`model not found: ${name}`);
    const production = await this.registry.production(name);
    const versions = await Promise.all(
      lineages.map(async (lineage) => {
        const promotions = await this.registry.promotions(name, lineage.version);
        return { ...lineage, status: ModelRegistry.statusOf(lineage, production, promotions), promotions };
      }),
    );
    // The lineage holds the training params, whose URLs may carry credentials.
    return { name, production: production ?? null, versions: redactDeep(versions) };
  }

  async versions(name: string, status?: VersionStatus): Promise<VersionsView> {
    const model = await this.get(name);
    const summaries = model.versions.map(({ params: _params, ...summary }) => summary);
    return {
      model: name,
      production: model.production?.version ?? null,
      candidates: summaries.filter((v) => v.status === 'candidate').map((v) => v.version),
      versions: status === undefined ? summaries : summaries.filter((v) => v.status === status),
    };
  }

  /** Serves a registered version (typically a candidate) by a person's decision, keeping who and why. */
  async promote(name: string, version: string, request: PromotionRequest): Promise<PromotionView> {
    await this.lineageOf(name, version);
    const outcome = await this.registry.promoteVersion(name, version, request, new Date());
    if (!outcome.promoted) throw new ConflictError(`model ${name} version ${version} already serves (since ${outcome.pointer.updatedAt}): nothing to promote`);
    this.predictor.served(name, outcome.pointer);
    return { model: name, version, production: outcome.pointer, promotion: outcome.promotion, ...(await this.mlflow.follow(name, version)) };
  }

  /** The version's lineage, or a 404 naming what is missing: the model or the version. */
  private async lineageOf(name: string, version: string): Promise<Lineage> {
    const versions = await this.registry.versions(name);
    if (versions.length === 0) throw new NotFoundError(`model not found: ${name}`);
    const lineage = versions.find((v) => v.version === version);
    if (!lineage) throw new NotFoundError(`model ${name} has no version ${version}; its versions: ${versions.map((v) => v.version).join(', ')}`);
    return lineage;
  }

  predict(name: string, rows: Record<string, unknown>[]): Promise<Prediction> {
    if (rows.length > this.config.maxPredictRows) {
      throw new BadRequestError(`rows: at most ${this.config.maxPredictRows} rows per request, got ${rows.length}`);
    }
    return this.predictor.predict(name, rows);
  }

  /** Serves an earlier version again: the given one, or the one production pointed at before. */
  async rollback(name: string, version?: string): Promise<RollbackView> {
    const { production, versions } = await this.get(name);
    const target = version ?? production?.previousVersion;
    if (!target) throw new ConflictError(`model ${name} has no previous production version to roll back to`);
    const chosen = versions.find((v) => v.version === target);
    if (!chosen) throw new NotFoundError(`model ${name} has no version ${target}`);
    // A candidate never served: serving it is a promotion, which keeps who and why.
    if (chosen.status === 'candidate') {
      throw new ConflictError(`model ${name} version ${target} is a candidate that never served: promote it with POST /models/${name}/versions/${target}/promote and { by, reason }`);
    }
    const pointer = await this.registry.promote(name, target, new Date());
    this.predictor.served(name, pointer);
    return { ...pointer, ...(await this.mlflow.follow(name, target)) };
  }
}
