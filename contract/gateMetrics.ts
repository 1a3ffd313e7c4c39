/** The metrics a deploy gate may name, and which way each is better. Zod-free: workflow code uses it. */

/** Ranking metrics of the positive class's probability: defined for two classes only. */
export const BINARY_CLASSIFICATION_METRICS = ['roc_auc', 'average_precision'] as const;
/** Ranking metrics of every class's probability: defined for any number of classes. */
export const PROBABILITY_CLASSIFICATION_METRICS = ['roc_auc_ovr'] as const;
/** Classification metrics of the predicted labels alone (what a labelled inference batch has). */
export const LABEL_CLASSIFICATION_METRICS = ['accuracy', 'precision_macro', 'recall_macro', 'f1_macro', 'balanced_accuracy'] as const;
export const CLASSIFICATION_METRICS = [...LABEL_CLASSIFICATION_METRICS, ...BINARY_CLASSIFICATION_METRICS, ...PROBABILITY_CLASSIFICATION_METRICS] as const;
export const REGRESSION_METRICS = ['r2', 'mse', 'rmse', 'mae'] as const;
export type MetricName = (typeof CLASSIFICATION_METRICS)[number] | (typeof REGRESSION_METRICS)[number];
export const LOWER_IS_BETTER: ReadonlySet<MetricName> = new Set(['mse', 'rmse', 'mae']);

/**
 * Why the evaluation has no `metric`: a binary-only metric on a multiclass model (known only once the
 * data is read), or one the model's task does not have.
 */
export function missingMetricReason(metric: MetricName): string {
  return (BINARY_CLASSIFICATION_METRICS as readonly string[]).includes(metric)
    ? `evaluation produced no ${metric}: deploy.metric ${metric} applies to binary classifiers only (two classes, both in the test split); gate a multiclass model on ${CLASSIFICATION_METRICS.filter((m) => !(BINARY_CLASSIFICATION_METRICS as readonly string[]).includes(m)).join(', ')}`
    : `evaluation produced no ${metric}`;
}

/** Why `metric` cannot gate a classifier of `classCount` classes (an issue of deploy.metric), or undefined when it can. */
export function gateMetricProblem(metric: MetricName, classCount: number): string | undefined {
  if (classCount === 2 || !(BINARY_CLASSIFICATION_METRICS as readonly string[]).includes(metric)) return undefined;
  return `${metric} applies to binary classifiers only, and the target has ${classCount} classes`;
}

/** Errors (mse, rmse, mae) are better lower; every other metric is a score, better higher. */
export function lowerIsBetter(metric: MetricName): boolean {
  return LOWER_IS_BETTER.has(metric);
}

/** Whether `value` of `metric` clears `threshold`: >= for scores, <= for errors. */
export function metricPasses(metric: MetricName, value: number, threshold: number): boolean {
  return LOWER_IS_BETTER.has(metric) ? value <= threshold : value >= threshold;
}

/** The metric-naming fields of a deploy spec. */
interface GateMetricNames {
  readonly metric?: MetricName;
  readonly gates?: readonly { readonly metric: MetricName }[];
  readonly beatProduction?: { readonly metric?: MetricName };
}

/** Every metric the deploy spec names, with its path inside `deploy` (for the issue naming it). */
export function gateMetricFields(d: GateMetricNames): { metric: MetricName; field: (string | number)[] }[] {
  const fields: { metric: MetricName; field: (string | number)[] }[] = [];
  if (d.metric !== undefined) fields.push({ metric: d.metric, field: ['metric'] });
  d.gates?.forEach((g, i) => fields.push({ metric: g.metric, field: ['gates', i, 'metric'] }));
  if (d.beatProduction?.metric !== undefined) fields.push({ metric: d.beatProduction.metric, field: ['beatProduction', 'metric'] });
  return fields;
}
