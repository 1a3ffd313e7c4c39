/**
 * One scoring run in a process of its own, so its peak RSS is the scoring's alone:
 *   node --require tsx/cjs bench/inference/child.ts DIR FORMAT
 * DIR holds model.json and table.bin (an encoded table); prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { runInThread } from '../../activities/compute/runInThread';
import { movable } from '../../activities/compute/protocol';
import { type PredictionFormat } from '../../contract';

/**
 * This process's peak resident memory (VmHWM). Not getrusage's maxRSS: Linux carries that across
 * fork and exec, so a child would report its parent's peak when the parent was bigger.
 */
function peakRssBytes(): number {
  const line = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return line ? Number(line[1]) * 1024 : process.resourceUsage().maxRSS * 1024;
}

async function main(): Promise<void> {
  const [dir, format] = process.argv.slice(2) as [string, PredictionFormat];
  const floorRss = peakRssBytes();
  const [model, table] = await Promise.all([readFile(join(dir, 'model.json')), readFile(join(dir, 'table.bin'))]);
  const bytes = movable(table);
  const path = join(dir, `predictions.${format}`);
  const started = process.hrtime.bigint();
  const scored = await runInThread(
    'predict',
    { model, table: bytes, passThrough: ['id'], format, path, chunkRows: 65_536 },
    { transfer: [bytes.buffer], signal: new AbortController().signal },
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const output = await stat(path);
  console.log(
    JSON.stringify({ rows: scored.rows, seconds, rowsPerSecond: scored.rows / seconds, outputBytes: output.size, floorRssBytes: floorRss, peakRssBytes: peakRssBytes() }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
