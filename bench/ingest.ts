import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CATEGORIES, VALUE_BOUND, writeIngestCsv } from './ingestData';
import { benchIngestFromS3 } from './ingestS3';
import { firstLine } from './firstLine';

const run = promisify(execFile);

export interface BenchIngestOptions {
  rows?: number;
  /** Measured runs of each side; the median time and the highest peak RSS are reported. */
  runs?: number;
}

interface ChildResult {
  rows: number;
  parseSeconds: number;
  validateSeconds: number;
  cpuSeconds: number;
  peakRssBytes: number;
  floorRssBytes?: number;
  columnarBytes?: number;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const round = (n: number, digits = 3): number => Number(n.toPrecision(digits));
const MB = 1e6;

/** Our ingest in a child process (plain `node` with tsx's CommonJS hook: the smallest runtime floor). */
async function runOurs(csv: string): Promise<ChildResult> {
  const { stdout } = await run(process.execPath, ['--require', require.resolve('tsx/cjs'), join(__dirname, 'ingestChild.ts'), csv], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as ChildResult;
}

async function runPandas(csv: string): Promise<ChildResult | { skipped: string }> {
  try {
    await run('python3', ['-c', 'import pandas']);
  } catch (error) {
    return { skipped: `python3 with pandas is not available: ${firstLine(error)}` };
  }
  const { stdout } = await run('python3', [join(__dirname, 'pandas_ingest.py'), csv, String(VALUE_BOUND), ...CATEGORIES], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as ChildResult & { pandasVersion: string };
}

function summarize(results: ChildResult[], fileBytes: number) {
  const parseSeconds = median(results.map((r) => r.parseSeconds));
  const validateSeconds = median(results.map((r) => r.validateSeconds));
  const totalSeconds = median(results.map((r) => r.parseSeconds + r.validateSeconds));
  return {
    parseSeconds: round(parseSeconds),
    validateSeconds: round(validateSeconds),
    totalSeconds: round(totalSeconds),
    cpuSeconds: round(median(results.map((r) => r.cpuSeconds))),
    mbPerSecond: round(fileBytes / MB / totalSeconds),
    rowsPerSecond: Math.round(results[0].rows / totalSeconds),
    peakRssBytes: Math.max(...results.map((r) => r.peakRssBytes)),
  };
}

/**
 * Ingest + validate throughput and memory on a generated 1,000,000-row CSV (10 numeric columns, 1
 * categorical, about 100 MB) from a local file: parseDatasetFile then validateTable (not null on
 * every column, ranges, allowed values), each run in a fresh process so its peak RSS is clean.
 * Where python3 has pandas, the same file through `pandas.read_csv` plus the same checks.
 * Targets: at least pandas' throughput; peak RSS at most twice the table's columnar size.
 * Wall times are medians of alternating runs; CPU seconds are reported too, since wall time on a
 * shared machine also measures its other load (both sides parse on one thread).
 */
export async function benchIngest(opts: BenchIngestOptions = {}): Promise<Record<string, unknown>> {
  const { rows = 1_000_000, runs = 3 } = opts;
  const dir = await mkdtemp(join(tmpdir(), 'bench-ingest-'));
  try {
    const csv = join(dir, 'bench.csv');
    const fileBytes = await writeIngestCsv(csv, rows);
    const oursRuns: ChildResult[] = [];
    const pandasRuns: ChildResult[] = [];
    let pandasSkipped: string | undefined;
    // Alternate the two sides, so both see the same machine load and a warm page cache.
    for (let k = 0; k < runs; k++) {
      oursRuns.push(await runOurs(csv));
      if (pandasSkipped === undefined) {
        const result = await runPandas(csv);
        if ('skipped' in result) pandasSkipped = result.skipped;
        else pandasRuns.push(result);
      }
    }
    const ours = summarize(oursRuns, fileBytes);
    const columnarBytes = oursRuns[0].columnarBytes!;
    const floorRssBytes = Math.max(...oursRuns.map((r) => r.floorRssBytes!));
    const oursReport = {
      ...ours,
      floorRssBytes,
      columnarBytes,
      peakRssOverColumnar: round(ours.peakRssBytes / columnarBytes),
      peakAboveFloorOverColumnar: round((ours.peakRssBytes - floorRssBytes) / columnarBytes),
    };
    const pandas = pandasSkipped === undefined ? summarize(pandasRuns, fileBytes) : { skipped: pandasSkipped };
    const compared =
      'totalSeconds' in pandas
        ? {
            throughputVsPandas: round(pandas.totalSeconds / ours.totalSeconds),
            cpuEfficiencyVsPandas: round(pandas.cpuSeconds / ours.cpuSeconds),
            peakRssVsPandas: round(ours.peakRssBytes / pandas.peakRssBytes),
          }
        : {};
    const fromS3 = await benchIngestFromS3(csv, fileBytes, runs);
    return {
      rows,
      columns: 11,
      fileBytes,
      runs,
      ours: oursReport,
      fromS3,
      pandas,
      ...compared,
      targets: {
        atLeastPandasThroughput: 'totalSeconds' in pandas ? ours.totalSeconds <= pandas.totalSeconds : null,
        peakRssAtMostTwiceColumnar: ours.peakRssBytes <= 2 * columnarBytes,
      },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchIngest().then(
    (result) => console.log(JSON.stringify(result, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
