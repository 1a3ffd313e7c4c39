import { ARTIFACT_KINDS, type PipelineStatus } from '../../contract';
import { type PendingStepView } from './pendingSteps';

export interface RunLinks {
  readonly self: string;
  /** Only once the run has written its report: a link that answers 404 is no link. */
  readonly report?: string;
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
  /**
   * True when the workflow did not answer its `status` query in time (e.g. no worker, or a busy
   * one): `run` is then null, and `stage` (a search attribute) and `pending` are what the Temporal
   * server itself knows.
   */
  readonly partial: boolean;
  /** The run's activities in flight, from the server: true attempt counts and last heartbeat details. */
  readonly pending: PendingStepView[];
  readonly failure?: string;
  readonly links: RunLinks;
}

/** API links for a run; artifact URIs of the store become `/runs/:id/artifacts/:kind/:file`. */
export function runLinks(workflowId: string, runId: string, webUiBase: string, namespace: string, artifacts: Record<string, string> = {}): RunLinks {
  const self = `/runs/${encodeURIComponent(workflowId)}`;
  const api = Object.fromEntries(
    Object.entries(artifacts).map(([name, uri]) => {
      // The folder of the URI is the artifact kind; a name such as `columns` or `comparison` is not one.
      const [folder = '', file = ''] = uri.split('/').slice(-2);
      const kind = (ARTIFACT_KINDS as readonly string[]).includes(folder) ? folder : name;
      return [name, `${self}/artifacts/${kind}/${file}?runId=${runId}`];
    }),
  );
  return {
    self: `${self}?runId=${runId}`,
    ...('report' in artifacts ? { report: `${self}/report?runId=${runId}` } : {}),
    webUi: `${webUiBase}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}/${runId}/history`,
    artifacts: api,
  };
}
