import { registryKeys, type RunRef } from '../contract';
import { type ArtifactStore } from './artifactStore';
import { FAILURE_TYPES } from '../contract/failureTypes';
import { PipelineError } from '../contract/pipelineError';

/** Where a version came from: enough to reproduce it and to find it again from its run. */
export interface Lineage {
  readonly model: string;
  readonly version: string;
  readonly run: RunRef;
  readonly datasetFingerprint: string;
  readonly params: unknown;
  readonly metrics: Partial<Record<string, number>>;
  readonly registeredAt: string;
  /** Present when the version was registered as a candidate: a model the deploy gate kept out of production, served only once a person promotes it. */
  readonly candidate?: { readonly reason: string };
}

export interface ProductionPointer {
  readonly version: string;
  readonly previousVersion?: string;
  readonly updatedAt: string;
  readonly run?: RunRef;
  /** Set when a person promoted the version (POST /models/:name/versions/:v/promote). */
  readonly promotion?: PromotionRequest;
}

/** Who made a version serve, and why. */
export interface PromotionRequest {
  readonly by: string;
  readonly reason: string;
}

/** One promotion of a version, kept beside its lineage. */
export interface Promotion extends PromotionRequest {
  readonly at: string;
  /** The version that served before. */
  readonly previousVersion?: string;
}

/** Where a version stands: serving, a candidate that never served, or a version that served (or was deployed) and no longer serves. */
export type VersionStatus = 'production' | 'candidate' | 'archived';

export type PromotionOutcome = { readonly promoted: true; readonly pointer: ProductionPointer; readonly promotion: Promotion } | { readonly promoted: false; readonly pointer: ProductionPointer };

export class ModelVersionConflictError extends PipelineError {
  override readonly name = 'ModelVersionConflictError';
  constructor(model: string, version: string) {
    super(FAILURE_TYPES.ModelVersionConflictError, `model ${model} already has a version ${version} from another run`);
  }
}

/** The production pointer kept changing under us this many times in a row: give up (retryably). */
export class PointerContentionError extends PipelineError {
  override readonly name = 'PointerContentionError';
  constructor(model: string) {
    super(FAILURE_TYPES.PointerContentionError, `the production pointer of model ${model} kept moving while this deploy tried to move it`);
  }
}

const MAX_POINTER_RACES = 20;

const sameRun = (a: RunRef, b: RunRef): boolean => a.workflowId === b.workflowId && a.runId === b.runId;

function pointerTo(version: string, current: ProductionPointer | undefined, updatedAt: Date, run?: RunRef): ProductionPointer {
  return {
    version,
    previousVersion: current?.version === version ? current.previousVersion : current?.version,
    updatedAt: updatedAt.toISOString(),
    run,
  };
}

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

  /** Whether `version` of `model` is registered: one object read, whatever the version count. */
  hasVersion(model: string, version: string): Promise<boolean> {
    return this.store.exists(registryKeys.version(model, version, 'lineage.json'));
  }

  async production(model: string): Promise<ProductionPointer | undefined> {
    return (await this.readPointer(model)).pointer;
  }

  private async readPointer(model: string): Promise<{ pointer?: ProductionPointer; version?: string }> {
    const read = await this.store.getVersioned(registryKeys.production(model));
    if (read === undefined) return {};
    return { pointer: JSON.parse(read.data.toString('utf8')) as ProductionPointer, version: read.version };
  }

  /**
   * Claims a version for a run (the requested one, or the next integer) and returns it; idempotent
   * per run. Reads a bounded number of objects whatever the model's version count: the run's own
   * key says which version it claimed, and the highest-version key where numbering goes on. A
   * registry written before those keys is indexed once, on its first claim.
   */
  async claimVersion(lineage: Omit<Lineage, 'version'>, requested?: string): Promise<string> {
    const model = lineage.model;
    const highest = (await this.highestClaimed(model)) ?? (await this.indexLegacy(model));
    const own = await this.ownVersion(lineage);
    if (own !== undefined) {
      await this.raiseHighest(model, own);
      return own;
    }
    if (requested !== undefined) {
      if (!(await this.claim(lineage, requested))) throw new ModelVersionConflictError(model, requested);
      await this.raiseHighest(model, requested);
      return requested;
    }
    let next = highest + 1;
    // Taken: another run claimed it before raising the highest key. Count on from what is there.
    while (!(await this.claim(lineage, String(next)))) next = Math.max(next, await this.highestListed(model)) + 1;
    await this.raiseHighest(model, String(next));
    return String(next);
  }

  /** The version this run claimed, from its run key; undefined when it has none (or lost it to another run). */
  private async ownVersion(lineage: Omit<Lineage, 'version'>): Promise<string | undefined> {
    const read = await this.store.getVersioned(registryKeys.runVersion(lineage.model, lineage.run));
    if (read === undefined) return undefined;
    const { version } = JSON.parse(read.data.toString('utf8')) as { version: string };
    const claimed = await this.store.getVersioned(registryKeys.version(lineage.model, version, 'lineage.json'));
    // The run key is written first: a deploy that stopped between the two claims it now.
    if (claimed === undefined) return (await this.tryClaim(lineage, version)) ? version : undefined;
    return sameRun((JSON.parse(claimed.data.toString('utf8')) as Lineage).run, lineage.run) ? version : undefined;
  }

  /** Records the version in the run's key, then claims it: a retry after a crash in between finds what it was claiming. */
  private async claim(lineage: Omit<Lineage, 'version'>, version: string): Promise<boolean> {
    await this.store.put(registryKeys.runVersion(lineage.model, lineage.run), JSON.stringify({ version }), 'application/json');
    return this.tryClaim(lineage, version);
  }

  private async highestClaimed(model: string): Promise<number | undefined> {
    const read = await this.store.getVersioned(registryKeys.highestVersion(model));
    return read === undefined ? undefined : (JSON.parse(read.data.toString('utf8')) as { version: number }).version;
  }

  /** Moves the highest-version key up to `version` (a number), never down. */
  private async raiseHighest(model: string, version: string): Promise<void> {
    const number = Number(version);
    if (!Number.isInteger(number)) return;
    const key = registryKeys.highestVersion(model);
    for (let attempt = 1; attempt <= MAX_POINTER_RACES; attempt++) {
      const read = await this.store.getVersioned(key);
      if (read !== undefined && (JSON.parse(read.data.toString('utf8')) as { version: number }).version >= number) return;
      if (await this.store.replaceIfVersion(key, JSON.stringify({ version: number }), read?.version, 'application/json')) return;
    }
    throw new PointerContentionError(model);
  }

  /** The highest numbered version there is, from the keys alone (no lineage read). */
  private async highestListed(model: string): Promise<number> {
    const prefix = registryKeys.versionsPrefix(model);
    const numbers = (await this.store.list(prefix)).map((k) => Number(decodeURIComponent(k.slice(prefix.length).split('/')[0]))).filter(Number.isInteger);
    return Math.max(0, ...numbers);
  }

  /**
   * A registry written before the run keys (or a new model): writes every version's run key, then
   * the highest-version key, whose presence from then on says no run needs looking for elsewhere.
   */
  private async indexLegacy(model: string): Promise<number> {
    const versions = await this.versions(model);
    await Promise.all(versions.map((v) => this.store.put(registryKeys.runVersion(model, v.run), JSON.stringify({ version: v.version }), 'application/json')));
    const highest = Math.max(0, ...versions.map((v) => Number(v.version)).filter(Number.isInteger));
    await this.raiseHighest(model, String(highest));
    return highest;
  }

  async putModel(model: string, version: string, bytes: Uint8Array): Promise<string> {
    return (await this.store.put(registryKeys.version(model, version, 'model.json'), bytes, 'application/json')).uri;
  }

  /** Stores the training profile of a version (JSON, see ml/drift/profile); rewriting it on a retried deploy is harmless. */
  async putProfile(model: string, version: string, json: string): Promise<string> {
    return (await this.store.put(registryKeys.version(model, version, 'profile.json'), json, 'application/json')).uri;
  }

  /** The version's training profile JSON; undefined for versions deployed before profiles were stored. */
  async getProfile(model: string, version: string): Promise<Buffer | undefined> {
    const key = registryKeys.version(model, version, 'profile.json');
    return (await this.store.exists(key)) ? this.store.get(key) : undefined;
  }

  async getModel(model: string, version: string): Promise<Buffer> {
    return this.store.get(registryKeys.version(model, version, 'model.json'));
  }

  /**
   * Points a run's new version at production, unless a version registered later already serves
   * (a retried deploy must not roll back a newer model), or a person promoted one after this
   * version was registered (a retried deploy must not undo their decision). Returns the pointer in force afterwards.
   */
  async promoteNew(lineage: Lineage, updatedAt: Date): Promise<ProductionPointer> {
    return this.movePointer(lineage.model, async (current) => {
      if (current?.version === lineage.version) return undefined;
      if (current?.promotion && current.updatedAt > lineage.registeredAt) return undefined;
      if (current) {
        const serving = await this.store.getVersioned(registryKeys.version(lineage.model, current.version, 'lineage.json'));
        if (serving && (JSON.parse(serving.data.toString('utf8')) as Lineage).registeredAt > lineage.registeredAt) return undefined;
      }
      return pointerTo(lineage.version, current, updatedAt, lineage.run);
    });
  }

  async lineage(model: string, version: string): Promise<Lineage> {
    return JSON.parse((await this.store.get(registryKeys.version(model, version, 'lineage.json'))).toString('utf8')) as Lineage;
  }

  /** The promotions of a version, oldest first. */
  async promotions(model: string, version: string): Promise<Promotion[]> {
    const read = await this.store.getVersioned(registryKeys.version(model, version, 'promotions.json'));
    return read === undefined ? [] : (JSON.parse(read.data.toString('utf8')) as Promotion[]);
  }

  /** Where a version stands, given the pointer in force and its promotions. */
  static statusOf(lineage: Lineage, production: ProductionPointer | undefined, promotions: readonly Promotion[]): VersionStatus {
    if (production?.version === lineage.version) return 'production';
    return lineage.candidate !== undefined && promotions.length === 0 ? 'candidate' : 'archived';
  }

  /**
   * Makes a registered version serve by a person's decision, recording who and why in the pointer
   * (atomically with the move) and in the version's promotion history. Not promoted when the
   * version already serves: decided on the pointer each compare-and-swap read, so two people
   * promoting the same version get one promotion and one refusal.
   */
  async promoteVersion(model: string, version: string, request: PromotionRequest, at: Date): Promise<PromotionOutcome> {
    let serving = false;
    const pointer = await this.movePointer(model, (current) => {
      serving = current?.version === version;
      return Promise.resolve(serving ? undefined : { ...pointerTo(version, current, at), promotion: { by: request.by, reason: request.reason } });
    });
    if (serving) return { promoted: false, pointer };
    const promotion: Promotion = { by: request.by, reason: request.reason, at: pointer.updatedAt, ...(pointer.previousVersion && { previousVersion: pointer.previousVersion }) };
    await this.appendPromotion(model, version, promotion);
    return { promoted: true, pointer, promotion };
  }

  /** Points production at a version. */
  async promote(model: string, version: string, updatedAt: Date, run?: RunRef): Promise<ProductionPointer> {
    return this.movePointer(model, (current) => Promise.resolve(pointerTo(version, current, updatedAt, run)));
  }

  /**
   * Moves the production pointer. The pointer is one object that every write replaces whole (a
   * PutObject on S3, a rename locally), so a reader sees the old or the new pointer, never a mix.
   * That alone is not enough: deploys read the pointer, decide, then write, and two deploys that
   * read the same pointer would both write; the later write wins even if it carries the older
   * model, and the earlier promotion is lost from `previousVersion`. So the write is a
   * compare-and-swap on the version read (If-Match on the ETag on S3): when another move came
   * first, `decide` runs again on what it wrote. `decide` returns undefined to leave an existing
   * pointer as it is.
   */
  private async movePointer(model: string, decide: (current?: ProductionPointer) => Promise<ProductionPointer | undefined>): Promise<ProductionPointer> {
    for (let attempt = 1; attempt <= MAX_POINTER_RACES; attempt++) {
      const { pointer: current, version } = await this.readPointer(model);
      const next = await decide(current);
      if (next === undefined) return current!;
      if (await this.store.replaceIfVersion(registryKeys.production(model), JSON.stringify(next, null, 2), version, 'application/json')) return next;
    }
    throw new PointerContentionError(model);
  }

  /** Appends to the version's promotion history with a compare-and-swap, so concurrent promotions all stay. */
  private async appendPromotion(model: string, version: string, promotion: Promotion): Promise<void> {
    const key = registryKeys.version(model, version, 'promotions.json');
    for (let attempt = 1; attempt <= MAX_POINTER_RACES; attempt++) {
      const read = await this.store.getVersioned(key);
      const history = read === undefined ? [] : (JSON.parse(read.data.toString('utf8')) as Promotion[]);
      if (await this.store.replaceIfVersion(key, JSON.stringify([...history, promotion], null, 2), read?.version, 'application/json')) return;
    }
    throw new PointerContentionError(model);
  }

  private async tryClaim(lineage: Omit<Lineage, 'version'>, version: string): Promise<boolean> {
    const full: Lineage = { ...lineage, version };
    return this.store.putIfAbsent(registryKeys.version(lineage.model, version, 'lineage.json'), JSON.stringify(full, null, 2), 'application/json');
  }
}
