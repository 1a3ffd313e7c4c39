import { registryKeys, type RunRef } from '../../contract';
import { type ArtifactStore } from './artifactStore';

/** Where a version came from: enough to reproduce it and to find it again from its run. */
export interface Lineage {
  readonly model: string;
  readonly version: string;
  readonly run: RunRef;
  readonly datasetFingerprint: string;
  readonly params: unknown;
  readonly metrics: Partial<Record<string, number>>;
  readonly registeredAt: string;
}

export interface ProductionPointer {
  readonly version: string;
  readonly previousVersion?: string;
  readonly updatedAt: string;
  readonly run?: RunRef;
}

export class ModelVersionConflictError extends Error {
  override readonly name = 'ModelVersionConflictError';
  constructor(model: string, version: string) {
    super(`model ${model} already has a version ${version} from another run`);
  }
}

const sameRun = (a: RunRef, b: RunRef): boolean => a.workflowId === b.workflowId && a.runId === b.runId;

/**
 * The model registry inside the artifact store. A version is claimed by writing its lineage with
 * put-if-absent, so two runs never get the same version and a retried deploy finds its own.
 */
export class ModelRegistry {
  constructor(private readonly store: ArtifactStore) {}

  async versions(model: string): Promise<Lineage[]> {
    const keys = (await this.store.list(registryKeys.versionsPrefix(model))).filter((k) => k.endsWith('/lineage.json'));
    const all = await Promise.all(keys.map(async (k) => JSON.parse((await this.store.get(k)).toString('utf8')) as Lineage));
    return all.sort((a, b) => a.registeredAt.localeCompare(b.registeredAt) || a.version.localeCompare(b.version, 'en', { numeric: true }));
  }

  async production(model: string): Promise<ProductionPointer | undefined> {
    const key = registryKeys.production(model);
    if (!(await this.store.exists(key))) return undefined;
    return JSON.parse((await this.store.get(key)).toString('utf8')) as ProductionPointer;
  }

  /** Claims a version for a run (the requested one, or the next integer) and returns it; idempotent per run. */
  async claimVersion(lineage: Omit<Lineage, 'version'>, requested?: string): Promise<string> {
    const existing = (await this.versions(lineage.model)).find((v) => sameRun(v.run, lineage.run));
    if (existing) return existing.version;
    if (requested !== undefined) {
      if (await this.tryClaim(lineage, requested)) return requested;
      throw new ModelVersionConflictError(lineage.model, requested);
    }
    for (;;) {
      const numbers = (await this.versions(lineage.model)).map((v) => Number(v.version)).filter(Number.isInteger);
      const next = String(Math.max(0, ...numbers) + 1);
      if (await this.tryClaim(lineage, next)) return next;
    }
  }

  async putModel(model: string, version: string, bytes: Uint8Array): Promise<string> {
    return (await this.store.put(registryKeys.version(model, version, 'model.json'), bytes, 'application/json')).uri;
  }

  async getModel(model: string, version: string): Promise<Buffer> {
    return this.store.get(registryKeys.version(model, version, 'model.json'));
  }

  /**
   * Points a run's new version at production, unless a version registered later already serves
   * (a retried deploy must not roll back a newer model). Returns the pointer in force afterwards.
   */
  async promoteNew(lineage: Lineage, updatedAt: Date): Promise<ProductionPointer> {
    const current = await this.production(lineage.model);
    if (current?.version === lineage.version) return current;
    if (current) {
      const serving = (await this.versions(lineage.model)).find((v) => v.version === current.version);
      if (serving && serving.registeredAt > lineage.registeredAt) return current;
    }
    return this.promote(lineage.model, lineage.version, updatedAt, lineage.run);
  }

  async lineage(model: string, version: string): Promise<Lineage> {
    return JSON.parse((await this.store.get(registryKeys.version(model, version, 'lineage.json'))).toString('utf8')) as Lineage;
  }

  /** Points production at a version; the store's whole-object replace makes the move atomic. */
  async promote(model: string, version: string, updatedAt: Date, run?: RunRef): Promise<ProductionPointer> {
    const current = await this.production(model);
    const pointer: ProductionPointer = {
      version,
      previousVersion: current?.version === version ? current.previousVersion : current?.version,
      updatedAt: updatedAt.toISOString(),
      run,
    };
    await this.store.put(registryKeys.production(model), JSON.stringify(pointer, null, 2), 'application/json');
    return pointer;
  }

  private async tryClaim(lineage: Omit<Lineage, 'version'>, version: string): Promise<boolean> {
    const full: Lineage = { ...lineage, version };
    return this.store.putIfAbsent(registryKeys.version(lineage.model, version, 'lineage.json'), JSON.stringify(full, null, 2), 'application/json');
  }
}
