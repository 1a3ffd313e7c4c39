import { Inject, Injectable } from '@nestjs/common';
import { type Client } from '@temporalio/client';
import { type ArtifactStore } from '../../storage/artifactStore';
import { ARTIFACT_STORE, METRICS, TEMPORAL_CLIENT } from '../tokens';
import { type ApiMetrics } from './apiMetrics';

const PROBE_TIMEOUT_MS = 2_000;

export interface Readiness {
  readonly ready: boolean;
  /** 'ok', or why the check failed. */
  readonly checks: Record<'temporal' | 'store', string>;
}

async function probe(check: () => Promise<unknown>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return 'ok';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    clearTimeout(timer);
  }
}

@Injectable()
export class OpsService {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(ARTIFACT_STORE) private readonly store: ArtifactStore,
    @Inject(METRICS) private readonly metrics: ApiMetrics,
  ) {}

  async readiness(): Promise<Readiness> {
    const [temporal, store] = await Promise.all([
      probe(() => this.client.workflowService.getSystemInfo({})),
      probe(() => this.store.exists('readiness-probe')),
    ]);
    return { ready: temporal === 'ok' && store === 'ok', checks: { temporal, store } };
  }

  metricsText(): Promise<string> {
    return this.metrics.registry.metrics();
  }

  get metricsContentType(): string {
    return this.metrics.registry.contentType;
  }
}
