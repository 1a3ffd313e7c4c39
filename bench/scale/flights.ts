import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createRng, type Rng } from '../../ml/random';

/** A flights-like table: the columns, and the sklearn copy of it (ordinal codes, the same split). */
export interface Flights {
  readonly rows: number;
  readonly airports: readonly string[];
  readonly origin: Int32Array;
  readonly dest: Int32Array;
  readonly distance: Float64Array;
  readonly depHour: Float64Array;
  readonly delay: Float64Array;
  readonly late: Int32Array;
}

export const AIRPORTS = 230;
const LATE_MINUTES = 15;

/** Standard normal draws (Box-Muller) from the seeded stream. */
const normal = (rng: Rng): number => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());

/** Three-letter codes AAA, AAB, ... in text order, so ordinal codes are the same in both libraries. */
function airportCodes(count: number): string[] {
  const letter = (i: number) => String.fromCharCode(65 + i);
  return Array.from({ length: count }, (_, i) => `${letter(Math.floor(i / 676) % 26)}${letter(Math.floor(i / 26) % 26)}${letter(i % 26)}`);
}

/**
 * Delay = origin effect + destination effect + a rush-hour bump + a distance term + noise, so
 * every feature carries signal and trees can learn it; `late` (delay > 15 min) is the classification target.
 * Airports are drawn with skewed popularity, as real traffic is.
 */
export function generateFlights(rows: number, seed = 2024): Flights {
  const rng = createRng(seed);
  const airports = airportCodes(AIRPORTS);
  const originEffect = Float64Array.from(airports, () => 8 * normal(rng));
  const destEffect = Float64Array.from(airports, () => 6 * normal(rng));
  const hub = Float64Array.from(airports, () => Math.exp(normal(rng)));
  const cumulative = new Float64Array(AIRPORTS);
  hub.reduce((sum, w, i) => (cumulative[i] = sum + w), 0);
  const total = cumulative[AIRPORTS - 1];
  const draw = (): number => {
    const u = rng.next() * total;
    let lo = 0;
    let hi = AIRPORTS - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const f: Flights = {
    rows,
    airports,
    origin: new Int32Array(rows),
    dest: new Int32Array(rows),
    distance: new Float64Array(rows),
    depHour: new Float64Array(rows),
    delay: new Float64Array(rows),
    late: new Int32Array(rows),
  };
  for (let r = 0; r < rows; r++) {
    const o = draw();
    let d = draw();
    if (d === o) d = (d + 1) % AIRPORTS;
    const distance = Math.round(150 + 2500 * Math.abs(Math.sin(o * 7.1 + d * 3.3)));
    const hour = Math.floor(rng.next() * 24) + Math.floor(rng.next() * 60) / 60;
    const rush = hour >= 16 && hour < 20 ? 12 : hour < 6 ? -5 : 0;
    const delay = originEffect[o] + destEffect[d] + rush + distance / 400 + 10 * normal(rng);
    f.origin[r] = o;
    f.dest[r] = d;
    f.distance[r] = distance;
    f.depHour[r] = Math.round(hour * 100) / 100;
    f.delay[r] = Math.round(delay * 10) / 10;
    f.late[r] = delay > LATE_MINUTES ? 1 : 0;
  }
  return f;
}

async function writeLines(path: string, header: string, rows: number, line: (r: number) => string): Promise<void> {
  const out = createWriteStream(path);
  out.write(`${header}\n`);
  const CHUNK = 10_000;
  for (let r = 0; r < rows; r += CHUNK) {
    const lines: string[] = [];
    for (let i = r; i < Math.min(rows, r + CHUNK); i++) lines.push(line(i));
    if (!out.write(`${lines.join('\n')}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

const START = Date.UTC(2024, 0, 1);

/** The pipeline's input: a timestamp, airports as text, numbers, both targets. */
export function writeFlightsCsv(path: string, f: Flights): Promise<void> {
  return writeLines(path, 'departure,origin,dest,distance,dep_hour,delay,late', f.rows, (r) => {
    const day = r % 365;
    const at = new Date(START + day * 86_400_000 + Math.round(f.depHour[r] * 3_600_000)).toISOString();
    return `${at},${f.airports[f.origin[r]]},${f.airports[f.dest[r]]},${f.distance[r]},${f.depHour[r]},${f.delay[r]},${f.late[r] === 1 ? 'yes' : 'no'}`;
  });
}

/** scikit-learn's copy: airports as their ordinal codes (text order, as our forests code them), and which rows train. */
export function writeSklearnCsv(path: string, f: Flights, trainRegression: Uint8Array, trainClassification: Uint8Array): Promise<void> {
  return writeLines(path, 'origin,dest,distance,dep_hour,delay,late,train_reg,train_cls', f.rows, (r) =>
    `${f.origin[r]},${f.dest[r]},${f.distance[r]},${f.depHour[r]},${f.delay[r]},${f.late[r]},${trainRegression[r]},${trainClassification[r]}`,
  );
}
