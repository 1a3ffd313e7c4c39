export { ALREADY_EXISTS, DOES_NOT_EXIST, MlflowClient, MlflowError, type MlflowSettings } from './client';
export { checkMlflowEnv, MLFLOW_ENV, mlflowSettings } from './config';
export { moveProductionAlias, OUR_VERSION_TAG, PRODUCTION_ALIAS, type AliasMove } from './productionAlias';
