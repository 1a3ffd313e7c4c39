import { log } from '@temporalio/activity';
import { runKey, type RunRef } from '../contract';
import { type ArtifactStore } from '../storage/artifactStore';

/**
 * What a run removes when it ends: the preprocessed splits (the largest artifacts, a dense copy of
 * the data) and the training checkpoints. It keeps the ingested table, the validation report,
 * the fitted transform, the column roles, the training profile, the model, the evaluation and the report.
 */
const REMOVED_KINDS = ['preprocessed', 'checkpoints'] as const;
const KEPT_FILES = new Set(['transform.json', 'columns.json', 'profile.json']);

/** Deletes the run's large intermediates; returns how many objects went. A failure is logged, never thrown: the run's work is done. */
export async function removeIntermediates(store: ArtifactStore, run: RunRef): Promise<number> {
  try {
    const keys = (await Promise.all(REMOVED_KINDS.map((kind) => store.list(runKey(run, kind, ''))))).flat();
    const removable = keys.filter((key) => !KEPT_FILES.has(key.slice(key.lastIndexOf('/') + 1)));
    for (const key of removable) await store.delete(key);
    return removable.length;
  } catch (error) {
    log.warn('intermediate artifacts not removed', { run: run.runId, error: String(error) });
    return 0;
  }
}
