import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createRng } from '../ml/random';

export const CATEGORIES = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'] as const;
export const NUMERIC_COLUMNS = 10;
/** Every numeric value lies in this range, so the range checks pass (and must scan every value). */
export const VALUE_BOUND = 100;

/**
 * Writes the benchmark CSV: a header, then `rows` rows of 10 numbers (uniform in ±100, six
 * decimals, as exports usually print them) and one of five categories. About 100 bytes a row.
 */
export async function writeIngestCsv(path: string, rows: number, seed = 0): Promise<number> {
  const rng = createRng(seed);
  const out = createWriteStream(path);
  const header = [...Array.from({ length: NUMERIC_COLUMNS }, (_, j) => `x${j}`), 'category'].join(',') + '\n';
  let bytes = 0;
  let batch = header;
  for (let r = 0; r < rows; r++) {
    let line = '';
    for (let j = 0; j < NUMERIC_COLUMNS; j++) line += `${((rng.next() * 2 - 1) * VALUE_BOUND).toFixed(6)},`;
    batch += `${line}${CATEGORIES[rng.nextInt(CATEGORIES.length)]}\n`;
    if (batch.length > 1 << 20) {
      bytes += Buffer.byteLength(batch);
      if (!out.write(batch)) await once(out, 'drain');
      batch = '';
    }
  }
  bytes += Buffer.byteLength(batch);
  out.end(batch);
  await once(out, 'finish');
  return bytes;
}
