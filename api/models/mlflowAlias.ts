import { Inject, Injectable } from '@nestjs/common';
import { MlflowError, moveProductionAlias, type AliasMove, type MlflowClient } from '../../mlflow';
import { type JsonLogger } from '../common/jsonLogger';
import { JSON_LOGGER, MLFLOW_CLIENT } from '../tokens';

/** What MLflow made of a change of production: the alias moved, or why not. */
export interface MlflowFollow {
  /** Where MLflow's alias points now; absent when the API has no MLflow or the move failed. */
  readonly mlflow?: AliasMove;
  readonly warnings: string[];
}

/**
 * Moves MLflow's `production` alias after our registry changed production. Our registry is the
 * source of truth: the change stands whatever MLflow answers, and a failure is a warning in the
 * answer. The whole move (a search and the alias, each retried by the client) is bounded by
 * MLFLOW_TIMEOUT_MS x MLFLOW_ATTEMPTS.
 */
@Injectable()
export class MlflowAliasSync {
  constructor(
    @Inject(MLFLOW_CLIENT) private readonly client: MlflowClient | null,
    @Inject(JSON_LOGGER) private readonly logger: JsonLogger,
  ) {}

  async follow(model: string, version: string): Promise<MlflowFollow> {
    if (this.client === null) return { warnings: [] };
    const { timeoutMs, attempts } = this.client.settings;
    try {
      return { mlflow: await moveProductionAlias(this.client, model, version, AbortSignal.timeout(timeoutMs * attempts)), warnings: [] };
    } catch (error) {
      if (!(error instanceof MlflowError)) throw error;
      this.logger.warn('production alias not moved in MLflow', { model, version, error: error.message });
      return { warnings: [`production alias not moved in MLflow: ${error.message}`] };
    }
  }
}
