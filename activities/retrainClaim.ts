import { registryKeys, type RunRef } from '../contract';
import { ModelRegistry, PointerContentionError } from '../storage/modelRegistry';
import { type ActivityDeps } from './deps';
import { runStep } from './failures';
import { type ClaimRetrainInput, type ClaimRetrainResult, type TrainingParamsInput, type TrainingParamsResult } from './types';

interface RetrainClaim {
  readonly model: string;
  readonly claimedAt: string;
  readonly run: RunRef;
}

const MAX_RACES = 20;
const sameRun = (a: RunRef, b: RunRef): boolean => a.workflowId === b.workflowId && a.runId === b.runId;

export function createRetrainClaimActivities(deps: ActivityDeps) {
  /**
   * The cool-down of drift's retraining loop: grants a retrain of a model when none was granted in
   * the last `cooldownSeconds`, recording the grant by compare-and-swap on one object per model,
   * so of two runs asking at once only one is granted. A retried attempt of the run that holds the
   * grant is granted again (it is the same request).
   */
  async function claimRetrain(input: ClaimRetrainInput): Promise<ClaimRetrainResult> {
    return runStep(async () => {
      const key = registryKeys.retrainClaim(input.modelName);
      for (let race = 0; race < MAX_RACES; race++) {
        const read = await deps.store.getVersioned(key);
        const current = read === undefined ? undefined : (JSON.parse(read.data.toString('utf8')) as RetrainClaim);
        const now = deps.clock.now();
        if (current !== undefined) {
          if (sameRun(current.run, input.run)) return { granted: true, lastClaimAt: current.claimedAt };
          const nextAllowed = new Date(Date.parse(current.claimedAt) + input.cooldownSeconds * 1000);
          if (now < nextAllowed) return { granted: false, lastClaimAt: current.claimedAt, nextAllowedAt: nextAllowed.toISOString() };
        }
        const claim: RetrainClaim = { model: input.modelName, claimedAt: now.toISOString(), run: input.run };
        if (await deps.store.replaceIfVersion(key, JSON.stringify(claim, null, 2), read?.version, 'application/json')) return { granted: true, lastClaimAt: claim.claimedAt };
      }
      throw new PointerContentionError(input.modelName);
    });
  }

  const registry = new ModelRegistry(deps.store);

  /** The training params a model version was deployed with (its lineage): what a retraining starts from. */
  async function trainingParams(input: TrainingParamsInput): Promise<TrainingParamsResult> {
    return runStep(async () => ({ params: (await registry.lineage(input.modelName, input.version)).params }));
  }

  return { claimRetrain, trainingParams };
}
