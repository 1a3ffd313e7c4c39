import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { statusQuery, type PipelineResult, type PipelineStatus } from '../contract';

/**
 * Polls the `status` query until the run closes, calling `onStatus` with each snapshot, and
 * returns the result (or throws the run's failure).
 */
export async function watchRun(
  handle: WorkflowHandle,
  onStatus: (status: PipelineStatus) => void,
  intervalMs = 250,
): Promise<PipelineResult> {
  const result = handle.result() as Promise<PipelineResult>;
  let closed = false;
  result.then(
    () => (closed = true),
    () => (closed = true),
  );
  while (!closed) {
    try {
      onStatus(await handle.query(statusQuery));
    } catch (error) {
      // A query can race the run's close; the result below tells what happened.
      if (closed || error instanceof WorkflowFailedError) break;
    }
    await Promise.race([sleep(intervalMs), result.catch(() => undefined)]);
  }
  const final = await result;
  onStatus(final);
  return final;
}
