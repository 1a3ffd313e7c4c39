import { type ModelSpec } from './params';

/** Rows x trees one shard grows in auto mode: on this machine about a minute of training. */
export const ROW_TREES_PER_SHARD = 50_000_000;
/** Most shards auto mode asks for: beyond it a merge costs more than the pool has workers to give. */
const MAX_AUTO_SHARDS = 16;

export interface TreeRange {
  readonly from: number;
  readonly to: number;
}

/** The tree ranges a forest is trained in; one range (the whole forest) for other models and small data. */
export function shardRanges(model: ModelSpec, trainRows: number): TreeRange[] {
  if (model.type !== 'random_forest_classifier' && model.type !== 'random_forest_regressor') return [{ from: 0, to: 1 }];
  const { nTrees, shards } = model.hyperparameters;
  const wanted = shards === 'auto' ? Math.min(MAX_AUTO_SHARDS, Math.ceil((trainRows * nTrees) / ROW_TREES_PER_SHARD)) : shards;
  const count = Math.max(1, Math.min(nTrees, wanted));
  return Array.from({ length: count }, (_, i) => ({ from: Math.floor((i * nTrees) / count), to: Math.floor(((i + 1) * nTrees) / count) }));
}
