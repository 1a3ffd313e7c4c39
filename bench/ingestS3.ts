import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AllowList } from '../activities/adapters/addressPolicy';
import { openSource } from '../activities/adapters/sources';
import { parseDatasetFile } from '../ml/data/parseFile';
import { validateTable } from '../ml/validate';
import { startS3Server } from '../test/helpers/s3Server';
import { firstLine } from './firstLine';
import { BENCH_RULES } from './ingestChild';

const seconds = (since: bigint): number => Number(process.hrtime.bigint() - since) / 1e9;

/**
 * The same ingest with the file in S3 (SeaweedFS on 127.0.0.1, the server the tests use): stream
 * the object to a scratch file, parse it, validate it. `weed` comes from tools/ (installed on first need); skipped with a reason when that fails.
 */
export async function benchIngestFromS3(csv: string, fileBytes: number, runs: number): Promise<Record<string, unknown>> {
  let server;
  try {
    server = await startS3Server('bench');
  } catch (error) {
    return { skipped: firstLine(error) };
  }
  const scratch = await mkdtemp(join(tmpdir(), 'bench-s3-'));
  try {
    await server.store('').putStream('bench.csv', createReadStream(csv));
    const totals: { downloadSeconds: number; totalSeconds: number }[] = [];
    for (let k = 0; k < runs; k++) {
      const started = process.hrtime.bigint();
      const source = await openSource('s3://bench/bench.csv', {
        dataRoot: scratch,
        http: { timeoutMs: 120_000, maxBytes: 2 * fileBytes, allow: AllowList.parse('') },
        s3: server.client,
      });
      const file = await source.fetch(scratch);
      const downloadSeconds = seconds(started);
      const table = await parseDatasetFile(file.path, 'csv', 'bench.csv');
      validateTable(table, BENCH_RULES);
      totals.push({ downloadSeconds, totalSeconds: seconds(started) });
      await rm(file.path, { force: true });
    }
    totals.sort((a, b) => a.totalSeconds - b.totalSeconds);
    const median = totals[Math.floor(totals.length / 2)];
    return {
      downloadSeconds: Number(median.downloadSeconds.toPrecision(3)),
      totalSeconds: Number(median.totalSeconds.toPrecision(3)),
      mbPerSecond: Number((fileBytes / 1e6 / median.totalSeconds).toPrecision(3)),
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
    await server.remove();
  }
}
