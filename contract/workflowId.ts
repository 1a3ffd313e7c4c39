import { type PipelineParamsInput } from './params';

/**
 * One active run per pipeline: its runs share a workflow id, and starting with the FAIL conflict
 * policy refuses a second one while the first runs. With allowConcurrentRuns each run gets its own.
 */
export function workflowIdFor(params: Pick<PipelineParamsInput, 'pipeline' | 'allowConcurrentRuns'>, unique: () => string): string {
  const base = `ml-${params.pipeline}`;
  return params.allowConcurrentRuns ? `${base}-${unique()}` : base;
}

/** The same rule for batch inference jobs, apart from training ids so a job may share its model's name. */
export function inferenceWorkflowIdFor(params: { readonly pipeline: string; readonly allowConcurrentRuns?: boolean }, unique: () => string): string {
  const base = `ml-infer-${params.pipeline}`;
  return params.allowConcurrentRuns ? `${base}-${unique()}` : base;
}
