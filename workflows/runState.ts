import {
  isCancellation,
  patched,
  setCurrentDetails,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { describeFailure } from '../contract/failures';
import { approveDeploySignal, rejectDeploySignal, statusQuery, stepProgressSignal } from '../contract/messages';
import { runMetadata } from '../contract/runMetadata';
import { SEARCH_ATTRIBUTES } from '../contract/searchAttributes';
import { STEP_NAMES, TUNED_STEP_NAMES } from '../contract/status';
import { type ApprovalInput, type Outcome, type PipelineParams, type PipelineStatus, type RunKind, type RunMetadata, type RunFacts, type RunRef, type Stage, type StepName, type StepStatus } from '../contract';
import { finalAttempt } from './attempts';

const STAGE_OF: Record<StepName, Stage> = {
  waitForData: 'waiting_for_data',
  ingest: 'ingesting',
  validate: 'validating',
  preprocess: 'preprocessing',
  tune: 'tuning',
  train: 'training',
  evaluate: 'evaluating',
  compare: 'comparing',
  predict: 'predicting',
  drift: 'checking_drift',
  approval: 'awaiting_approval',
  deploy: 'deploying',
  register: 'registering',
  alert: 'alerting',
  report: 'reporting',
};

const FINAL_STAGE: Record<Outcome, Stage> = {
  deployed: 'deployed',
  not_deployed: 'not_deployed',
  scored: 'scored',
  skipped: 'skipped',
  failed: 'failed',
  cancelled: 'cancelled',
};

/** Marks runs that upsert MlKind; histories recorded before it never did. */
export const RUN_KIND_PATCH = 'run-kind-attribute';

/** What a workflow tells RunState about its run. */
export interface RunDescription {
  readonly pipeline: string;
  readonly modelType: string;
  readonly kind: RunKind;
  readonly stepNames: readonly StepName[];
  readonly metadata: RunMetadata;
}

/** A training run as RunState sees it. */
export function trainingRun(params: PipelineParams): RunDescription {
  return { pipeline: params.pipeline, modelType: params.model.type, kind: 'training', stepNames: params.tuning ? TUNED_STEP_NAMES : STEP_NAMES, metadata: runMetadata(params) };
}

export interface ApprovalDecision extends ApprovalInput {
  readonly approved: boolean;
}

/**
 * The run as the `status` query shows it, kept in step with the search attributes, memo and
 * Web UI details. Handlers are registered at construction, before the first await.
 */
export class RunState {
  readonly status: PipelineStatus;
  readonly run: RunRef;
  /** What the tracking record needs beyond the status; training runs fill it in as steps complete. */
  readonly facts: RunFacts = {};
  approval?: ApprovalDecision;

  constructor(run: RunDescription) {
    const info = workflowInfo();
    this.run = { pipeline: run.pipeline, workflowId: info.workflowId, runId: info.runId };
    this.status = {
      pipeline: run.pipeline,
      modelType: run.modelType,
      stage: 'waiting_for_data',
      steps: run.stepNames.map((name) => ({ name, state: 'pending', attempt: 0 })),
      artifacts: {},
      warnings: [],
    };
    setHandler(statusQuery, () => this.status);
    setHandler(approveDeploySignal, (input) => this.decideApproval(true, input));
    setHandler(rejectDeploySignal, (input) => this.decideApproval(false, input));
    setHandler(stepProgressSignal, ({ step, attempt, progress }) => {
      const s = this.stepOf(step);
      if (s.state !== 'running') return;
      s.attempt = Math.max(s.attempt, attempt);
      if (progress) s.progress = progress;
    });
    // The same memo and search attributes a client sets at start, for runs started without them (the CLI).
    const { memo, typedSearchAttributes } = run.metadata;
    upsertMemo(memo);
    // The kind joined the attributes later: runs recorded before upserted the others only.
    const attributes = typedSearchAttributes.filter((a) => a.key.name !== SEARCH_ATTRIBUTES.kind.name);
    if (patched(RUN_KIND_PATCH)) attributes.push({ key: SEARCH_ATTRIBUTES.kind, value: run.kind });
    upsertSearchAttributes([...attributes, { key: SEARCH_ATTRIBUTES.stage, value: this.status.stage }]);
  }

  stepOf(name: StepName): StepStatus {
    return this.status.steps.find((s) => s.name === name)!;
  }

  /** Runs one step, recording its state, timing and summary; failures are recorded and rethrown. */
  async step<T>(name: StepName, body: () => Promise<T>, summarize?: (result: T) => string): Promise<T> {
    const s = this.stepOf(name);
    Object.assign(s, { state: 'running', attempt: 1, startedAt: new Date().toISOString() });
    this.status.currentStep = name;
    this.setStage(STAGE_OF[name]);
    try {
      const result = await body();
      Object.assign(s, { state: 'completed', endedAt: new Date().toISOString(), summary: summarize?.(result) });
      if (s.progress) s.progress = { ...s.progress, fraction: 1 };
      return result;
    } catch (error) {
      const attempt = Math.max(s.attempt, finalAttempt(name, error));
      Object.assign(s, { state: isCancellation(error) ? 'cancelled' : 'failed', attempt, endedAt: new Date().toISOString(), error: describeFailure(error) });
      throw error;
    }
  }

  skip(name: StepName, reason: string): void {
    Object.assign(this.stepOf(name), { state: 'skipped', summary: reason });
  }

  artifact(kind: string, uri: string): void {
    this.status.artifacts[kind] = uri;
  }

  recordMetrics(metrics: Record<string, number>, primary: number): void {
    this.status.metrics = metrics;
    upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.primaryMetric, value: primary }]);
  }

  /** Records how the run ended, before the report; steps that never ran become skipped (or cancelled). */
  conclude(outcome: Outcome, error?: unknown): void {
    this.status.outcome = outcome;
    if (error !== undefined) this.status.error = describeFailure(error);
    for (const s of this.status.steps) {
      if (s.state === 'pending' && s.name !== 'report') s.state = outcome === 'cancelled' ? 'cancelled' : 'skipped';
    }
  }

  /** The final stage, once the report step is over. */
  close(): void {
    this.status.currentStep = undefined;
    this.setStage(FINAL_STAGE[this.status.outcome ?? 'failed']);
  }

  private setStage(stage: Stage): void {
    this.status.stage = stage;
    upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.stage, value: stage }]);
    setCurrentDetails(`**${this.status.pipeline}** (${this.status.modelType}): ${stage.replace(/_/g, ' ')}`);
  }

  private decideApproval(approved: boolean, input?: ApprovalInput): void {
    this.approval ??= { approved, ...input };
  }
}
