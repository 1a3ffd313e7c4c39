import type { PreprocessResult, TrainHeartbeat, TrainResult } from '../activities';
import { shardRanges } from '../contract/shards';
import { type PipelineParams, type RunRef } from '../contract';
import { MAX_ATTEMPTS, type PipelineSteps } from './steps';
import { surviveWorkerLoss, WORKER_LOSS_PATCH } from './workerLoss';
import { established } from './patches';

/** Marks runs that may train a forest in shards; histories from before it trained in one activity. */
export const FOREST_SHARDS_PATCH = 'forest-shards';
/** Marks runs that hand a shard scheduled again after lost workers the checkpoint its lost attempt heartbeated. */
export const SHARD_RESUME_PATCH = 'shard-checkpoint-resume';

/**
 * The train step: one activity, or for a large forest parallel shards on the compute pool (each a
 * range of the trees, seeded by tree index) merged into the model a single activity would train.
 */
export async function trainStep(
  steps: PipelineSteps,
  run: RunRef,
  params: PipelineParams,
  prepared: PreprocessResult,
  warn: (warning: string) => void,
): Promise<TrainResult> {
  const { model } = params;
  const target = params.dataset.target;
  const ranges = shardRanges(model, prepared.trainRows);
  const single = ranges.length === 1 || !established(FOREST_SHARDS_PATCH);
  // A lost worker is not the step's error: once the attempts run out on lost workers, the activity
  // is scheduled again, resuming from the checkpoint the last attempt heartbeated.
  const survive = established(WORKER_LOSS_PATCH);
  const checkpointOf = (last: unknown) => (last as TrainHeartbeat | undefined)?.checkpoint;
  const lost = (what: string) => (round: number) => warn(`${what}: ${MAX_ATTEMPTS.train * round} attempts ended in lost workers (heartbeat timeouts); scheduled again (round ${round + 1})`);
  if (single) {
    const input = { run, model, train: prepared.train, transform: prepared.transform, target };
    if (!survive) return steps.train(input);
    return surviveWorkerLoss((last) => steps.train({ ...input, resume: checkpointOf(last) }), lost('train'));
  }
  const shards = await Promise.all(
    ranges.map((range) => {
      const shard = (last?: unknown) => {
        const resume = checkpointOf(last);
        // Patched only where the input changes: a round after lost workers that heartbeated a checkpoint.
        return steps.trainShard({ run, model, train: prepared.train, range, ...(resume && established(SHARD_RESUME_PATCH) && { resume }) });
      };
      return survive ? surviveWorkerLoss(shard, lost(`train shard ${range.from}-${range.to}`)) : shard();
    }),
  );
  const merged = await steps.mergeForest({ run, model, shards: shards.map((s) => s.shard), transform: prepared.transform, target });
  // The shards ran side by side: the longest is the training's own time.
  return { model: merged.model, fitSeconds: Math.max(...shards.map((s) => s.fitSeconds)) };
}

/** What preprocess needs to store a forest's splits as its bins; nothing for linear models (dense splits). */
export function forestPreparation(model: PipelineParams['model']): { forest?: { maxBins: number } } {
  return model.type === 'random_forest_classifier' || model.type === 'random_forest_regressor' ? { forest: { maxBins: model.hyperparameters.maxBins } } : {};
}
