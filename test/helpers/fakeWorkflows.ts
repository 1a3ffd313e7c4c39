import { randomUUID } from 'node:crypto';
import { WorkflowFailedError, WorkflowNotFoundError, type WorkflowStartOptions } from '@temporalio/client';
import { RetryState, TypedSearchAttributes, WorkflowExecutionAlreadyStartedError, WorkflowIdConflictPolicy, type SearchAttributePair } from '@temporalio/common';
import { encodeUnifiedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { temporal } from '@temporalio/proto';
import { TASK_QUEUES, WORKFLOW_TYPE, type PipelineStatus } from '../../contract';

const { WorkflowExecutionStatus: S } = temporal.api.enums.v1;

/** The SDK's status names and the server's codes for them. */
const CODES = {
  RUNNING: S.WORKFLOW_EXECUTION_STATUS_RUNNING,
  COMPLETED: S.WORKFLOW_EXECUTION_STATUS_COMPLETED,
  FAILED: S.WORKFLOW_EXECUTION_STATUS_FAILED,
  CANCELLED: S.WORKFLOW_EXECUTION_STATUS_CANCELED,
  TERMINATED: S.WORKFLOW_EXECUTION_STATUS_TERMINATED,
  CONTINUED_AS_NEW: S.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW,
  TIMED_OUT: S.WORKFLOW_EXECUTION_STATUS_TIMED_OUT,
} as const;
export type FakeStatus = keyof typeof CODES;

/** Visibility's names for ExecutionStatus in list queries. */
const VISIBILITY: Record<FakeStatus, string> = {
  RUNNING: 'Running',
  COMPLETED: 'Completed',
  FAILED: 'Failed',
  CANCELLED: 'Canceled',
  TERMINATED: 'Terminated',
  CONTINUED_AS_NEW: 'ContinuedAsNew',
  TIMED_OUT: 'TimedOut',
};

/** One workflow execution as the fake server keeps it; tests read and change it directly. */
export interface FakeRun {
  readonly workflowId: string;
  readonly runId: string;
  readonly type: string;
  readonly taskQueue: string;
  readonly args: unknown[];
  /** Everything the caller passed to `workflow.start`, to assert on. */
  readonly startOptions?: WorkflowStartOptions;
  status: FakeStatus;
  startTime: Date;
  closeTime?: Date;
  memo?: Record<string, unknown>;
  searchAttributes: SearchAttributePair[];
  /** What the `status` query answers; with none, the query fails as when no worker can answer. */
  statusAnswer?: PipelineStatus;
  result?: unknown;
  /** The cause a failed run's `result()` rejects with (wrapped in WorkflowFailedError, as the SDK does). */
  failure?: Error;
  readonly signals: { name: string; args: unknown[] }[];
  cancelRequested: boolean;
  /** When set, `describe()` rejects with it: the server failing in a way the API does not map. */
  describeError?: Error;
}

export type NewRun = Partial<FakeRun> & Pick<FakeRun, 'workflowId'>;

type Def = { name: string };

function toTimestamp(date: Date | undefined): { seconds: number; nanos: number } | undefined {
  if (!date) return undefined;
  const ms = date.getTime();
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 };
}

/** `Key = "value"` terms joined by AND: the only visibility syntax the API writes; anything else is refused. */
function matcher(query: string): (run: FakeRun) => boolean {
  const terms = query.split(' AND ').map((term) => {
    const m = /^(\w+) = "([^"]*)"$/.exec(term);
    if (!m) throw new Error(`fake visibility does not understand ${JSON.stringify(term)} in ${query}`);
    return { key: m[1], value: m[2] };
  });
  return (run) =>
    terms.every(({ key, value }) => {
      if (key === 'WorkflowType') return run.type === value;
      if (key === 'ExecutionStatus') return VISIBILITY[run.status] === value;
      return run.searchAttributes.some((a) => a.key.name === key && String(a.value) === value);
    });
}

/** In-memory workflow executions: start, handles (describe, query, signal, cancel, result) and visibility. */
export class FakeWorkflows {
  /** Runs by workflow id, oldest first; the last is the one a handle without run id means. */
  private readonly byId = new Map<string, FakeRun[]>();
  readonly listRequests: { query: string; pageSize: number; nextPageToken?: Uint8Array }[] = [];

  add(run: NewRun): FakeRun {
    const full: FakeRun = {
      runId: randomUUID(),
      type: WORKFLOW_TYPE,
      taskQueue: TASK_QUEUES.light,
      args: [],
      status: 'RUNNING',
      startTime: new Date(),
      searchAttributes: [],
      signals: [],
      cancelRequested: false,
      ...run,
    };
    this.byId.set(run.workflowId, [...(this.byId.get(run.workflowId) ?? []), full]);
    return full;
  }

  /** The latest run of a workflow id, or one run by id; undefined when Temporal would say "not found". */
  find(workflowId: string, runId?: string): FakeRun | undefined {
    const runs = this.byId.get(workflowId) ?? [];
    return runId ? runs.find((r) => r.runId === runId) : runs[runs.length - 1];
  }

  get all(): FakeRun[] {
    return [...this.byId.values()].flat();
  }

  close(workflowId: string, status: Exclude<FakeStatus, 'RUNNING'>, outcome: { result?: unknown; failure?: Error } = {}): FakeRun {
    const run = this.mustFind(workflowId);
    Object.assign(run, { status, closeTime: new Date(), ...outcome });
    return run;
  }

  private mustFind(workflowId: string, runId?: string): FakeRun {
    const run = this.find(workflowId, runId);
    if (!run) throw new WorkflowNotFoundError(`workflow not found for ID: ${workflowId}`, workflowId, runId);
    return run;
  }

  start(type: string, options: WorkflowStartOptions) {
    const active = this.find(options.workflowId);
    if (active?.status === 'RUNNING' && options.workflowIdConflictPolicy !== WorkflowIdConflictPolicy.USE_EXISTING) {
      throw new WorkflowExecutionAlreadyStartedError('Workflow execution already started', options.workflowId, type);
    }
    const run = this.add({
      workflowId: options.workflowId,
      type,
      taskQueue: options.taskQueue,
      args: options.args ? [...options.args] : [],
      startOptions: options,
      memo: options.memo,
      searchAttributes: (options.typedSearchAttributes as SearchAttributePair[] | undefined) ?? [],
    });
    return { ...this.handle(run.workflowId), firstExecutionRunId: run.runId };
  }

  handle(workflowId: string, runId?: string) {
    const run = () => this.mustFind(workflowId, runId);
    return {
      workflowId,
      runId,
      describe: () =>
        Promise.resolve().then(() => {
          const r = run();
          if (r.describeError) throw r.describeError;
          return describe(r);
        }),
      query: (def: Def) =>
        Promise.resolve().then(() => {
          const r = run();
          if (def.name !== 'status' || !r.statusAnswer) throw new Error(`no worker answered query ${def.name} of ${workflowId}`);
          return structuredClone(r.statusAnswer);
        }),
      signal: (def: Def, ...args: unknown[]) =>
        Promise.resolve().then(() => {
          const r = run();
          if (r.status !== 'RUNNING') throw new WorkflowNotFoundError('workflow execution already completed', workflowId, r.runId);
          r.signals.push({ name: def.name, args });
        }),
      cancel: () =>
        Promise.resolve().then(() => {
          run().cancelRequested = true;
        }),
      result: () =>
        Promise.resolve().then(() => {
          const r = run();
          if (r.status === 'COMPLETED') return structuredClone(r.result);
          if (r.status === 'RUNNING') throw new Error(`fake: ${workflowId} is still running; its result would block`);
          throw new WorkflowFailedError('Workflow execution failed', r.failure, RetryState.NON_RETRYABLE_FAILURE);
        }),
    };
  }

  listWorkflowExecutions(request: { query?: string | null; pageSize?: number | null; nextPageToken?: Uint8Array | null }) {
    const query = request.query ?? '';
    const pageSize = request.pageSize ?? 100;
    this.listRequests.push({ query, pageSize, nextPageToken: request.nextPageToken ?? undefined });
    const offset = request.nextPageToken?.length ? Number(Buffer.from(request.nextPageToken).toString()) : 0;
    const matching = this.all.filter(matcher(query)).sort((a, b) => b.startTime.getTime() - a.startTime.getTime());
    const page = matching.slice(offset, offset + pageSize);
    const next = offset + pageSize < matching.length ? Buffer.from(String(offset + pageSize)) : Buffer.alloc(0);
    return Promise.resolve({
      executions: page.map((r) => ({
        execution: { workflowId: r.workflowId, runId: r.runId },
        type: { name: r.type },
        status: CODES[r.status],
        startTime: toTimestamp(r.startTime),
        closeTime: toTimestamp(r.closeTime),
        searchAttributes: { indexedFields: encodeUnifiedSearchAttributes(undefined, r.searchAttributes) },
      })),
      nextPageToken: next,
    });
  }
}

/** The fields of WorkflowExecutionDescription the API reads, shaped as the SDK gives them. */
function describe(run: FakeRun) {
  return {
    type: run.type,
    workflowId: run.workflowId,
    runId: run.runId,
    taskQueue: run.taskQueue,
    status: { code: CODES[run.status], name: run.status },
    historyLength: 1,
    startTime: run.startTime,
    closeTime: run.closeTime,
    memo: run.memo,
    searchAttributes: {},
    typedSearchAttributes: new TypedSearchAttributes(run.searchAttributes),
    raw: { workflowExecutionInfo: { status: CODES[run.status] }, pendingActivities: [] },
  };
}
