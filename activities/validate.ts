import { cancellationSignal } from '@temporalio/activity';
import { FAILURE_TYPES, runKey } from '../contract';
import { failureMessages, type ExpectationName, type ValidationReport } from '../ml/validate';
import { INLINE_MAX_TABLE_BYTES } from './compute/inline';
import { movable } from './compute/protocol';
import { runCompute } from './compute/runCompute';
import { type ActivityDeps } from './deps';
import { runStep, stepFailure } from './failures';
import { StepReporter } from './progress';
import { type ValidateInput, type ValidateResult } from './types';

/** The details of a ValidationFailed failure: the report, a sentence per failure, and which expectations failed. */
export interface ValidationFailureDetails {
  readonly report: string;
  readonly failures: string[];
  /** In report order; the worker counts these by expectation (mlp_validation_failures_total). */
  readonly failed: { readonly expectation: ExpectationName; readonly column?: string }[];
}

function details(report: string, failures: string[], expectations: ValidationReport['expectations']): ValidationFailureDetails {
  const failed = expectations.filter((e) => !e.passed && e.quarantined === undefined).map(({ expectation, column }) => (column === undefined ? { expectation } : { expectation, column }));
  return { report, failures, failed };
}

export function createValidateActivities(deps: ActivityDeps) {
  /**
   * Checks every expectation (in a compute thread; inline for a tiny table), writes the JSON report,
   * and fails without retry when any expectation fails. Rows of rules under a quarantine policy are
   * written to quarantine.jsonl and left out of a cleaned table, which the later steps read instead
   * of the ingested one.
   */
  async function validate(input: ValidateInput): Promise<ValidateResult> {
    return runStep(async () => {
      const reporter = new StepReporter('validate', deps.clock, deps.progressIntervalMs);
      const table = movable(await deps.store.get(input.table.key));
      const checked = await runCompute(
        'validate',
        { table, rules: input.rules },
        { inline: table.byteLength <= INLINE_MAX_TABLE_BYTES, transfer: [table.buffer], signal: cancellationSignal(), onProgress: (progress) => reporter.report(progress) },
      );
      let report = checked.report;
      const quarantine = checked.quarantine && (await deps.store.put(runKey(input.run, 'validation', 'quarantine.jsonl'), checked.quarantine.lines, 'application/x-ndjson'));
      if (quarantine && report.quarantine) report = { ...report, quarantine: { ...report.quarantine, file: quarantine.uri } };
      const reportRef = await deps.store.put(runKey(input.run, 'validation', 'report.json'), JSON.stringify(report, null, 2));
      if (!report.passed) {
        const failures = failureMessages(report);
        const failed = report.expectations.filter((e) => !e.passed && e.quarantined === undefined).length;
        throw stepFailure(
          FAILURE_TYPES.ValidationFailed,
          `validation failed (${failed} of ${report.expectations.length} expectations): ${failures.join('; ')}`,
          { details: [details(reportRef.uri, failures, report.expectations)] },
        );
      }
      if (!checked.quarantine || !quarantine || !report.quarantine) return { report: reportRef, passed: true, expectations: report.expectations.length };
      const cleaned = await deps.store.put(runKey(input.run, 'validation', 'table.bin'), checked.quarantine.cleaned);
      return {
        report: reportRef,
        passed: true,
        expectations: report.expectations.length,
        quarantined: checked.quarantine.rows,
        quarantine,
        table: cleaned,
        warnings: [`${report.quarantine.message}: written to ${quarantine.uri}`],
      };
    });
  }

  return { validate };
}
