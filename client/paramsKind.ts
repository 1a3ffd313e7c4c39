import { type RunKind } from '../contract';

/**
 * Which workflow a params file is for: training params name a model type to fit, inference params a
 * registered model to score with (`model.name` alone, optionally a version). Used where one file
 * may be either (the demo); the schema of the kind then checks every field.
 */
export function paramsKind(params: unknown): RunKind {
  const model = (params as { model?: unknown } | null)?.model;
  return typeof model === 'object' && model !== null && !('type' in model) ? 'inference' : 'training';
}
