/** Returned by `ByteCache.find` when the bytes are not cached. */
export const NOT_CACHED = -2;

const MAX_ENTRIES = 4096;
/** Longer values are rarely categorical; decoding them costs little next to their length anyway. */
const MAX_KEY_BYTES = 64;

/**
 * Maps byte strings to dictionary codes, so a categorical column decodes each distinct value once
 * instead of once per row. Keys are copied into the cache's own arena, so the cache stays valid when
 * the parser moves on to the next chunk of input. It stops taking entries at MAX_ENTRIES: a column
 * with that many distinct values gains little and would only pay for hashing.
 */
export class ByteCache {
  private readonly slots = new Int32Array(2 * MAX_ENTRIES);
  private readonly arena = new Uint8Array(MAX_ENTRIES * MAX_KEY_BYTES);
  private readonly starts = new Int32Array(MAX_ENTRIES);
  private readonly lengths = new Int32Array(MAX_ENTRIES);
  private readonly codes = new Int32Array(MAX_ENTRIES);
  private used = 0;
  private arenaUsed = 0;
  private lastSlot = -1;

  /** The code cached for the bytes [start, end) of `bytes`, or NOT_CACHED. */
  find(bytes: Uint8Array, start: number, end: number): number {
    const length = end - start;
    this.lastSlot = -1;
    if (length > MAX_KEY_BYTES) return NOT_CACHED;
    let hash = 0x811c9dc5;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193);
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot] - 1;
      if (entry < 0) {
        this.lastSlot = slot;
        return NOT_CACHED;
      }
      if (this.lengths[entry] === length && this.same(this.starts[entry], bytes, start, length)) return this.codes[entry];
    }
  }

  /** Caches `code` for the bytes of the last `find` that returned NOT_CACHED. */
  remember(bytes: Uint8Array, start: number, end: number, code: number): void {
    if (this.lastSlot < 0 || this.used >= MAX_ENTRIES) return;
    const entry = this.used++;
    this.slots[this.lastSlot] = entry + 1;
    this.starts[entry] = this.arenaUsed;
    this.lengths[entry] = end - start;
    this.codes[entry] = code;
    this.arena.set(bytes.subarray(start, end), this.arenaUsed);
    this.arenaUsed += end - start;
    this.lastSlot = -1;
  }

  private same(at: number, bytes: Uint8Array, start: number, length: number): boolean {
    const arena = this.arena;
    for (let k = 0; k < length; k++) if (arena[at + k] !== bytes[start + k]) return false;
    return true;
  }
}
