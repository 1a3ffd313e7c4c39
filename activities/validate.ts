import { FAILURE_TYPES, runKey } from '../contract';
import { decodeTable } from '../ml/data/codec';
import { failureMessages, validateTable, type ExpectationName, type ValidationReport } from '../ml/validate';
import { type ActivityDeps } from './deps';
import { runStep, stepFailure } from './failures';
import { type ValidateInput, type ValidateResult } from './types';

/** The details of a ValidationFailed failure: the report, a sentence per failure, and which expectations failed. */
export interface ValidationFailureDetails {
  readonly report: string;
  readonly failures: string[];
  /** In report order; the worker counts these by expectation (mlp_validation_failures_total). */
  readonly failed: { readonly expectation: ExpectationName; readonly column?: string }[];
}

function details(report: string, failures: string[], expectations: ValidationReport['expectations']): ValidationFailureDetails {
  const failed = expectations.filter((e) => !e.passed).map(({ expectation, column }) => (column === undefined ? { expectation } : { expectation, column }));
  return { report, failures, failed };
}

export function createValidateActivities(deps: ActivityDeps) {
  /** Checks every expectation, writes the JSON report, and fails without retry when any expectation fails. */
  async function validate(input: ValidateInput): Promise<ValidateResult> {
    return runStep(async () => {
      const table = decodeTable(await deps.store.get(input.table.key));
      const report = validateTable(table, input.rules);
      const reportRef = await deps.store.put(runKey(input.run, 'validation', 'report.json'), JSON.stringify(report, null, 2));
      if (!report.passed) {
        const failures = failureMessages(report);
        throw stepFailure(
          FAILURE_TYPES.ValidationFailed,
          `validation failed (${failures.length} of ${report.expectations.length} expectations): ${failures.join('; ')}`,
          { details: [details(reportRef.uri, failures, report.expectations)] },
        );
      }
      return { report: reportRef, passed: true, expectations: report.expectations.length };
    });
  }

  return { validate };
}
