import { type ValidationRules } from '../../contract/params';
import { type Table } from '../data/table';
import { checkAllowedValues } from './allowedValues';
import { checkColumnType, checkRequiredColumn } from './columns';
import { checkNotNull } from './notNull';
import { checkPattern } from './patterns';
import { checkRange } from './range';
import { type ExpectationResult, type ValidationReport } from './report';
import { checkMaxRows, checkMinRows } from './rows';
import { checkUnique } from './unique';
import { checkSchema } from './schema';

export type { ExpectationName, ExpectationResult, ValidationReport } from './report';

/**
 * Evaluates every expectation of the rules (no early exit), so the report lists every failure.
 * A rule naming an absent column is a failed expectation, never an exception.
 */
export function validateTable(table: Table, rules: ValidationRules): ValidationReport {
  const expectations: ExpectationResult[] = [];
  if (rules.minRows !== undefined) expectations.push(checkMinRows(table, rules.minRows));
  if (rules.maxRows !== undefined) expectations.push(checkMaxRows(table, rules.maxRows));
  for (const name of rules.requiredColumns) expectations.push(checkRequiredColumn(table, name));
  for (const rule of rules.notNull) expectations.push(checkNotNull(table, rule));
  for (const key of rules.unique) expectations.push(checkUnique(table, key));
  for (const rule of rules.ranges) expectations.push(checkRange(table, rule));
  for (const [name, allowed] of Object.entries(rules.allowedValues)) expectations.push(checkAllowedValues(table, name, allowed));
  for (const [name, type] of Object.entries(rules.columnTypes)) expectations.push(checkColumnType(table, name, type));
  for (const [name, pattern] of Object.entries(rules.patterns)) expectations.push(checkPattern(table, name, pattern));
  if (rules.schema !== undefined) expectations.push(checkSchema(table, rules.schema));
  return { passed: expectations.every((e) => e.passed), rowCount: table.rowCount, expectations };
}

/** The message of each failed expectation, in report order. */
export function failureMessages(report: ValidationReport): string[] {
  return report.expectations.filter((e) => !e.passed).map((e) => e.message);
}
