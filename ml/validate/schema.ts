import { type ColumnType, type ValidationRules } from '../../contract/params';
import { type Table, findColumn } from '../data/table';
import { type ExpectationResult } from './report';

export type SchemaContract = NonNullable<ValidationRules['schema']>;

/** Like columnTypes: whole numbers satisfy a promised number. */
function satisfies(found: ColumnType, promised: ColumnType): boolean {
  return found === promised || (promised === 'number' && found === 'integer');
}

/**
 * The ingested table against a versioned data contract: every promised column present with its
 * type, and (unless allowed) no others. One expectation that names the contract version and lists
 * every difference, e.g. "schema v3: missing column c; column d: expected number, found string".
 * Observed is the ingested schema (column → type), so the report shows what arrived.
 */
export function checkSchema(table: Table, contract: SchemaContract): ExpectationResult {
  const problems: string[] = [];
  for (const [name, promised] of Object.entries(contract.columns)) {
    const column = findColumn(table, name);
    if (column === undefined) problems.push(`missing column ${name}`);
    else if (!satisfies(column.type, promised)) problems.push(`column ${name}: expected ${promised}, found ${column.type}`);
  }
  if (!contract.allowExtraColumns) {
    const extra = table.columns.filter((c) => !Object.hasOwn(contract.columns, c.name)).map((c) => c.name);
    if (extra.length > 0) problems.push(`unexpected ${extra.length === 1 ? 'column' : 'columns'} ${extra.join(', ')}`);
  }
  const observed = Object.fromEntries(table.columns.map((c) => [c.name, c.type]));
  const version = `schema ${contract.version}`;
  return problems.length === 0
    ? { expectation: 'schema', passed: true, observed, message: `${version}: the data matches` }
    : { expectation: 'schema', passed: false, observed, message: `${version}: ${problems.join('; ')}` };
}
