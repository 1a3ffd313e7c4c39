import { type Clock } from '../deps';

/** Least time between two http(s) marker checks against one host, by default. */
export const DEFAULT_MARKER_HOST_INTERVAL_MS = 1_000;

/** Hosts whose slot is in the past are forgotten once this many are remembered. */
const PRUNE_AT = 1_024;

/**
 * Spaces the checks one worker makes against a host: the poke-interval floor bounds one run, this
 * bounds all of them together, so many runs waiting on markers of one server are no request
 * amplifier. Slots are handed out in order (each caller waits for its own), so no run starves.
 */
export class HostRateLimit {
  private readonly nextSlot = new Map<string, number>();

  constructor(
    private readonly intervalMs: number,
    private readonly clock: Clock,
  ) {}

  /** Takes the host's next slot and says how long to wait for it (0: check now). */
  reserve(host: string): number {
    const now = this.clock.now().getTime();
    const key = host.toLowerCase();
    const slot = Math.max(now, this.nextSlot.get(key) ?? 0);
    this.nextSlot.set(key, slot + this.intervalMs);
    if (this.nextSlot.size > PRUNE_AT) {
      for (const [k, next] of this.nextSlot) if (next <= now) this.nextSlot.delete(k);
    }
    return slot - now;
  }
}
