import { FAILURE_TYPES, runKey } from '../contract';
import { decodeTable, encodeTable } from '../ml/data/codec';
import { cellValue, withoutRows, type Table } from '../ml/data/table';
import { failureMessages, validateWithPolicies, type ExpectationName, type QuarantinePlan, type ValidationReport } from '../ml/validate';
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
  const failed = expectations.filter((e) => !e.passed && e.quarantined === undefined).map(({ expectation, column }) => (column === undefined ? { expectation } : { expectation, column }));
  return { report, failures, failed };
}

/** One JSON line per quarantined row: its 1-based data row, the rules it failed, and its cells. */
function quarantineLines(table: Table, plan: QuarantinePlan): string {
  const lines: string[] = [];
  plan.rows.forEach((row, i) => {
    const values = Object.fromEntries(table.columns.map((c) => [c.name, cellValue(c, row)]));
    lines.push(JSON.stringify({ row: row + 1, reasons: plan.reasons[i], values }));
  });
  return lines.join('\n') + '\n';
}

export function createValidateActivities(deps: ActivityDeps) {
  /**
   * Checks every expectation, writes the JSON report, and fails without retry when any expectation
   * fails. Rows of rules under a quarantine policy are written to quarantine.jsonl and left out of a
   * cleaned table, which the later steps read instead of the ingested one.
   */
  async function validate(input: ValidateInput): Promise<ValidateResult> {
    return runStep(async () => {
      const table = decodeTable(await deps.store.get(input.table.key));
      const outcome = validateWithPolicies(table, input.rules);
      let report = outcome.report;
      const plan = report.passed ? outcome.quarantine : undefined;
      const quarantine = plan && (await deps.store.put(runKey(input.run, 'validation', 'quarantine.jsonl'), quarantineLines(table, plan), 'application/x-ndjson'));
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
      if (!plan || !quarantine || !report.quarantine) return { report: reportRef, passed: true, expectations: report.expectations.length };
      const cleaned = await deps.store.put(runKey(input.run, 'validation', 'table.bin'), encodeTable(withoutRows(table, plan.rows)));
      return {
        report: reportRef,
        passed: true,
        expectations: report.expectations.length,
        quarantined: plan.rows.length,
        quarantine,
        table: cleaned,
        warnings: [`${report.quarantine.message}: written to ${quarantine.uri}`],
      };
    });
  }

  return { validate };
}
