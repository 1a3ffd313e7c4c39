import { flatten, metricPasses, REGRESSION_METRICS, CLASSIFICATION_METRICS, type FlatValue, type MetricName, type TrackingRecord } from '../../contract';

export interface ComparedField {
  readonly key: string;
  /** One per compared run, in the order of `runs`; null where a run has no such field. */
  readonly values: (FlatValue | null)[];
}

export interface ComparedMetric extends ComparedField {
  /** Index of the best run for this metric (higher or lower is better, as the deploy gate reads it). */
  readonly best?: number;
}

export interface RunComparison {
  readonly pipeline: string;
  readonly runs: { workflowId: string; runId: string; startedAt: string; outcome: string; modelType: string; modelVersion?: string }[];
  /** Only the params whose values are not the same in every run. */
  readonly params: { readonly differing: ComparedField[]; readonly same: number };
  readonly metrics: ComparedMetric[];
  readonly dataset: (ComparedField & { readonly same: boolean })[];
  /** Each step's wall time in seconds. */
  readonly stepSeconds: ComparedField[];
}

const METRICS: readonly string[] = [...CLASSIFICATION_METRICS, ...REGRESSION_METRICS];
const same = (values: readonly unknown[]): boolean => values.every((v) => JSON.stringify(v) === JSON.stringify(values[0]));

function side(maps: readonly Record<string, FlatValue>[]): ComparedField[] {
  const keys = [...new Set(maps.flatMap((m) => Object.keys(m)))].sort();
  return keys.map((key) => ({ key, values: maps.map((m) => m[key] ?? null) }));
}

function best(name: string, values: readonly (FlatValue | null)[]): number | undefined {
  if (!METRICS.includes(name)) return undefined;
  let at: number | undefined;
  values.forEach((v, i) => {
    if (typeof v !== 'number') return;
    const current = at === undefined ? undefined : (values[at] as number);
    if (current === undefined || (metricPasses(name as MetricName, v, current) && v !== current)) at = i;
  });
  return at;
}

/** Params that differ, metrics, dataset facts and step times side by side, in the order the runs were asked for. */
export function compareRuns(pipeline: string, records: readonly TrackingRecord[]): RunComparison {
  const params = side(records.map((r) => flatten(r.params)));
  const metrics = side(records.map((r) => ({ ...r.metrics })));
  const steps = side(records.map((r) => Object.fromEntries(Object.entries(r.steps).flatMap(([k, s]) => (s.seconds === undefined ? [] : [[k, s.seconds]])))));
  return {
    pipeline,
    runs: records.map((r) => ({ workflowId: r.workflowId, runId: r.runId, startedAt: r.startedAt, outcome: r.outcome, modelType: r.modelType, modelVersion: r.model?.version })),
    params: { differing: params.filter((p) => !same(p.values)), same: params.filter((p) => same(p.values)).length },
    metrics: metrics.map((m) => ({ ...m, best: best(m.key, m.values) })),
    dataset: side(records.map((r) => flatten(r.dataset))).map((d) => ({ ...d, same: same(d.values) })),
    stepSeconds: steps,
  };
}
