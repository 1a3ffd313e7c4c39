import { checkInferenceParams, checkPipelineParams, type InferenceParams, type ParamsCheck, type PipelineParams } from '../contract';

/**
 * A run's first step, run as a local activity: its raw input checked against the params schema here,
 * where zod and the schemas are loaded once per process, and not in the workflow's sandbox, where
 * every new run would evaluate them afresh.
 */
export function createParamsActivities() {
  return {
    checkPipelineParams: (input: unknown): Promise<ParamsCheck<PipelineParams>> => Promise.resolve(checkPipelineParams(input)),
    checkInferenceParams: (input: unknown): Promise<ParamsCheck<InferenceParams>> => Promise.resolve(checkInferenceParams(input)),
  };
}
