import { isCancellation } from '@temporalio/workflow';
import { describeFailure } from '../contract/failures';
import type { RegisterCandidateInput } from '../activities';
import { type RunState } from './runState';
import { type PipelineSteps } from './steps';

/**
 * Keeps a model the gate said no to as a candidate version (not serving), for a person to promote.
 * Failing to register it is a warning: the retrain alert still goes out.
 */
export async function registerCandidate(state: RunState, steps: PipelineSteps, input: RegisterCandidateInput): Promise<void> {
  try {
    const registered = await state.step('register', () => steps.registerCandidate(input), (r) => `${r.modelName} version ${r.version} registered as a candidate (not serving)`);
    state.status.candidateVersion = registered.version;
    state.facts.deployed = { version: registered.version, uri: registered.uri, serving: false };
  } catch (error) {
    if (isCancellation(error)) throw error;
    state.status.warnings.push(`model not registered as a candidate: ${describeFailure(error)}`);
  }
}
