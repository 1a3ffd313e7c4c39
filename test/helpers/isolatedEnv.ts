import { resolve } from 'node:path';
import { TEMPORAL_ENV } from '../../connection/temporalEnv';

const NO_PROFILES = resolve(__dirname, '../fixtures/temporal-no-profiles.toml');

/**
 * This process's environment without its Temporal connection settings (variables and config file),
 * for a child that must connect only where the test says. Binary locations (TEMPORAL_CLI_PATH) stay.
 */
export function withoutTemporalSettings(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const kept = Object.entries(env).filter(([key]) => !(key in TEMPORAL_ENV) && !key.startsWith('TEMPORAL_GRPC_META_'));
  return { ...Object.fromEntries(kept), TEMPORAL_CONFIG_FILE: NO_PROFILES };
}
