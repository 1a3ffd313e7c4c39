import { isCompletedTrial, primaryGateMetric, type PipelineParams, type PipelineStatus, type RunRef } from '../../contract';
import { type TrackingIndex } from '../../storage/trackingIndex';
import { type ReportHistory, type ReportTuning } from '../types';

/** Runs the history chart looks at: the most recent ones, this run included (those with the metric are drawn). */
export const HISTORY_RUNS = 30;

/**
 * The gate metric across the pipeline's recent tracked runs, oldest first. The run's own record is
 * written before its report, so it is among them when it has the metric. Undefined when fewer than
 * two runs have the metric: one point is no trend.
 */
export async function recentHistory(index: TrackingIndex, run: RunRef, params: PipelineParams): Promise<ReportHistory | undefined> {
  const metric = primaryGateMetric(params.deploy);
  const runs = (await index.recent(run.pipeline, HISTORY_RUNS))
    .filter((r) => typeof r.metrics[metric] === 'number')
    .map((r) => ({ runId: r.runId, startedAt: r.startedAt, value: r.metrics[metric] }));
  return runs.length >= 2 ? { metric, runs } : undefined;
}

/** The search's finished trials as the trials chart takes them; undefined for runs without tuning. */
export function tuningTrials(status: PipelineStatus): ReportTuning | undefined {
  const summary = status.tuning;
  if (!summary) return undefined;
  const completed = summary.trials.filter(isCompletedTrial);
  if (completed.length === 0) return undefined;
  const best = summary.best === undefined ? -1 : completed.findIndex((t) => t.trial === summary.best!.trial && t.rung === summary.best!.rung);
  return {
    metric: summary.metric,
    trials: completed.map((t) => ({ params: t.config, mean: t.mean, std: t.std, ...(t.rung !== undefined && { rung: t.rung, resource: t.resource }) })),
    ...(best >= 0 && { best }),
  };
}
