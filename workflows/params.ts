import { ApplicationFailure, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { PipelineActivities } from '../activities';
import { FAILURE_TYPES } from '../contract/failureTypes';
import { statusQuery } from '../contract/messages';
import { InvalidInputError, InvalidParamsError } from '../contract/paramIssues';
import { type InferenceParams, type InferenceParamsInput } from '../contract/inferenceParams';
import { type PipelineParams, type PipelineParamsInput } from '../contract/params';
import { type ParamsCheck } from '../contract/paramsCheck';
import { INFERENCE_STEP_NAMES, STEP_NAMES, type StepName } from '../contract/status';
import { established } from './patches';

/**
 * Runs recorded before it parsed their input in the workflow. Since, a local activity checks it:
 * each new run's sandbox evaluates the workflow modules afresh, and zod with every schema was most
 * of that (tens of ms per run); the check's answer is recorded, so a replay needs no zod either.
 */
const PARAMS_CHECKED_LOCALLY = 'params-checked-locally';

const { checkPipelineParams, checkInferenceParams } = proxyLocalActivities<PipelineActivities>({
  summary: 'check the run params',
  startToCloseTimeout: '10s',
  retry: { maximumAttempts: 3 },
});

/** Only replays of older histories load the schemas, from the bundle, when they get here. */
const schemas = () => import(/* webpackMode: "eager" */ '../contract/paramsCheck.js');

/**
 * A run answers `status` from its first workflow task on, also while its params are being checked:
 * every step pending, named as the input names it (the run's state replaces this once they pass).
 */
function answerStatusWhileChecking(input: unknown, stepNames: readonly StepName[]): void {
  const named = (value: unknown): string => (typeof value === 'string' ? value : '');
  const raw = (input ?? {}) as { pipeline?: unknown; model?: { type?: unknown } };
  const status = { pipeline: named(raw.pipeline), modelType: named(raw.model?.type), stage: 'waiting_for_data' as const, steps: stepNames.map((name) => ({ name, state: 'pending' as const, attempt: 0 })), artifacts: {}, warnings: [] };
  setHandler(statusQuery, () => status);
}

export async function pipelineParamsCheck(input: PipelineParamsInput): Promise<ParamsCheck<PipelineParams>> {
  answerStatusWhileChecking(input, STEP_NAMES);
  if (established(PARAMS_CHECKED_LOCALLY)) return checkPipelineParams(input);
  return (await schemas()).checkPipelineParams(input);
}

export async function inferenceParamsCheck(input: InferenceParamsInput): Promise<ParamsCheck<InferenceParams>> {
  answerStatusWhileChecking(input, INFERENCE_STEP_NAMES);
  if (established(PARAMS_CHECKED_LOCALLY)) return checkInferenceParams(input);
  return (await schemas()).checkInferenceParams(input);
}

/** The checked params, or the non-retryable failure naming every bad field. */
export function pipelineParamsOf(check: ParamsCheck<PipelineParams>): PipelineParams {
  if (check.ok) return check.params;
  throw invalid(new InvalidParamsError(check.issues));
}

export function inferenceParamsOf(check: ParamsCheck<InferenceParams>): InferenceParams {
  if (check.ok) return check.params;
  throw invalid(new InvalidInputError(check.issues, 'inference params', FAILURE_TYPES.InvalidParams));
}

const invalid = (error: InvalidInputError) => ApplicationFailure.create({ type: FAILURE_TYPES.InvalidParams, message: error.message, nonRetryable: true, details: [error.issues] });
