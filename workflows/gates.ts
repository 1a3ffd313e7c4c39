import { ApplicationFailure } from '@temporalio/workflow';
import type { CompareResult } from '../activities';
import { FAILURE_TYPES } from '../contract/failureTypes';
import { gateMetricFields, gateMetricProblem, metricPasses, missingMetricReason } from '../contract/gateMetrics';
import { comparedMetric, deployGates, improvementOver } from '../contract/gates';
import { type DeploySpec, type GateResult, type MetricName, type ParamIssue, type PipelineParams, type ProductionComparison } from '../contract';

export const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : n.toPrecision(4));

/** What the gate says before any approval: every requirement's result and the one-line reason. */
export interface GateVerdict {
  readonly gates: GateResult[];
  readonly production?: ProductionComparison;
  readonly passed: boolean;
  /** Whether the metric thresholds passed (the production comparison aside). */
  readonly gatesPassed: boolean;
  readonly reason: string;
}

function valueOf(metrics: Partial<Record<string, number>>, metric: MetricName): number {
  const value = metrics[metric];
  if (value === undefined) throw ApplicationFailure.create({ type: FAILURE_TYPES.MetricMissing, message: missingMetricReason(metric), nonRetryable: true });
  return value;
}

/** Scores are compared up to rounding: a margin met on paper (0.9 - 0.8 against 0.1) is met. */
const reaches = (improvement: number, margin: number, scale: number): boolean => improvement >= margin - 1e-12 * Math.max(1, scale);

/**
 * The production comparison the spec asks for, from the compare step's scores. Without a production
 * score (none serves, or it cannot score these rows) it passes, with the note, on the run's own
 * evaluation; undefined when the spec does not ask for one.
 */
export function productionComparison(spec: DeploySpec, metrics: Partial<Record<string, number>>, compared?: CompareResult): ProductionComparison | undefined {
  const wanted = comparedMetric(spec);
  if (wanted === undefined || compared === undefined) return undefined;
  const { metric } = wanted;
  const margin = spec.beatProduction!.margin;
  const where = { ...(compared.productionVersion !== undefined && { productionVersion: compared.productionVersion }), ...(compared.rows !== undefined && { rows: compared.rows }) };
  if (compared.production === undefined) {
    return { metric, margin, candidate: valueOf(compared.candidate ?? metrics, metric), ...where, passed: true, note: compared.note ?? 'no production score' };
  }
  const candidate = valueOf(compared.candidate ?? {}, metric);
  const production = valueOf(compared.production, metric);
  const improvement = improvementOver(metric, candidate, production);
  const passed = reaches(improvement, margin, Math.max(Math.abs(candidate), Math.abs(production)));
  return { metric, margin, candidate, production, ...where, improvement, passed };
}

function comparisonPhrase(c: ProductionComparison): string {
  if (c.production === undefined) return `nothing to beat: ${c.note}`;
  const against = `production version ${c.productionVersion} (${fmt(c.production)} on the same ${c.rows} rows)`;
  if (c.passed) return `${c.metric} ${fmt(c.candidate)} beats ${against}${c.margin > 0 ? ` by at least ${fmt(c.margin)}` : ''}`;
  return c.margin > 0 ? `${c.metric} ${fmt(c.candidate)} does not beat ${against} by ${fmt(c.margin)}` : `${c.metric} ${fmt(c.candidate)} is worse than ${against}`;
}

/** Every metric requirement (all must pass) and the production comparison, with the reason a person reads. */
export function judgeGates(spec: DeploySpec, metrics: Partial<Record<string, number>>, compared?: CompareResult): GateVerdict {
  const gates = deployGates(spec).map(({ metric, threshold }) => {
    const value = valueOf(metrics, metric);
    return { metric, value, threshold, passed: metricPasses(metric, value, threshold) };
  });
  const production = productionComparison(spec, metrics, compared);
  const gatesPassed = gates.every((g) => g.passed);
  const passed = gatesPassed && (production?.passed ?? true);
  const phrase = (g: GateResult) => `${g.metric} ${fmt(g.value)} ${g.passed ? 'reaches' : 'does not reach'} ${fmt(g.threshold)}`;
  const parts = passed
    ? [...gates.map(phrase), ...(production ? [comparisonPhrase(production)] : [])]
    : [...gates.filter((g) => !g.passed).map(phrase), ...(production && !production.passed ? [comparisonPhrase(production)] : [])];
  return { gates, ...(production && { production }), passed, gatesPassed, reason: parts.join('; ') };
}

/** Gate metrics that cannot apply to a classifier of this many classes (binary-only ones on a multiclass target), by field. */
export function gateIssues(params: PipelineParams, classes: readonly string[] | undefined): ParamIssue[] {
  if (!classes) return [];
  return gateMetricFields(params.deploy).flatMap(({ metric, field }) => {
    const problem = gateMetricProblem(metric, classes.length);
    return problem ? [{ field: ['deploy', ...field].join('.'), message: problem }] : [];
  });
}
