/**
 * One measured ingest in a fresh process, so its peak RSS is this ingest's alone:
 *   node --require tsx/cjs bench/ingestChild.ts DATA.csv
 * Parses the file with parseDatasetFile, validates it with the benchmark's rules, and prints one
 * JSON object with the timings (wall and CPU), the columnar size of the table and the process's peak RSS before
 * and after (the first is the runtime's own floor).
 */
import { ValidationSchema } from '../contract/params';
import { parseDatasetFile } from '../ml/data/parseFile';
import { type Table } from '../ml/data/table';
import { validateTable } from '../ml/validate';
import { CATEGORIES, NUMERIC_COLUMNS, VALUE_BOUND } from './ingestData';

export const BENCH_RULES = ValidationSchema.parse({
  minRows: 1,
  notNull: [...Array.from({ length: NUMERIC_COLUMNS }, (_, j) => `x${j}`), 'category'],
  ranges: Array.from({ length: NUMERIC_COLUMNS }, (_, j) => ({ column: `x${j}`, min: -VALUE_BOUND, max: VALUE_BOUND })),
  allowedValues: { category: [...CATEGORIES] },
});

/** Bytes of the typed arrays, plus the dictionary strings (2 bytes a character, as V8 may store them). */
export function columnarBytes(table: Table): number {
  let bytes = 0;
  for (const column of table.columns) {
    if (column.type === 'string') bytes += column.codes.byteLength + column.dictionary.reduce((sum, text) => sum + 2 * text.length, 0);
    else bytes += column.values.byteLength;
  }
  return bytes;
}

async function main(): Promise<void> {
  const path = process.argv[2];
  const floorRss = process.resourceUsage().maxRSS * 1024;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const table = await parseDatasetFile(path, 'csv', 'bench.csv');
  const parsed = process.hrtime.bigint();
  const report = validateTable(table, BENCH_RULES);
  const validated = process.hrtime.bigint();
  const used = process.cpuUsage(cpu);
  if (!report.passed) throw new Error(`the benchmark data failed validation: ${report.expectations.filter((e) => !e.passed).map((e) => e.message).join('; ')}`);
  const result = {
    rows: table.rowCount,
    parseSeconds: Number(parsed - started) / 1e9,
    validateSeconds: Number(validated - parsed) / 1e9,
    cpuSeconds: (used.user + used.system) / 1e6,
    expectations: report.expectations.length,
    columnarBytes: columnarBytes(table),
    floorRssBytes: floorRss,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
  process.stdout.write(JSON.stringify(result));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
