import { randomUUID } from 'node:crypto';
import { type Client, type WorkflowHandle } from '@temporalio/client';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import {
  parsePipelineParams,
  SEARCH_ATTRIBUTES,
  TASK_QUEUES,
  WORKFLOW_TYPE,
  workflowIdFor,
  type PipelineParams,
  type PipelineResult,
} from '../contract';

export interface StartedRun {
  readonly params: PipelineParams;
  readonly handle: WorkflowHandle;
  readonly workflowId: string;
  readonly runId: string;
}

/**
 * Starts `mlPipeline` with parsed params (defaults filled in, so the history says exactly what ran).
 * Throws InvalidParamsError on bad params, and WorkflowExecutionAlreadyStartedError while the
 * pipeline's one allowed run is active.
 */
export async function startPipelineRun(client: Client, input: unknown, options: { workflowId?: string } = {}): Promise<StartedRun> {
  const params = parsePipelineParams(input);
  const workflowId = options.workflowId ?? workflowIdFor(params, randomUUID);
  const handle = await client.workflow.start<(p: PipelineParams) => Promise<PipelineResult>>(WORKFLOW_TYPE, {
    taskQueue: TASK_QUEUES.light,
    workflowId,
    args: [params],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    staticSummary: `${params.pipeline}: ${params.model.type} on ${params.dataset.source}`,
    staticDetails: `Deploys when ${params.deploy.metric} reaches ${params.deploy.threshold}${params.deploy.requireApproval ? ' and a person approves' : ''}.`,
    memo: { pipeline: params.pipeline, model: params.model.type, dataset: params.dataset.source, target: params.dataset.target },
    typedSearchAttributes: [
      { key: SEARCH_ATTRIBUTES.pipeline, value: params.pipeline },
      { key: SEARCH_ATTRIBUTES.modelType, value: params.model.type },
    ],
  });
  return { params, handle, workflowId, runId: handle.firstExecutionRunId };
}
