import { randomUUID } from 'node:crypto';
import { type Client } from '@temporalio/client';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import {
  INFERENCE_WORKFLOW_TYPE,
  inferenceRunMetadata,
  inferenceWorkflowIdFor,
  TASK_QUEUES,
  type InferenceParams,
  type ParsedInferenceParams,
  type PipelineResult,
  type RunMetadata,
} from '../contract';
import { type StartedRun } from './startRun';

/** What starts one `mlInference` run, from a client now or a Temporal Schedule later. */
export interface InferenceRunOptions extends RunMetadata {
  readonly workflowType: typeof INFERENCE_WORKFLOW_TYPE;
  readonly taskQueue: string;
  readonly workflowId: string;
  readonly args: [InferenceParams];
}

export function inferenceRunOptions(params: ParsedInferenceParams, workflowId = inferenceWorkflowIdFor(params, randomUUID)): InferenceRunOptions {
  return { workflowType: INFERENCE_WORKFLOW_TYPE, taskQueue: TASK_QUEUES.light, workflowId, args: [params], ...inferenceRunMetadata(params) };
}

export interface StartedInferenceRun extends Omit<StartedRun, 'params'> {
  readonly params: ParsedInferenceParams;
}

/** Starts `mlInference` with parsed params; refused while the job's one allowed run is active. */
export async function startInferenceRun(client: Client, params: ParsedInferenceParams, options: { workflowId?: string } = {}): Promise<StartedInferenceRun> {
  const { workflowType, ...start } = inferenceRunOptions(params, options.workflowId);
  const handle = await client.workflow.start<(p: InferenceParams) => Promise<PipelineResult>>(workflowType, {
    ...start,
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
  });
  return { params, handle, workflowId: start.workflowId, runId: handle.firstExecutionRunId };
}
