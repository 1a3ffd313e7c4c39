interface Entry<V> {
  /** When the fetch began: the answer shows the run as it was at that moment or later. */
  readonly startedAt: number;
  readonly answer: Promise<V>;
  /** Set once the answer came: how long after startedAt it may be given. */
  maxAgeMs?: number;
}

interface Slot<V> {
  current?: Entry<V>;
  /** A fetch started ahead of the current entry's expiry, taking its place when it answers. */
  next?: Entry<V>;
}

export interface FreshViewsOptions<V> {
  /** How long after its fetch began an answer may still be given; 0 fetches for every request. */
  readonly maxAgeMs: (view: V) => number;
  /** How long after it began a fetch in flight is shared: at most the shortest max age a view can get. */
  readonly inFlightMaxAgeMs: number;
  /** Groups kept (workflow ids); the oldest is dropped past this. */
  readonly size: number;
  readonly now?: () => number;
}

/**
 * Views of runs by (workflow id, run id), each given to every request arriving within its max age
 * of when its fetch began: requests arriving while a fetch is in flight share it (single flight),
 * and one arriving past half the max age starts the next fetch while still getting the current
 * answer, so a steady poller never waits for a fetch. A failed fetch is given only to the requests
 * that shared it, never kept. `invalidate` drops a workflow's views, and answers still in flight
 * for them are not kept, so a client sees its own write at once.
 */
export class FreshViews<V> {
  private readonly groups = new Map<string, Map<string, Slot<V>>>();
  private readonly now: () => number;

  constructor(private readonly options: FreshViewsOptions<V>) {
    this.now = options.now ?? Date.now;
  }

  get(group: string, key: string, fetch: () => Promise<V>): Promise<V> {
    const slot = this.slot(group, key);
    const { current, next } = slot;
    if (current && this.fresh(current)) {
      const age = this.now() - current.startedAt;
      if (current.maxAgeMs !== undefined && age >= current.maxAgeMs / 2 && !next) this.start(group, key, slot, fetch, 'next');
      return current.answer;
    }
    if (next && this.fresh(next)) return next.answer;
    return this.start(group, key, slot, fetch, 'current').answer;
  }

  /** An answer is given within its max age; a fetch in flight, within the shortest a view can get. */
  private fresh(entry: Entry<V>): boolean {
    return this.now() - entry.startedAt < (entry.maxAgeMs ?? this.options.inFlightMaxAgeMs);
  }

  /** Forgets every view of the workflow: the next request fetches. */
  invalidate(group: string): void {
    this.groups.delete(group);
  }

  private slot(group: string, key: string): Slot<V> {
    let slots = this.groups.get(group);
    if (!slots) {
      if (this.groups.size >= this.options.size) this.groups.delete(this.groups.keys().next().value as string);
      slots = new Map();
      this.groups.set(group, slots);
    }
    let slot = slots.get(key);
    if (!slot) slots.set(key, (slot = {}));
    return slot;
  }

  private start(group: string, key: string, slot: Slot<V>, fetch: () => Promise<V>, place: 'current' | 'next'): Entry<V> {
    const entry: Entry<V> = { startedAt: this.now(), answer: fetch() };
    slot[place] = entry;
    const kept = () => this.groups.get(group)?.get(key) === slot;
    entry.answer.then(
      (view) => {
        entry.maxAgeMs = this.options.maxAgeMs(view);
        if (place === 'next' && slot.next === entry) {
          slot.next = undefined;
          if (kept()) slot.current = entry;
        }
      },
      () => {
        if (slot.current === entry) slot.current = undefined;
        if (slot.next === entry) slot.next = undefined;
      },
    );
    return entry;
  }
}
