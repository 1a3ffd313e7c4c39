import { InferenceParamsSchema, type InferenceParams } from './inferenceParams';
import { PipelineParamsSchema, type PipelineParams } from './params';
import { toParamIssues, type ParamIssue } from './paramIssues';

/**
 * A run's raw input checked against its schema: the params with every default filled in, or every
 * bad field. Serialisable, so that a local activity can check the input for the workflow: a workflow
 * that parsed it itself would evaluate zod and every schema afresh in each new run's sandbox.
 */
export type ParamsCheck<P> =
  | { readonly ok: true; readonly params: P }
  /** `pipeline` labels the run's metrics: its name when that field alone is valid. */
  | { readonly ok: false; readonly issues: readonly ParamIssue[]; readonly pipeline: string };

/** A run whose params do not parse has no trustworthy pipeline name: one label value for all of them. */
export const INVALID_PIPELINE = '(invalid)';

/** The pipeline label of a run's raw input; bounded because only valid names pass. */
export function pipelineLabel(input: unknown): string {
  const parsed = PipelineParamsSchema.shape.pipeline.safeParse((input as { pipeline?: unknown } | null)?.pipeline);
  return parsed.success ? parsed.data : INVALID_PIPELINE;
}

export function checkPipelineParams(input: unknown): ParamsCheck<PipelineParams> {
  const parsed = PipelineParamsSchema.safeParse(input);
  return parsed.success ? { ok: true, params: parsed.data } : { ok: false, issues: toParamIssues(parsed.error), pipeline: pipelineLabel(input) };
}

export function checkInferenceParams(input: unknown): ParamsCheck<InferenceParams> {
  const parsed = InferenceParamsSchema.safeParse(input);
  return parsed.success ? { ok: true, params: parsed.data } : { ok: false, issues: toParamIssues(parsed.error), pipeline: pipelineLabel(input) };
}
