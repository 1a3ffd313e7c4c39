import { type TemporalConfig } from './temporalEnv';

/** Connecting failed: names where and how it tried (never the key), and the settings to check. */
export class TemporalConnectError extends Error {
  override readonly name = 'TemporalConnectError';

  constructor(config: Pick<TemporalConfig, 'summary'>, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`cannot connect to Temporal at ${config.summary}: ${reason}\n  check TEMPORAL_ADDRESS, TEMPORAL_TLS*, TEMPORAL_API_KEY, or the profile (TEMPORAL_PROFILE in TEMPORAL_CONFIG_FILE)`, { cause });
  }
}

/** Runs `connect` (a client or native connection to `config`), turning its failure into a TemporalConnectError. */
export async function connectTo<T>(config: Pick<TemporalConfig, 'summary'>, connect: () => Promise<T>): Promise<T> {
  try {
    return await connect();
  } catch (error) {
    throw new TemporalConnectError(config, error);
  }
}
