import { type Client } from '@temporalio/client';
import { decodeSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTES, WORKFLOW_TYPE } from '../../contract';
import { BadRequestError } from '../common/errors';
import { invalidArgumentOf } from '../common/invalidArgument';
import { decodeCursor, encodeCursor } from './cursor';
import { type RunSummary } from './runView';

const { WorkflowExecutionStatus: S } = temporal.api.enums.v1;

const STATUS_NAMES: Record<number, string> = {
  [S.WORKFLOW_EXECUTION_STATUS_RUNNING]: 'running',
  [S.WORKFLOW_EXECUTION_STATUS_COMPLETED]: 'completed',
  [S.WORKFLOW_EXECUTION_STATUS_FAILED]: 'failed',
  [S.WORKFLOW_EXECUTION_STATUS_CANCELED]: 'cancelled',
  [S.WORKFLOW_EXECUTION_STATUS_TERMINATED]: 'terminated',
  [S.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW]: 'continued_as_new',
  [S.WORKFLOW_EXECUTION_STATUS_TIMED_OUT]: 'timed_out',
};

const VISIBILITY_STATUS: Record<string, string> = {
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Canceled',
  terminated: 'Terminated',
  timed_out: 'TimedOut',
  continued_as_new: 'ContinuedAsNew',
};

export interface RunFilter {
  readonly pipeline?: string;
  readonly status?: string;
  readonly modelType?: string;
}

/** Values were validated against closed patterns, so quoting them cannot change the query. */
export function visibilityQuery(filter: RunFilter, workflowType: string = WORKFLOW_TYPE): string {
  const terms = [`WorkflowType = "${workflowType}"`];
  if (filter.pipeline) terms.push(`${SEARCH_ATTRIBUTES.pipeline.name} = "${filter.pipeline}"`);
  if (filter.modelType) terms.push(`${SEARCH_ATTRIBUTES.modelType.name} = "${filter.modelType}"`);
  if (filter.status) terms.push(`ExecutionStatus = "${VISIBILITY_STATUS[filter.status]}"`);
  return terms.join(' AND ');
}

const toIso = (t: temporal.api.common.v1.IPayload | { seconds?: unknown; nanos?: number | null } | null | undefined): string | undefined => {
  const ts = t as { seconds?: { toNumber(): number } | number | null; nanos?: number | null } | null | undefined;
  if (!ts?.seconds) return undefined;
  const seconds = typeof ts.seconds === 'number' ? ts.seconds : ts.seconds.toNumber();
  return new Date(seconds * 1000 + (ts.nanos ?? 0) / 1e6).toISOString();
};

export function statusName(status: number | null | undefined): string {
  return STATUS_NAMES[status ?? 0] ?? 'unknown';
}

function first(values: unknown): unknown {
  return Array.isArray(values) ? values[0] : undefined;
}

export interface RunPage {
  readonly runs: RunSummary[];
  readonly nextCursor: string | null;
}

/** One page of runs from Temporal visibility; the cursor is Temporal's page token with a checksum (./cursor.ts). */
export async function listRuns(client: Client, filter: RunFilter, pageSize: number, cursor?: string, workflowType?: string): Promise<RunPage> {
  let nextPageToken: Uint8Array | undefined;
  if (cursor) nextPageToken = decodeCursor(cursor);
  const response = await client.workflowService
    .listWorkflowExecutions({
      namespace: client.options.namespace,
      query: visibilityQuery(filter, workflowType),
      pageSize,
      nextPageToken,
    })
    .catch((error: unknown) => {
      // The query is ours and always valid: refused as an argument, it is the cursor that is garbage.
      if (nextPageToken !== undefined && invalidArgumentOf(error) !== undefined) throw new BadRequestError('cursor is not a cursor this API gave out');
      throw error;
    });
  const runs = (response.executions ?? []).map((e): RunSummary => {
    const attrs = decodeSearchAttributes(e.searchAttributes?.indexedFields);
    return {
      workflowId: e.execution?.workflowId ?? '',
      runId: e.execution?.runId ?? '',
      status: statusName(e.status),
      startTime: toIso(e.startTime),
      closeTime: toIso(e.closeTime),
      pipeline: first(attrs[SEARCH_ATTRIBUTES.pipeline.name]) as string | undefined,
      modelType: first(attrs[SEARCH_ATTRIBUTES.modelType.name]) as string | undefined,
      stage: first(attrs[SEARCH_ATTRIBUTES.stage.name]) as string | undefined,
      primaryMetric: first(attrs[SEARCH_ATTRIBUTES.primaryMetric.name]) as number | undefined,
    };
  });
  const token = response.nextPageToken;
  return { runs, nextCursor: token && token.length > 0 ? encodeCursor(token) : null };
}
