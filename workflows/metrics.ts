import { metricMeter } from '@temporalio/workflow';
import { type Decision, type Outcome } from '../contract';

/**
 * Run-level metrics, counted by the workflow itself through the SDK's workflow metric meter: it
 * emits nothing while a worker replays history, so a run is counted once however often its history
 * is replayed (cache eviction, another worker taking over). They are exported with the SDK's runtime
 * metrics (SDK_METRICS_PORT), as `<name>_total` with the SDK's namespace, task_queue and
 * workflow_type labels. Emitting a metric adds no command to the history, so replay is unchanged.
 */
export const RUN_METRIC_NAMES = {
  started: 'mlp_runs_started',
  finished: 'mlp_runs_finished',
  decisions: 'mlp_deploy_decisions',
} as const;

const HELP = {
  started: 'Pipeline runs started, by pipeline.',
  finished: 'Pipeline runs finished, by pipeline and outcome (deployed, not_deployed, skipped, failed, cancelled).',
  decisions: 'Deploy gate decisions, by pipeline and decision (deploy, alert).',
} as const;

/** Made per call: the meter exists only inside a workflow (the worker side caches the real counter). */
const counter = (metric: keyof typeof RUN_METRIC_NAMES) => metricMeter.createCounter(RUN_METRIC_NAMES[metric], undefined, HELP[metric]);

export function countRunStarted(pipeline: string): void {
  counter('started').add(1, { pipeline });
}

export function countRunFinished(pipeline: string, outcome: Outcome): void {
  counter('finished').add(1, { pipeline, outcome });
}

export function countDeployDecision(pipeline: string, decision: Decision['action']): void {
  counter('decisions').add(1, { pipeline, decision });
}
