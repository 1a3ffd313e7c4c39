import { randomUUID } from 'node:crypto';
import { type Client, type WorkflowHandle } from '@temporalio/client';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import {
  runMetadata,
  TASK_QUEUES,
  WORKFLOW_TYPE,
  workflowIdFor,
  type ParsedPipelineParams,
  type PipelineParams,
  type PipelineResult,
  type RunMetadata,
} from '../contract';

export interface StartedRun {
  readonly params: ParsedPipelineParams;
  readonly handle: WorkflowHandle;
  readonly workflowId: string;
  readonly runId: string;
}

/** What starts one `mlPipeline` run, whoever starts it: a client now, or a Temporal Schedule later. */
export interface PipelineRunOptions extends RunMetadata {
  readonly workflowType: typeof WORKFLOW_TYPE;
  readonly taskQueue: string;
  readonly workflowId: string;
  readonly args: [PipelineParams];
}

/**
 * The start options of a run of `params`: its workflow id (workflowIdFor unless given), the parsed
 * params as its one argument (defaults filled in, so the history says exactly what ran) and its metadata.
 */
export function pipelineRunOptions(params: ParsedPipelineParams, workflowId = workflowIdFor(params, randomUUID)): PipelineRunOptions {
  return { workflowType: WORKFLOW_TYPE, taskQueue: TASK_QUEUES.light, workflowId, args: [params], ...runMetadata(params) };
}

/**
 * Starts `mlPipeline` with params that were parsed already (parsePipelineParams, or the API's
 * request pipe). Throws WorkflowExecutionAlreadyStartedError while the pipeline's one allowed run is active.
 */
export async function startPipelineRun(client: Client, params: ParsedPipelineParams, options: { workflowId?: string; eager?: boolean } = {}): Promise<StartedRun> {
  const { workflowType, ...start } = pipelineRunOptions(params, options.workflowId);
  const handle = await client.workflow.start<(p: PipelineParams) => Promise<PipelineResult>>(workflowType, {
    ...start,
    // The first workflow task in the start's answer, for a client on the same NativeConnection as a light worker of this process.
    ...(options.eager && { requestEagerStart: true }),
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
  });
  return { params, handle, workflowId: start.workflowId, runId: handle.firstExecutionRunId };
}
