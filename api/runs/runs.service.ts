import { Inject, Injectable } from '@nestjs/common';
import { type Client, type WorkflowHandle } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { type ArtifactStore, type ObjectStream } from '../../storage/artifactStore';
import { startPipelineRun } from '../../client/startRun';
import {
  approveDeploySignal,
  describeFailure,
  rejectDeploySignal,
  runKey,
  SEARCH_ATTRIBUTES,
  statusQuery,
  workflowIdFor,
  type ApprovalInput,
  type ArtifactKind,
  type ParsedPipelineParams,
  type PipelineResult,
  type PipelineStatus,
  type RunRef,
  redactDeep,
} from '../../contract';
import { type ApiConfig } from '../config';
import { ConflictError, RunAlreadyActiveError } from '../common/errors';
import { API_CONFIG, ARTIFACT_STORE, TEMPORAL_CLIENT } from '../tokens';
import { pendingSteps, type PendingStepView } from './pendingSteps';
import { FreshViews } from './freshViews';
import { type RunDetail, runLinks } from './runView';
import { listRuns, statusName, type RunFilter, type RunPage } from './visibility';

/** A closed run's status comes from a worker replaying it; don't wait long when no worker answers. */
const CLOSED_QUERY_TIMEOUT_MS = 3_000;
/** A running run's worker answers in milliseconds; past this the view is built from the server's own records. */
const RUNNING_QUERY_TIMEOUT_MS = 2_000;
/** Closed runs never change, so their view is kept (by run id) instead of built again. */
const CLOSED_CACHE_SIZE = 1_000;
/** Runs last seen running, by workflow id: their next status query need not wait for the describe. */
const RUNNING_CACHE_SIZE = 1_000;

type RunState = { run: PipelineStatus | null; failure?: string; partial?: boolean };

export interface StartedRunView {
  readonly workflowId: string;
  readonly runId: string;
  readonly links: RunDetail['links'];
}

/** Attempt counts from the server's records: a retry the worker could not announce still shows. */
function withServerAttempts(run: PipelineStatus, pending: readonly PendingStepView[]): void {
  for (const p of pending) {
    const step = run.steps.find((s) => s.name === p.step);
    if (step) step.attempt = Math.max(step.attempt, p.attempt);
  }
}

@Injectable()
export class RunsService {
  private readonly closed = new Map<string, RunDetail>();
  private readonly lastRunning = new Map<string, string>();
  /** Views by workflow id and run id, within their max age (see FreshViews). */
  private readonly views: FreshViews<RunDetail>;

  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(ARTIFACT_STORE) private readonly store: ArtifactStore,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {
    const { running, closed } = config.runViewMaxAgeMs;
    this.views = new FreshViews({
      maxAgeMs: (view) => (view.status === 'running' ? running : closed),
      inFlightMaxAgeMs: Math.min(running, closed),
      size: RUNNING_CACHE_SIZE,
    });
  }

  private links(workflowId: string, runId: string, artifacts?: Record<string, string>) {
    return runLinks(workflowId, runId, this.config.temporal.uiUrl, this.config.temporal.namespace, artifacts);
  }

  /** `params` were parsed by the request pipe: they are passed on as they are, not parsed again. */
  async start(params: ParsedPipelineParams): Promise<StartedRunView> {
    try {
      const { workflowId, runId } = await startPipelineRun(this.client, params);
      this.views.invalidate(workflowId);
      return { workflowId, runId, links: this.links(workflowId, runId) };
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      const active = workflowIdFor(params, () => '');
      const description = await this.client.workflow.getHandle(active).describe();
      throw new RunAlreadyActiveError(params.pipeline, active, description.runId);
    }
  }

  list(filter: RunFilter, pageSize: number, cursor?: string): Promise<RunPage> {
    return listRuns(this.client, filter, pageSize, cursor);
  }

  /** A closed run's view, kept: it never changes. */
  private closedView(workflowId: string, runId: string | undefined): RunDetail | undefined {
    const view = runId === undefined ? undefined : this.closed.get(runId);
    return view?.workflowId === workflowId ? view : undefined;
  }

  async get(workflowId: string, runId?: string): Promise<RunDetail> {
    // Asked by run id, a closed run costs no call at all; by workflow id, one describe (which run is current).
    return this.closedView(workflowId, runId) ?? this.views.get(workflowId, runId ?? '', () => this.build(workflowId, runId));
  }

  private async build(workflowId: string, runId?: string): Promise<RunDetail> {
    const handle = this.client.workflow.getHandle(workflowId, runId);
    // A run this process saw running is asked for its status beside the describe, not after it;
    // the answer counts only if the describe says that run still runs.
    const seen = this.lastRunning.get(workflowId);
    const early = seen !== undefined && (runId ?? seen) === seen ? this.runningStatus(this.client.workflow.getHandle(workflowId, seen)) : undefined;
    const d = await handle.describe();
    this.remember(workflowId, d.runId, d.status.name === 'RUNNING');
    const known = this.closedView(workflowId, d.runId);
    if (known) return known;
    const status = early && d.status.name === 'RUNNING' && d.runId === seen ? early : this.statusOf(handle, d.status.name);
    const [{ run, failure, partial }, pending] = await Promise.all([status, pendingSteps(this.client, d)]);
    const memo = d.memo as { pipeline?: string; model?: string } | undefined;
    if (run) withServerAttempts(run, pending);
    // Params and messages may hold URLs with credentials: none is echoed as given.
    const view = redactDeep({
      workflowId,
      runId: d.runId,
      status: statusName(d.raw.workflowExecutionInfo?.status),
      startTime: d.startTime.toISOString(),
      closeTime: d.closeTime?.toISOString(),
      pipeline: memo?.pipeline ?? d.typedSearchAttributes.get(SEARCH_ATTRIBUTES.pipeline),
      modelType: memo?.model ?? d.typedSearchAttributes.get(SEARCH_ATTRIBUTES.modelType),
      stage: run?.stage ?? d.typedSearchAttributes.get(SEARCH_ATTRIBUTES.stage),
      primaryMetric: run?.decision?.value ?? d.typedSearchAttributes.get(SEARCH_ATTRIBUTES.primaryMetric),
      run,
      partial: partial ?? false,
      pending,
      failure,
      links: this.links(workflowId, d.runId, run?.artifacts),
    });
    // A closed run whose status no worker could give is asked again next time.
    if (d.status.name !== 'RUNNING' && run) {
      if (this.closed.size >= CLOSED_CACHE_SIZE) this.closed.delete(this.closed.keys().next().value as string);
      this.closed.set(d.runId, view);
    }
    return view;
  }

  private remember(workflowId: string, runId: string, running: boolean): void {
    this.lastRunning.delete(workflowId);
    if (!running) return;
    if (this.lastRunning.size >= RUNNING_CACHE_SIZE) this.lastRunning.delete(this.lastRunning.keys().next().value as string);
    this.lastRunning.set(workflowId, runId);
  }

  private statusOf(handle: WorkflowHandle, status: string): Promise<RunState> {
    return status === 'RUNNING' ? this.runningStatus(handle) : this.closedStatus(handle, status);
  }

  /** Never rejects: a worker that cannot answer (none polling, or one stuck in a long task) must not turn into a 500. */
  private runningStatus(handle: WorkflowHandle): Promise<RunState> {
    return this.client.connection
      .withDeadline(Date.now() + RUNNING_QUERY_TIMEOUT_MS, () => handle.query(statusQuery))
      .then((run): RunState => ({ run }), (): RunState => ({ run: null, partial: true }));
  }

  private async closedStatus(handle: WorkflowHandle, status: string): Promise<RunState> {
    if (status === 'COMPLETED') return { run: (await handle.result()) as PipelineResult };
    const failure = await handle.result().then(
      () => undefined,
      (error: unknown) => describeFailure(error),
    );
    const run = await this.client.connection
      .withDeadline(Date.now() + CLOSED_QUERY_TIMEOUT_MS, () => handle.query(statusQuery))
      .catch(() => null);
    return { run, failure };
  }

  /** The run's artifact folder, found from its memo (the pipeline) and its run id. */
  private async runRef(workflowId: string, runId?: string): Promise<RunRef> {
    const d = await this.client.workflow.getHandle(workflowId, runId).describe();
    const pipeline = (d.memo as { pipeline?: string } | undefined)?.pipeline ?? '';
    return { pipeline, workflowId, runId: d.runId };
  }

  /** Opened as a stream, so no request holds a whole object, whatever its size. */
  async artifact(workflowId: string, kind: ArtifactKind, file: string, runId?: string): Promise<ObjectStream> {
    return this.store.getStream(runKey(await this.runRef(workflowId, runId), kind, file));
  }

  report(workflowId: string, runId?: string): Promise<ObjectStream> {
    return this.artifact(workflowId, 'report', 'report.html', runId);
  }

  private async running(workflowId: string): Promise<WorkflowHandle> {
    const handle = this.client.workflow.getHandle(workflowId);
    const { status } = await handle.describe();
    if (status.name !== 'RUNNING') throw new ConflictError(`run ${workflowId} is not running (${status.name.toLowerCase()})`);
    return handle;
  }

  async cancel(workflowId: string): Promise<{ workflowId: string; cancelRequested: true }> {
    await (await this.running(workflowId)).cancel();
    this.views.invalidate(workflowId);
    return { workflowId, cancelRequested: true };
  }

  async decide(workflowId: string, approve: boolean, input: ApprovalInput): Promise<{ workflowId: string; decision: 'approved' | 'rejected' }> {
    await (await this.running(workflowId)).signal(approve ? approveDeploySignal : rejectDeploySignal, input);
    this.views.invalidate(workflowId);
    return { workflowId, decision: approve ? 'approved' : 'rejected' };
  }
}
