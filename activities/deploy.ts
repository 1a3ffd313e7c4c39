import { ModelRegistry, type Lineage } from '../storage/modelRegistry';
import { type ActivityDeps } from './deps';
import { runStep } from './failures';
import { type TrainingProfile } from '../ml/drift/profile';
import { trainingProfileKey } from './profileKey';
import { type DeployInput, type DeployResult, type RegisterCandidateInput, type RegisterCandidateResult } from './types';

export function createDeployActivities(deps: Pick<ActivityDeps, 'store' | 'clock'>) {
  const registry = new ModelRegistry(deps.store);

  /** Registers preprocess's profile of the training rows with the held-out metrics, when the run left one (runs from before it did not). */
  async function registerProfile(input: DeployInput, version: string): Promise<void> {
    const key = trainingProfileKey(input.run);
    if (!(await deps.store.exists(key))) return;
    const profile = JSON.parse((await deps.store.get(key)).toString('utf8')) as TrainingProfile;
    await registry.putProfile(input.modelName, version, JSON.stringify({ ...profile, metrics: input.metrics }));
  }

  /** Registers the run's model as a version (once per run, even when retried), with its bytes and training profile. */
  async function register(input: DeployInput, candidate?: Lineage['candidate']): Promise<{ version: string; uri: string }> {
    // The reads and writes that do not depend on each other overlap: on small data they are most of the step.
    const [version, model] = await Promise.all([
      registry.claimVersion(
        {
          model: input.modelName,
          run: input.run,
          datasetFingerprint: input.datasetFingerprint,
          params: input.params,
          metrics: input.metrics,
          registeredAt: deps.clock.now().toISOString(),
          ...(candidate && { candidate }),
        },
        input.version,
      ),
      deps.store.get(input.model.key),
    ]);
    const [uri] = await Promise.all([registry.putModel(input.modelName, version, model), registerProfile(input, version)]);
    return { version, uri };
  }

  /** Registers the run's model as a version and points production at it. */
  async function deploy(input: DeployInput): Promise<DeployResult> {
    return runStep(async () => {
      const { version, uri } = await register(input);
      const pointer = await registry.promoteNew(await registry.lineage(input.modelName, version), deps.clock.now());
      return { modelName: input.modelName, version, uri, production: pointer.version, previousVersion: pointer.previousVersion };
    });
  }

  /** Registers a model the gate kept out of production as a candidate version: stored like any other, not serving. */
  async function registerCandidate(input: RegisterCandidateInput): Promise<RegisterCandidateResult> {
    return runStep(async () => ({ modelName: input.modelName, ...(await register(input, { reason: input.reason })) }));
  }

  return { deploy, registerCandidate };
}
