import { type ValidationRules } from '../../../contract';
import { decodeTable, encodeTable } from '../../../ml/data/codec';
import { cellValue, withoutRows, type Table } from '../../../ml/data/table';
import { validateWithPolicies, type QuarantinePlan, type ValidationReport } from '../../../ml/validate';
import { movable, type ComputeTask } from '../protocol';

export interface ValidateTaskInput {
  /** The encoded table to check. */
  readonly table: Uint8Array;
  readonly rules: ValidationRules;
}

/** The rows quarantine policies set aside, ready to store. */
export interface QuarantinedRows {
  readonly rows: number;
  /** One JSON line per row: its 1-based data row, the rules it failed, and its cells. */
  readonly lines: string;
  /** The encoded table without those rows. */
  readonly cleaned: Uint8Array;
}

export interface ValidateTaskOutput {
  readonly report: ValidationReport;
  /** Present when the report passed with rows quarantined. */
  readonly quarantine?: QuarantinedRows;
}

function quarantineLines(table: Table, plan: QuarantinePlan): string {
  const lines: string[] = [];
  plan.rows.forEach((row, i) => {
    const values = Object.fromEntries(table.columns.map((c) => [c.name, cellValue(c, row)]));
    lines.push(JSON.stringify({ row: row + 1, reasons: plan.reasons[i], values }));
  });
  return lines.join('\n') + '\n';
}

/**
 * Checks every expectation over the table and, when quarantine policies set rows aside and the rest
 * passed, writes out those rows and the table without them: every pass over the rows, off the
 * worker's event loop. The activity stores what comes back and decides the failure.
 */
export const validateTask: ComputeTask<ValidateTaskInput, ValidateTaskOutput> = (input, { progress }) => {
  progress({ fraction: 0, message: 'decoding the table' });
  const table = decodeTable(input.table);
  progress({ fraction: 0.1, message: `checking ${table.rowCount} rows` });
  const { report, quarantine: plan } = validateWithPolicies(table, input.rules);
  if (!report.passed || !plan) return Promise.resolve({ value: { report } });
  progress({ fraction: 0.8, message: `setting ${plan.rows.length} quarantined rows aside` });
  const cleaned = movable(encodeTable(withoutRows(table, plan.rows)));
  return Promise.resolve({ value: { report, quarantine: { rows: plan.rows.length, lines: quarantineLines(table, plan), cleaned } }, transfer: [cleaned.buffer] });
};
