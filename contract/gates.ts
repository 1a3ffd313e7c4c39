import { LOWER_IS_BETTER, type MetricName } from './gateMetrics';
import { type DeploySpec } from './params';

/** One metric requirement of a deploy spec, with the field that named it. */
export interface DeployGate {
  readonly metric: MetricName;
  readonly threshold: number;
  /** Dotted path of the metric in the params, e.g. `deploy.gates.1.metric`. */
  readonly field: string;
}

/** The gates a spec requires, in order: the single metric/threshold first (the only one of params written before gates), then `gates`. */
export function deployGates(spec: DeploySpec): DeployGate[] {
  const gates: DeployGate[] = [];
  if (spec.metric !== undefined && spec.threshold !== undefined) gates.push({ metric: spec.metric, threshold: spec.threshold, field: 'deploy.metric' });
  spec.gates?.forEach((g, i) => gates.push({ ...g, field: `deploy.gates.${i}.metric` }));
  return gates;
}

/** The metric the run is known by (search attribute, summaries): the first gate's. The schema requires at least one gate. */
export function primaryGateMetric(spec: DeploySpec): MetricName {
  return deployGates(spec)[0].metric;
}

/** The metric beatProduction compares, and the field that names it. */
export function comparedMetric(spec: DeploySpec): { metric: MetricName; field: string } | undefined {
  const beat = spec.beatProduction;
  if (beat === undefined) return undefined;
  return beat.metric === undefined ? { metric: primaryGateMetric(spec), field: deployGates(spec)[0].field } : { metric: beat.metric, field: 'deploy.beatProduction.metric' };
}

/** How much better `candidate` is than `production` in `metric`: positive when better, whichever way the metric points. */
export function improvementOver(metric: MetricName, candidate: number, production: number): number {
  return LOWER_IS_BETTER.has(metric) ? production - candidate : candidate - production;
}
