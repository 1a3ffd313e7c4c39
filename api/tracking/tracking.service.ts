import { Inject, Injectable } from '@nestjs/common';
import { InvalidInputError, type TrackingRecord } from '../../contract';
import { type ArtifactStore } from '../../storage/artifactStore';
import { TrackingIndex } from '../../storage/trackingIndex';
import { ApiError } from '../common/errors';
import { ARTIFACT_STORE } from '../tokens';
import { compareRuns, type RunComparison } from './trackingCompare';
import { indexed, parseFilters, parseSort, select, type Indexed } from './trackingQuery';
import { MAX_COMPARED } from './tracking.dto';

export class TrackedRunNotFoundError extends ApiError {
  override readonly name = 'TrackedRunNotFoundError';
  readonly status = 404;
  readonly code = 'tracked_run_not_found';
  override readonly details: { pipeline: string; runIds: string[] };
  constructor(pipeline: string, runIds: string[]) {
    super(`pipeline ${pipeline} has no tracked run ${runIds.join(', ')}`);
    this.details = { pipeline, runIds };
  }
}

export class UntrackedPipelineError extends ApiError {
  override readonly name = 'UntrackedPipelineError';
  readonly status = 404;
  readonly code = 'tracked_pipeline_not_found';
  constructor(pipeline: string) {
    super(`pipeline ${pipeline} has no tracked runs`);
  }
}

export interface TrackedRunView extends TrackingRecord {
  readonly links: { readonly self: string; readonly run: string };
}

export interface TrackedRunPage {
  readonly pipeline: string;
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
  readonly sort: { key: string; direction: string }[];
  readonly runs: TrackedRunView[];
}

export interface ListOptions {
  readonly sort?: string;
  readonly filter?: string | string[];
  readonly limit: number;
  readonly offset: number;
}

/** Records are written once per run: kept after the first read, up to this many. */
const CACHE_SIZE = 50_000;

const RUN_ID = /^[0-9a-fA-F-]{36}$/;

/** The tracking index in the artifact store (tracking/<pipeline>/runs/<runId>.json): list, sort, filter, compare. */
@Injectable()
export class TrackingService {
  private readonly cache = new Map<string, TrackingRecord>();
  /** Each cached record flattened once, not on every listing. */
  private readonly flat = new WeakMap<TrackingRecord, Indexed>();
  private readonly index: TrackingIndex;

  constructor(@Inject(ARTIFACT_STORE) store: ArtifactStore) {
    this.index = new TrackingIndex(store, async (key) => {
      const known = this.cache.get(key);
      if (known) return known;
      const record = JSON.parse((await store.get(key)).toString('utf8')) as TrackingRecord;
      if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(key, record);
      return record;
    });
  }

  private indexed(record: TrackingRecord): Indexed {
    let known = this.flat.get(record);
    if (!known) this.flat.set(record, (known = indexed(record)));
    return known;
  }

  private view(r: TrackingRecord): TrackedRunView {
    return {
      ...r,
      links: { self: `/pipelines/${r.pipeline}/runs/${r.runId}`, run: `/runs/${encodeURIComponent(r.workflowId)}?runId=${r.runId}` },
    };
  }

  async list(pipeline: string, options: ListOptions): Promise<TrackedRunPage> {
    const runs = (await this.index.list(pipeline)).map((r) => this.indexed(r));
    if (runs.length === 0) throw new UntrackedPipelineError(pipeline);
    const sort = parseSort(options.sort, runs);
    const filters = parseFilters(options.filter === undefined ? [] : ([] as string[]).concat(options.filter), runs);
    const selected = select(runs, filters, sort);
    return {
      pipeline,
      total: selected.length,
      offset: options.offset,
      limit: options.limit,
      sort: sort.map((s) => ({ ...s })),
      runs: selected.slice(options.offset, options.offset + options.limit).map((r) => this.view(r.record)),
    };
  }

  private async find(pipeline: string, runIds: readonly string[]): Promise<TrackingRecord[]> {
    const found = await Promise.all(runIds.map((id) => this.index.get(pipeline, id)));
    const missing = runIds.filter((_, i) => found[i] === undefined);
    if (missing.length > 0) throw new TrackedRunNotFoundError(pipeline, missing);
    return found as TrackingRecord[];
  }

  async get(pipeline: string, runId: string): Promise<TrackedRunView> {
    return this.view((await this.find(pipeline, [runId]))[0]);
  }

  async compare(pipeline: string, runsText: string): Promise<RunComparison> {
    const ids = [...new Set(runsText.split(',').map((s) => s.trim()))];
    const malformed = ids.filter((id) => !RUN_ID.test(id));
    if (malformed.length > 0) throw new InvalidInputError([{ field: 'runs', message: `not run ids: ${malformed.join(', ')}` }], 'query');
    if (ids.length < 2 || ids.length > MAX_COMPARED) throw new InvalidInputError([{ field: 'runs', message: `two to ${MAX_COMPARED} different run ids` }], 'query');
    return compareRuns(pipeline, await this.find(pipeline, ids));
  }
}
