import { condition } from '@temporalio/workflow';
import type { CompareResult } from '../activities';
import { type Decision, type DeploySpec } from '../contract';
import { judgeGates } from './gates';
import { type RunState } from './runState';

/** Judges every gate (and the production comparison, when asked for) and, when asked for, waits for a person's approval. */
export async function decideDeploy(state: RunState, spec: DeploySpec, metrics: Record<string, number>, compared?: CompareResult): Promise<Decision> {
  const verdict = judgeGates(spec, metrics, compared);
  const [first] = verdict.gates;
  const base = {
    metric: first.metric,
    value: first.value,
    threshold: first.threshold,
    passed: verdict.passed,
    gates: verdict.gates,
    ...(verdict.production && { production: verdict.production }),
  };
  if (!verdict.passed) {
    state.skip('approval', verdict.gatesPassed ? 'not better than production' : 'metric below threshold');
    return { ...base, approval: 'not_required', action: 'alert', reason: verdict.reason };
  }
  if (!spec.requireApproval) {
    state.skip('approval', 'not required');
    return { ...base, approval: 'not_required', action: 'deploy', reason: verdict.reason };
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
