import { DEFAULT_MAX_QUARANTINE_FRACTION, type QuarantinableExpectation, type ValidationRules } from '../../contract/params';
import { type Table } from '../data/table';
import { checkAllowedValues } from './allowedValues';
import { checkColumnType, checkRequiredColumn } from './columns';
import { checkNotNull } from './notNull';
import { checkPattern } from './patterns';
import { checkRange } from './range';
import { type CheckedExpectation, type ExpectationResult, type QuarantineSummary, type ValidationReport, plural } from './report';
import { checkMaxRows, checkMinRows } from './rows';
import { checkUnique } from './unique';
import { checkSchema } from './schema';

export type { ExpectationName, ExpectationResult, QuarantineSummary, ValidationReport } from './report';

/** The rows quarantine policies set aside, for the validate step to write out and remove. */
export interface QuarantinePlan {
  /** Table rows (0-based), ascending. */
  readonly rows: Int32Array;
  /** Per row of `rows`, the rules it failed, e.g. ["range sepal_length"]. */
  readonly reasons: string[][];
}

export interface ValidationOutcome {
  readonly report: ValidationReport;
  /** Present when quarantine policies set rows aside and the run goes on without them. */
  readonly quarantine?: QuarantinePlan;
}

const ruleLabel = (e: ExpectationResult): string => (e.column === undefined ? e.expectation : `${e.expectation} ${e.column}`);

function percent(fraction: number): string {
  return `${+(fraction * 100).toPrecision(3)}%`;
}

/**
 * Evaluates every expectation of the rules (no early exit), so the report lists every failure.
 * A rule naming an absent column is a failed expectation, never an exception. Row-level kinds under
 * `onFailure: quarantine` that fail set their rows aside instead, up to `maxQuarantineFraction` of
 * the table; beyond it the report fails, naming how many rows failed which rule.
 */
export function validateWithPolicies(table: Table, rules: ValidationRules): ValidationOutcome {
  const checked: CheckedExpectation[] = [];
  const quarantining = new Set<number>();
  const add = (kind: QuarantinableExpectation | undefined, check: (keepAll: boolean) => CheckedExpectation) => {
    const keepAll = kind !== undefined && rules.onFailure?.[kind] === 'quarantine';
    if (keepAll) quarantining.add(checked.length);
    checked.push(check(keepAll));
  };
  if (rules.minRows !== undefined) add(undefined, () => checkMinRows(table, rules.minRows!));
  if (rules.maxRows !== undefined) add(undefined, () => checkMaxRows(table, rules.maxRows!));
  for (const name of rules.requiredColumns) add(undefined, () => checkRequiredColumn(table, name));
  for (const rule of rules.notNull) add('notNull', (all) => checkNotNull(table, rule, all));
  for (const key of rules.unique) add('unique', (all) => checkUnique(table, key, all));
  for (const rule of rules.ranges) add('ranges', (all) => checkRange(table, rule, all));
  for (const [name, allowed] of Object.entries(rules.allowedValues)) add('allowedValues', (all) => checkAllowedValues(table, name, allowed, all));
  for (const [name, type] of Object.entries(rules.columnTypes)) add(undefined, () => checkColumnType(table, name, type));
  for (const [name, pattern] of Object.entries(rules.patterns)) add('patterns', (all) => checkPattern(table, name, pattern, all));
  if (rules.schema !== undefined) add(undefined, () => checkSchema(table, rules.schema!));

  // Only failures that name their rows can be quarantined: an absent column or a wrong type still fails.
  const quarantined = checked.map((e, i) => quarantining.has(i) && !e.passed && e.allRows !== undefined && e.allRows.length > 0);
  const expectations: ExpectationResult[] = checked.map(({ allRows: _all, ...e }) => e);
  const othersPass = expectations.every((e, i) => e.passed || quarantined[i]);
  if (!quarantined.includes(true)) return { report: { passed: othersPass, rowCount: table.rowCount, expectations } };

  const reasons = new Map<number, string[]>();
  const byRule: QuarantineSummary['byRule'] = [];
  checked.forEach((e, i) => {
    if (!quarantined[i]) return;
    const rule = ruleLabel(e);
    byRule.push({ rule, rows: e.allRows!.length });
    for (const row of e.allRows!) {
      const list = reasons.get(row);
      if (list) list.push(rule);
      else reasons.set(row, [rule]);
    }
  });
  const maxFraction = rules.maxQuarantineFraction ?? DEFAULT_MAX_QUARANTINE_FRACTION;
  const fraction = reasons.size / table.rowCount;
  const applied = fraction <= maxFraction;
  const rulesText = byRule.map((r) => `${r.rule}: ${plural(r.rows, 'row')}`).join(', ');
  const message = applied
    ? `${plural(reasons.size, 'row')} of ${table.rowCount} quarantined (${percent(fraction)}; ${rulesText})`
    : `quarantine would remove ${plural(reasons.size, 'row')} of ${table.rowCount} (${percent(fraction)}), more than validation.maxQuarantineFraction ${percent(maxFraction)} allows (${rulesText})`;
  const summary: QuarantineSummary = { rows: reasons.size, fraction, maxFraction, applied, byRule, message };
  const report: ValidationReport = {
    passed: othersPass && applied,
    rowCount: table.rowCount,
    expectations: applied ? expectations.map((e, i) => (quarantined[i] ? { ...e, quarantined: checked[i].allRows!.length } : e)) : expectations,
    quarantine: summary,
  };
  if (!applied) return { report };
  const rows = Int32Array.from(reasons.keys()).sort();
  return { report, quarantine: { rows, reasons: Array.from(rows, (row) => reasons.get(row)!) } };
}

/** The report of `validateWithPolicies`, for callers that only need it. */
export function validateTable(table: Table, rules: ValidationRules): ValidationReport {
  return validateWithPolicies(table, rules).report;
}

/** The message of each failure, in report order: failed expectations not quarantined, then a quarantine over its limit. */
export function failureMessages(report: ValidationReport): string[] {
  const failed = report.expectations.filter((e) => !e.passed && e.quarantined === undefined).map((e) => e.message);
  if (report.quarantine && !report.quarantine.applied) failed.push(report.quarantine.message);
  return failed;
}
