import { patched } from '@temporalio/workflow';
import type { PreprocessResult, TrainResult } from '../activities';
import { shardRanges, type PipelineParams, type RunRef } from '../contract';
import { type PipelineSteps } from './steps';

/** Marks runs that may train a forest in shards; histories from before it trained in one activity. */
export const FOREST_SHARDS_PATCH = 'forest-shards';

/**
 * The train step: one activity, or for a large forest parallel shards on the compute pool (each a
 * range of the trees, seeded by tree index) merged into the model a single activity would train.
 */
export async function trainStep(steps: PipelineSteps, run: RunRef, params: PipelineParams, prepared: PreprocessResult): Promise<TrainResult> {
  const { model } = params;
  const target = params.dataset.target;
  const ranges = shardRanges(model, prepared.trainRows);
  if (ranges.length === 1 || !patched(FOREST_SHARDS_PATCH)) {
    return steps.train({ run, model, train: prepared.train, transform: prepared.transform, target });
  }
  const shards = await Promise.all(ranges.map((range) => steps.trainShard({ run, model, train: prepared.train, range })));
  const merged = await steps.mergeForest({ run, model, shards: shards.map((s) => s.shard), transform: prepared.transform, target });
  // The shards ran side by side: the longest is the training's own time.
  return { model: merged.model, fitSeconds: Math.max(...shards.map((s) => s.fitSeconds)) };
}

/** What preprocess needs to store a forest's splits as its bins; nothing for linear models (dense splits). */
export function forestPreparation(model: PipelineParams['model']): { forest?: { maxBins: number } } {
  return model.type === 'random_forest_classifier' || model.type === 'random_forest_regressor' ? { forest: { maxBins: model.hyperparameters.maxBins } } : {};
}
