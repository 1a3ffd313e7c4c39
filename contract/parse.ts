import { type z } from 'zod';
import { FAILURE_TYPES } from './failureTypes';
import { InferenceParamsSchema } from './inferenceParams';
import { PipelineParamsSchema } from './params';
import { InvalidInputError, InvalidParamsError, toParamIssues } from './paramIssues';

export * from './paramIssues';

/**
 * The params schema with a branded output: a value of type ParsedPipelineParams went through it
 * (every default filled in, every rule checked), so whoever receives one need not parse it again.
 * Only parsePipelineParams and the API's request pipes produce them. The brand is a type only.
 */
export const ParsedPipelineParamsSchema = PipelineParamsSchema.brand<'ParsedPipelineParams'>();
export type ParsedPipelineParams = z.output<typeof ParsedPipelineParamsSchema>;

/** Parses raw params, filling defaults; throws InvalidParamsError naming every bad field. */
export function parsePipelineParams(input: unknown): ParsedPipelineParams {
  const result = ParsedPipelineParamsSchema.safeParse(input);
  if (!result.success) throw new InvalidParamsError(toParamIssues(result.error));
  return result.data;
}

/** The same brand for batch inference params: parsed once where they come in. */
export const ParsedInferenceParamsSchema = InferenceParamsSchema.brand<'ParsedInferenceParams'>();
export type ParsedInferenceParams = z.output<typeof ParsedInferenceParamsSchema>;

/** Parses raw inference params, filling defaults; throws InvalidInputError (type InvalidParams) naming every bad field. */
export function parseInferenceParams(input: unknown): ParsedInferenceParams {
  const result = ParsedInferenceParamsSchema.safeParse(input);
  if (!result.success) throw new InvalidInputError(toParamIssues(result.error), 'inference params', FAILURE_TYPES.InvalidParams);
  return result.data;
}
