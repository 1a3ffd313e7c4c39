import { type PipelineStatus } from '../../contract';

export interface RunLinks {
  readonly self: string;
  readonly report: string;
  readonly webUi: string;
  readonly artifacts: Record<string, string>;
}

export interface RunSummary {
  readonly workflowId: string;
  readonly runId: string;
  readonly status: string;
  readonly startTime?: string;
  readonly closeTime?: string;
  readonly pipeline?: string;
  readonly modelType?: string;
  readonly stage?: string;
  readonly primaryMetric?: number;
}

export interface RunDetail extends RunSummary {
  /** The workflow's own view: the `status` query while it runs, its result once it completed. */
  readonly run: PipelineStatus | null;
  readonly failure?: string;
  readonly links: RunLinks;
}

/** API links for a run; artifact URIs of the store become `/runs/:id/artifacts/:kind/:file`. */
export function runLinks(workflowId: string, runId: string, webUiBase: string, namespace: string, artifacts: Record<string, string> = {}): RunLinks {
  const self = `/runs/${encodeURIComponent(workflowId)}`;
  const api = Object.fromEntries(
    Object.entries(artifacts).map(([kind, uri]) => {
      const file = uri.split('/').pop() ?? '';
      return [kind, `${self}/artifacts/${kind}/${file}?runId=${runId}`];
    }),
  );
  return {
    self: `${self}?runId=${runId}`,
    report: `${self}/report?runId=${runId}`,
    webUi: `${webUiBase}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}/${runId}/history`,
    artifacts: api,
  };
}
