import { ModelRegistry } from '../storage/modelRegistry';
import { type ActivityDeps } from './deps';
import { runStep } from './failures';
import { type TrainingProfile } from '../ml/drift/profile';
import { trainingProfileKey } from './profileKey';
import { type DeployInput, type DeployResult } from './types';

export function createDeployActivities(deps: ActivityDeps) {
  const registry = new ModelRegistry(deps.store);

  /** Registers preprocess's profile of the training rows with the held-out metrics, when the run left one (runs from before it did not). */
  async function registerProfile(input: DeployInput, version: string): Promise<void> {
    const key = trainingProfileKey(input.run);
    if (!(await deps.store.exists(key))) return;
    const profile = JSON.parse((await deps.store.get(key)).toString('utf8')) as TrainingProfile;
    await registry.putProfile(input.modelName, version, JSON.stringify({ ...profile, metrics: input.metrics }));
  }

  /** Registers the run's model as a version (once per run, even when retried) and points production at it. */
  async function deploy(input: DeployInput): Promise<DeployResult> {
    return runStep(async () => {
      const version = await registry.claimVersion(
        {
          model: input.modelName,
          run: input.run,
          datasetFingerprint: input.datasetFingerprint,
          params: input.params,
          metrics: input.metrics,
          registeredAt: deps.clock.now().toISOString(),
        },
        input.version,
      );
      const uri = await registry.putModel(input.modelName, version, await deps.store.get(input.model.key));
      await registerProfile(input, version);
      const pointer = await registry.promoteNew(await registry.lineage(input.modelName, version), deps.clock.now());
      return { modelName: input.modelName, version, uri, production: pointer.version, previousVersion: pointer.previousVersion };
    });
  }

  return { deploy };
}
