import { ApplicationFailure } from '@temporalio/common';
import { runKey } from '../contract';
import { decodeTable } from '../ml/data/codec';
import { failureMessages, validateTable } from '../ml/validate';
import { type ActivityDeps } from './deps';
import { runStep } from './failures';
import { type ValidateInput, type ValidateResult } from './types';

export const VALIDATION_FAILED = 'ValidationFailed';

export function createValidateActivities(deps: ActivityDeps) {
  /** Checks every expectation, writes the JSON report, and fails without retry when any expectation fails. */
  async function validate(input: ValidateInput): Promise<ValidateResult> {
    return runStep(async () => {
      const table = decodeTable(await deps.store.get(input.table.key));
      const report = validateTable(table, input.rules);
      const reportRef = await deps.store.put(runKey(input.run, 'validation', 'report.json'), JSON.stringify(report, null, 2));
      if (!report.passed) {
        const failures = failureMessages(report);
        throw ApplicationFailure.create({
          type: VALIDATION_FAILED,
          message: `validation failed (${failures.length} of ${report.expectations.length} expectations): ${failures.join('; ')}`,
          nonRetryable: true,
          details: [{ report: reportRef.uri, failures }],
        });
      }
      return { report: reportRef, passed: true, expectations: report.expectations.length };
    });
  }

  return { validate };
}
