import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, proxyActivities, startChild, WorkflowIdReusePolicy } from '@temporalio/workflow';
import type { PipelineActivities } from '../activities';
import { TASK_QUEUES } from '../contract/taskQueues';
import { type DriftSpec, type DriftSummary, type PipelineParams, type PipelineParamsInput, type RunRef } from '../contract';

/** The new data a retraining reads: the inference batch's source, as its params named it. */
export interface FreshData {
  readonly source: string;
  readonly format?: PipelineParams['dataset']['format'];
  readonly compression?: PipelineParams['dataset']['compression'];
  readonly delimiter?: string;
  readonly sheet?: string;
}

export type RetrainDecision =
  | { readonly retrain: false; readonly alert: boolean; readonly reason: string }
  | { readonly retrain: true; readonly alert: true; readonly reason: string; readonly workflowId: string; readonly params: PipelineParamsInput };

/** One retraining per model at a time: a second start with this id while one runs is refused by Temporal. */
export function retrainWorkflowId(model: string): string {
  return `retrain-${model}`;
}

/** Why this drift result calls for a retraining (a metric under its floor, drift, or a warning when `onWarn`), or undefined. */
export function retrainTrigger(drift: DriftSummary, spec: DriftSpec): string | undefined {
  if (drift.verdict === 'ok') return undefined;
  const names = drift.worst.filter((s) => s.verdict !== 'ok').map((s) => `${s.feature} (PSI ${s.psi.toFixed(3)})`);
  if (drift.metric && !drift.metric.passed) return `${drift.metric.name} ${drift.metric.value} crossed its threshold ${drift.metric.threshold}`;
  if (drift.verdict === 'drift') return `drift in ${names.join(', ')}`;
  if (drift.verdict === 'warn' && spec.retrain.onWarn) return `drift warning in ${names.join(', ')}`;
  return undefined;
}

/**
 * Whether a drift result should start a retraining run, and its params: the deployed version's
 * training params (its lineage) with the dataset source replaced by the fresh data and no sensor
 * (the data is there already). Pure and deterministic, for workflow code. `alert` says whether a
 * retrain alert is due even when retraining itself is off.
 */
export function decideRetrain(drift: DriftSummary, spec: DriftSpec, lineageParams: PipelineParams, fresh: FreshData): RetrainDecision {
  const why = retrainTrigger(drift, spec);
  if (why === undefined) return { retrain: false, alert: false, reason: `no retraining: verdict ${drift.verdict}` };
  if (!spec.retrain.enabled) return { retrain: false, alert: true, reason: `${why}; retraining is not enabled` };
  const { sensor: _sensor, ...kept } = lineageParams;
  // The fresh data's own reading options replace the old ones: a CSV delimiter must not stick to a Parquet batch.
  const { format: _f, compression: _c, delimiter: _d, sheet: _s, ...columns } = lineageParams.dataset;
  const dataset = { ...columns, ...Object.fromEntries(Object.entries(fresh).filter(([, v]) => v !== undefined)), source: fresh.source };
  const params: PipelineParamsInput = { ...kept, dataset, allowConcurrentRuns: true };
  return { retrain: true, alert: true, reason: why, workflowId: retrainWorkflowId(drift.modelName), params };
}

export type RetrainStart =
  | { readonly started: true; readonly workflowId: string; readonly runId: string }
  | { readonly started: false; readonly reason: string };

const light = proxyActivities<PipelineActivities>({ taskQueue: TASK_QUEUES.light, startToCloseTimeout: '1m', heartbeatTimeout: '10s', retry: { maximumAttempts: 5 } });

/**
 * Starts the retraining a decision asked for, guarded twice: the cool-down (claimRetrain, one
 * grant per model per cool-down, recorded in the artifact store) and one run per model at a time
 * (the child's fixed id; a start while one runs is refused, reported, not a failure). The child is
 * abandoned when this run ends, so it trains to its end.
 */
export async function startRetrain(decision: Extract<RetrainDecision, { retrain: true }>, spec: DriftSpec, model: string, run: RunRef): Promise<RetrainStart> {
  const claim = await light.claimRetrain({ modelName: model, cooldownSeconds: spec.retrain.cooldownSeconds, run });
  if (!claim.granted) return { started: false, reason: `cool-down: model ${model} was last retrained at ${claim.lastClaimAt}, next allowed at ${claim.nextAllowedAt}` };
  try {
    const child = await startChild('mlPipeline', {
      workflowId: decision.workflowId,
      args: [decision.params],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      taskQueue: TASK_QUEUES.light,
    });
    return { started: true, workflowId: child.workflowId, runId: child.firstExecutionRunId };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return { started: false, reason: `a retraining of model ${model} is already running (${decision.workflowId})` };
    throw error;
  }
}

/** The drift step, on the compute queue: its scoring runs in a compute thread. */
export function driftStep(startToCloseSeconds = 3600, heartbeatSeconds = 30) {
  return proxyActivities<PipelineActivities>({
    taskQueue: TASK_QUEUES.compute,
    summary: 'drift: compare the batch with the training profile',
    startToCloseTimeout: `${startToCloseSeconds}s`,
    heartbeatTimeout: `${heartbeatSeconds}s`,
    retry: { maximumAttempts: 3 },
  }).drift;
}
