import { type Table } from '../../ml/data/table';
import { createRng } from '../../ml/random';

/**
 * A seeded columnar table for drift tests and benchmarks: `numeric` uniform [0, 1) columns
 * (shifted by `shift`, every 50th value missing) and one string column `city` of 30 categories
 * with a skewed frequency.
 */
export function driftTable(rows: number, numeric: number, seed: number, shift = 0): Table {
  const rng = createRng(seed);
  const columns: Table['columns'][number][] = [];
  for (let c = 0; c < numeric; c++) {
    const values = new Float64Array(rows);
    for (let r = 0; r < rows; r++) values[r] = r % 50 === c ? NaN : rng.next() + shift;
    columns.push({ name: `x${c}`, type: 'number', values });
  }
  const dictionary = Array.from({ length: 30 }, (_, i) => `city-${i}`);
  const codes = new Int32Array(rows);
  for (let r = 0; r < rows; r++) codes[r] = Math.floor(30 * rng.next() ** (2 + 10 * shift));
  columns.push({ name: 'city', type: 'string', codes, dictionary });
  return { rowCount: rows, columns };
}
