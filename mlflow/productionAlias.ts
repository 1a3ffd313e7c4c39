import { DOES_NOT_EXIST, MlflowError, type MlflowClient } from './client';

/** The alias MLflow's registry gives the version our registry serves. */
export const PRODUCTION_ALIAS = 'production';
/** The tag on an MLflow model version naming our registry's version of the same model. */
export const OUR_VERSION_TAG = 'mlp.version';

export interface AliasMove {
  readonly alias: typeof PRODUCTION_ALIAS;
  /** MLflow's version number, which differs from ours when MLflow came later or saw other runs. */
  readonly version: string;
}

interface ModelVersion {
  readonly version: string;
}

/** Quotes a value for an MLflow search filter (single quotes, backslash-escaped). */
const quoted = (value: string): string => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/**
 * Points MLflow's `production` alias at the MLflow version tagged with our version: our registry
 * decided, MLflow follows. Throws an MlflowError (not retryable) when MLflow has no such version,
 * e.g. the run was trained before MLflow was configured. `signal` bounds the whole move.
 */
export async function moveProductionAlias(client: MlflowClient, model: string, ourVersion: string, signal?: AbortSignal): Promise<AliasMove> {
  const found = await client.get<{ model_versions?: ModelVersion[] }>(
    'model-versions/search',
    { filter: `name=${quoted(model)} and tags.\`${OUR_VERSION_TAG}\`=${quoted(ourVersion)}` },
    signal,
  );
  // A re-registered run leaves several: the newest is the one the worker aliased last.
  const versions = (found.model_versions ?? []).map((v) => v.version).sort((a, b) => Number(b) - Number(a));
  const version = versions[0];
  if (version === undefined) {
    throw new MlflowError(`MLflow has no version of model ${model} tagged ${OUR_VERSION_TAG}=${ourVersion} (trained before MLflow was configured?)`, DOES_NOT_EXIST, { retryable: false });
  }
  await client.post('registered-models/alias', { name: model, alias: PRODUCTION_ALIAS, version }, signal);
  return { alias: PRODUCTION_ALIAS, version };
}
