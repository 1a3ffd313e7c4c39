import { type SearchAttributePair } from '@temporalio/common';
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
import { type ApprovalInput, type Outcome, type PipelineParams, type PipelineStatus, type RunKind, type RunMemo, type RunMetadata, type RunFacts, type RunRef, type Stage, type StepName, type StepStatus } from '../contract';
import { finalAttempt } from './attempts';
import { established, LEAN_HISTORY } from './patches';

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
  /**
   * Lean runs (LEAN_HISTORY) upsert a search attribute only when it can be seen: a change made while
   * a workflow task goes on (its local steps) waits here for the next stage someone could watch
   * (an ordinary step, a wait, the end), and goes with it in one upsert.
   */
  private readonly lean: boolean;
  private readonly heldAttributes = new Map<string, SearchAttributePair>();
  private readonly localSteps = new Set<StepName>();

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
    this.lean = patched(LEAN_HISTORY);
    // A lean run started with them (by our client) has nothing to add.
    if (!this.lean || !memoSet(info.memo, memo)) upsertMemo(memo);
    // The kind joined the attributes later: runs recorded before upserted the others only.
    const attributes = typedSearchAttributes.filter((a) => a.key.name !== SEARCH_ATTRIBUTES.kind.name);
    if (established(RUN_KIND_PATCH)) attributes.push({ key: SEARCH_ATTRIBUTES.kind, value: run.kind });
    attributes.push({ key: SEARCH_ATTRIBUTES.stage, value: this.status.stage });
    if (!this.lean) upsertSearchAttributes(attributes);
    else for (const pair of attributes) if (info.typedSearchAttributes.get(pair.key) !== pair.value) this.holdAttribute(pair);
  }

  /** Steps from here that run inside the workflow task (local activities): their stages are not upserted one by one in a lean run. */
  runLocally(steps: readonly StepName[]): void {
    for (const name of steps) this.localSteps.add(name);
  }

  stepOf(name: StepName): StepStatus {
    return this.status.steps.find((s) => s.name === name)!;
  }

  /** Runs one step, recording its state, timing and summary; failures are recorded and rethrown. */
  async step<T>(name: StepName, body: () => Promise<T>, summarize?: (result: T) => string): Promise<T> {
    const s = this.stepOf(name);
    Object.assign(s, { state: 'running', attempt: 1, startedAt: new Date().toISOString() });
    this.status.currentStep = name;
    this.setStage(STAGE_OF[name], this.localSteps.has(name));
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
    const pair: SearchAttributePair = { key: SEARCH_ATTRIBUTES.primaryMetric, value: primary };
    if (this.lean) this.holdAttribute(pair);
    else upsertSearchAttributes([pair]);
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

  private setStage(stage: Stage, local = false): void {
    this.status.stage = stage;
    const pair: SearchAttributePair = { key: SEARCH_ATTRIBUTES.stage, value: stage };
    if (!this.lean) upsertSearchAttributes([pair]);
    else {
      this.holdAttribute(pair);
      if (!local) this.upsertHeld();
    }
    setCurrentDetails(`**${this.status.pipeline}** (${this.status.modelType}): ${stage.replace(/_/g, ' ')}`);
  }

  private holdAttribute(pair: SearchAttributePair): void {
    this.heldAttributes.set(pair.key.name, pair);
  }

  private upsertHeld(): void {
    if (this.heldAttributes.size === 0) return;
    upsertSearchAttributes([...this.heldAttributes.values()]);
    this.heldAttributes.clear();
  }

  private decideApproval(approved: boolean, input?: ApprovalInput): void {
    this.approval ??= { approved, ...input };
  }
}

/** Whether the run was started with this memo already (values compared as JSON: they are plain data). */
function memoSet(started: Record<string, unknown> | undefined, memo: RunMemo): boolean {
  return started !== undefined && Object.entries(memo).every(([key, value]) => JSON.stringify(started[key]) === JSON.stringify(value));
}
