import { type z } from 'zod';
import { FAILURE_TYPES } from './failureTypes';
import { PipelineError } from './pipelineError';

export interface ParamIssue {
  /** Dotted path of the bad field, e.g. `model.hyperparameters.nTrees`. */
  readonly field: string;
  readonly message: string;
}

const describeIssues = (issues: readonly ParamIssue[]): string => issues.map((i) => `${i.field || '(root)'}: ${i.message}`).join('; ');

/** Input that does not fit its schema, naming every bad field. */
export class InvalidInputError extends PipelineError {
  override readonly name: string = 'InvalidInputError';
  constructor(
    readonly issues: readonly ParamIssue[],
    subject = 'input',
    failureType: typeof FAILURE_TYPES.InvalidInput | typeof FAILURE_TYPES.InvalidParams = FAILURE_TYPES.InvalidInput,
  ) {
    super(failureType, `invalid ${subject}: ${describeIssues(issues)}`);
  }
}

/** Pipeline params that do not fit PipelineParamsSchema. */
export class InvalidParamsError extends InvalidInputError {
  override readonly name = 'InvalidParamsError';
  constructor(issues: readonly ParamIssue[]) {
    super(issues, 'pipeline params', FAILURE_TYPES.InvalidParams);
  }
}

/** A union option the value did not even have the type of: its issues say nothing about the value. */
const wrongType = (issues: readonly z.core.$ZodIssue[]): boolean => issues.every((i) => i.code === 'invalid_type' && i.path.length === 0);

export function toParamIssues(error: { readonly issues: readonly z.core.$ZodIssue[] }, prefix: readonly PropertyKey[] = []): ParamIssue[] {
  return error.issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path].map(String);
    // zod reports unknown keys on the object holding them; name each unknown field itself.
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ field: [...path, key].join('.'), message: 'unknown field' }));
    // A union says only "Invalid input"; when one option has the value's type (a string or an
    // object), its own issues name the problem.
    if (issue.code === 'invalid_union') {
      const matching = issue.errors.filter((issues) => !wrongType(issues));
      if (matching.length === 1) return toParamIssues({ issues: matching[0] }, [...prefix, ...issue.path]);
    }
    return [{ field: path.join('.'), message: issue.message }];
  });
}
