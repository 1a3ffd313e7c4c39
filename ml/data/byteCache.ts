/** Returned by `ByteCache.find` when the bytes are not cached. */
export const NOT_CACHED = -2;

const MAX_ENTRIES = 4096;

/**
 * Maps byte ranges of one source buffer to dictionary codes, so a categorical column decodes each
 * distinct value once instead of once per row. It stops taking entries at MAX_ENTRIES: a column
 * with that many distinct values gains little and would only pay for hashing.
 */
export class ByteCache {
  private readonly slots = new Int32Array(2 * MAX_ENTRIES);
  private readonly starts: number[] = [];
  private readonly lengths: number[] = [];
  private readonly codes: number[] = [];
  private lastSlot = 0;

  constructor(readonly source: Uint8Array) {}

  /** The code cached for the bytes [start, end) of the source, or NOT_CACHED. */
  find(start: number, end: number): number {
    const bytes = this.source;
    const length = end - start;
    let hash = 0x811c9dc5;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193);
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot] - 1;
      if (entry < 0) {
        this.lastSlot = slot;
        return NOT_CACHED;
      }
      if (this.lengths[entry] === length && this.same(this.starts[entry], start, length)) return this.codes[entry];
    }
  }

  /** Caches `code` for the bytes of the last `find` that returned NOT_CACHED. */
  remember(start: number, end: number, code: number): void {
    if (this.codes.length >= MAX_ENTRIES) return;
    this.slots[this.lastSlot] = this.codes.length + 1;
    this.starts.push(start);
    this.lengths.push(end - start);
    this.codes.push(code);
  }

  private same(a: number, b: number, length: number): boolean {
    const bytes = this.source;
    for (let k = 0; k < length; k++) if (bytes[a + k] !== bytes[b + k]) return false;
    return true;
  }
}
