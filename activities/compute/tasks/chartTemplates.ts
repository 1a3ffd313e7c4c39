import type { TopLevelSpec } from 'vega-lite' with { 'resolution-mode': 'import' };

/** A chart spec with its inline data taken out: the template, and the values of each named dataset. */
export interface SplitSpec {
  readonly template: TopLevelSpec;
  /** The values of `inline_<i>`, in order. */
  readonly datasets: unknown[][];
}

export const inlineName = (i: number): string => `inline_${i}`;

/**
 * Replaces every `data: { values }` of a Vega-Lite spec by a named dataset, so charts that differ
 * only in their data share one compiled template: compiling and parsing are most of a small chart's
 * rendering time, and a report draws the same few chart shapes run after run.
 */
export function splitData(spec: TopLevelSpec): SplitSpec {
  const datasets: unknown[][] = [];
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      const values = key === 'data' && value !== null && typeof value === 'object' ? (value as { values?: unknown }).values : undefined;
      if (Array.isArray(values)) {
        const { values: _values, ...rest } = value as Record<string, unknown>;
        out[key] = { ...rest, name: inlineName(datasets.length) };
        datasets.push(values);
      } else out[key] = walk(value);
    }
    return out;
  };
  return { template: walk(spec) as TopLevelSpec, datasets };
}

/** A bounded map that forgets the least recently used entry first. */
export class LruCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly capacity: number) {}

  get(key: string, make: () => V): V {
    const found = this.entries.get(key);
    if (found !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, found);
      return found;
    }
    const made = make();
    this.entries.set(key, made);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return made;
  }
}
