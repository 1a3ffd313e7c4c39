import { ApplicationFailure, condition } from '@temporalio/workflow';
import { FAILURE_TYPES, metricPasses, missingMetricReason, type Decision, type DeploySpec } from '../contract';
import { type RunState } from './runState';

const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : n.toPrecision(4));

/** Compares the gate metric with its threshold and, when asked for, waits for a person's approval. */
export async function decideDeploy(state: RunState, spec: DeploySpec, metrics: Record<string, number>): Promise<Decision> {
  const value = metrics[spec.metric];
  if (value === undefined) {
    throw ApplicationFailure.create({ type: FAILURE_TYPES.MetricMissing, message: missingMetricReason(spec.metric), nonRetryable: true });
  }
  const passed = metricPasses(spec.metric, value, spec.threshold);
  const base = { metric: spec.metric, value, threshold: spec.threshold, passed };
  if (!passed) {
    state.skip('approval', 'metric below threshold');
    return { ...base, approval: 'not_required', action: 'alert', reason: `${spec.metric} ${fmt(value)} does not reach ${fmt(spec.threshold)}` };
  }
  if (!spec.requireApproval) {
    state.skip('approval', 'not required');
    return { ...base, approval: 'not_required', action: 'deploy', reason: `${spec.metric} ${fmt(value)} reaches ${fmt(spec.threshold)}` };
  }
  const decided = await state.step(
    'approval',
    () => condition(() => state.approval !== undefined, `${spec.approvalTimeoutSeconds}s`),
    (ok) => (ok ? `${state.approval!.approved ? 'approved' : 'rejected'}${state.approval!.by ? ` by ${state.approval!.by}` : ''}` : 'timed out'),
  );
  if (!decided) {
    return { ...base, approval: 'timed_out', action: 'alert', reason: `no approval within ${spec.approvalTimeoutSeconds} s` };
  }
  const { approved, by, comment } = state.approval!;
  const who = by ? ` by ${by}` : '';
  const why = comment ? `: ${comment}` : '';
  return approved
    ? { ...base, approval: 'approved', action: 'deploy', reason: `approved${who}${why}` }
    : { ...base, approval: 'rejected', action: 'alert', reason: `rejected${who}${why}` };
}
