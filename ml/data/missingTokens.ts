import { booleanOf } from './infer';
import { parseNumberText } from './numbers';
import { type Column, type StringColumn, type Table } from './table';

/**
 * The column with the cells whose text is a token made missing, and typed again from the values left:
 * numbers ('integer' when all whole), booleans, or still strings. CSV reads "1, ., 3" as strings
 * because "." is text; once "." means no value, the column is the numbers it was meant to be.
 */
function withoutTokenTexts(column: StringColumn, tokens: ReadonlySet<string>): Column {
  if (!column.dictionary.some((text) => tokens.has(text))) return column;
  const used = new Uint8Array(column.dictionary.length);
  for (const code of column.codes) if (code >= 0) used[code] = 1;
  const kept: string[] = [];
  const newCode = Int32Array.from(column.dictionary, (text, code) => {
    if (tokens.has(text) || used[code] === 0) return -1;
    kept.push(text);
    return kept.length - 1;
  });
  const codes = Int32Array.from(column.codes, (code) => (code < 0 ? -1 : newCode[code]));
  const numbers = kept.map(parseNumberText);
  if (kept.length > 0 && numbers.every(Number.isFinite)) {
    const values = Float64Array.from(codes, (code) => (code < 0 ? NaN : numbers[code]));
    return { name: column.name, type: numbers.every(Number.isSafeInteger) ? 'integer' : 'number', values };
  }
  const flags = kept.map(booleanOf);
  if (kept.length > 0 && flags.every((flag) => flag !== undefined)) {
    return { name: column.name, type: 'boolean', values: Float64Array.from(codes, (code) => (code < 0 ? NaN : flags[code] ? 1 : 0)) };
  }
  // A column of tokens only is all missing: a number column of NaN, as the parsers make it.
  if (kept.length === 0) return { name: column.name, type: 'number', values: new Float64Array(codes.length).fill(NaN) };
  return { name: column.name, type: 'string', codes, dictionary: kept };
}

/**
 * `dataset.missingValues`: texts that mean "no value" in any format, on top of the parsers' own
 * (CSV's '', 'NA', 'N/A', 'null', 'NULL', 'None'; JSON's null). String cells equal to a token become
 * missing, and the column is typed again; in numeric columns a token that is a number (e.g. "-999")
 * matches equal values.
 */
export function withMissingTokens(table: Table, tokens: readonly string[]): Table {
  if (tokens.length === 0) return table;
  const texts = new Set(tokens);
  const numbers = new Set(tokens.map(parseNumberText).filter(Number.isFinite));
  const columns = table.columns.map((column): Column => {
    if (column.type === 'string') return withoutTokenTexts(column, texts);
    if (column.type === 'boolean' || numbers.size === 0 || !column.values.some((v) => numbers.has(v))) return column;
    return { ...column, values: column.values.map((v) => (numbers.has(v) ? NaN : v)) };
  });
  return { rowCount: table.rowCount, columns };
}
