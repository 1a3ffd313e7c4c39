import { log } from '@temporalio/activity';
import { runPrefix, type MlflowLink } from '../contract';
import { TrackingIndex } from '../storage/trackingIndex';
import { type ActivityDeps } from './deps';
import { runStep } from './failures';
import { buildTrackingRecord } from './tracking/record';
import { logRunToMlflow } from './tracking/mlflowRun';
import { type TrackRunInput, type TrackRunResult } from './trackingTypes';

export function createTrackActivities(deps: ActivityDeps) {
  const index = new TrackingIndex(deps.store);

  /** Logs the run to MLflow when the worker has one; whatever goes wrong there is a warning, not a failure. */
  async function toMlflow(input: TrackRunInput, recordUri: string, warnings: string[]): Promise<MlflowLink | undefined> {
    if (deps.mlflow === undefined) return undefined;
    try {
      return await logRunToMlflow(deps.mlflow, buildTrackingRecord(input), { artifactLocation: deps.store.uri(runPrefix(input.run)), recordUri });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log.warn('run not logged to MLflow', { error: message });
      warnings.push(`run not logged to MLflow (${deps.mlflow.settings.attempts} tries): ${message}`);
      return undefined;
    }
  }

  /**
   * Writes the run's tracking record (one JSON object under tracking/<pipeline>/runs/, the same key
   * on a retry) after logging the run to MLflow, so the record links the MLflow run.
   */
  async function trackRun(input: TrackRunInput): Promise<TrackRunResult> {
    return runStep(async () => {
      const warnings: string[] = [];
      const mlflow = await toMlflow(input, index.uri(input.run.pipeline, input.run.runId), warnings);
      const ref = await index.put(buildTrackingRecord(input, { warnings, mlflow }));
      return { uri: ref.uri, warnings };
    });
  }

  return { trackRun };
}
