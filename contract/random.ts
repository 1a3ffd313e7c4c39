/** A small seeded PRNG (mulberry32): the same seed gives the same stream on every machine, in threads and in workflow code alike. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  nextInt(n: number): number;
}

/** Each draw advances the state by this constant, so the stream can start at any draw directly. */
const STEP = 0x6d2b79f5;

/** The stream of `seed`, starting after its first `skip` draws (the same values, without drawing them). */
export function createRng(seed: number, skip = 0): Rng {
  let state = (seed + Math.imul(skip, STEP)) >>> 0;
  const next = (): number => {
    state = (state + STEP) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, nextInt: (n) => Math.floor(next() * n) };
}

/** Shuffles in place (Fisher-Yates) and returns the array. */
export function shuffle<T extends { length: number; [i: number]: number }>(values: T, rng: Rng): T {
  for (let i = values.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const tmp = values[i];
    values[i] = values[j];
    values[j] = tmp;
  }
  return values;
}
