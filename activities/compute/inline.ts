import { sniff } from '../../ml/data/magic';
import { type ModelSpec } from '../../contract';

/*
 * Sizes up to which ingest's parse and validate's checks run on the activity's own thread rather
 * than in a compute thread. Measured under tsx at load ~12 on 2 cores: Iris (3.7 KB) ingests in
 * 2.1 ms inline and 2.2 ms through an idle thread, and validates in 0.08 ms against 0.27 ms; a
 * 58 KB file parses in ~7 ms either way (mostly file I/O, which does not block). An idle thread
 * costs well under a millisecond, but when none is idle (more concurrent small runs than the idle
 * threads kept) a new one costs 50-100 ms compiled and over a second under tsx, more than a small
 * run's whole work. Below 64 KiB the event loop is held for a few milliseconds at most.
 */

/** Source bytes up to which ingest parses inline, when the file is plain (see `parsesInline`). */
export const INLINE_MAX_SOURCE_BYTES = 64 * 1024;

/** Encoded table bytes up to which validate checks and preprocess splits and fits inline (preprocess: 0.9 ms for Iris, 3.3 ms for a 64 KB table of 1,800 rows, warm). */
export const INLINE_MAX_TABLE_BYTES = 64 * 1024;

/**
 * Whether ingest parses this fetched file inline: small, and neither compressed nor an archive, a
 * workbook or Parquet (by its first bytes, whatever its name), since 64 KiB of those can expand to
 * megabytes of rows.
 */
export async function parsesInline(file: { readonly path: string; readonly bytes: number }): Promise<boolean> {
  return file.bytes <= INLINE_MAX_SOURCE_BYTES && (await sniff(file.path)) === 'other';
}

/**
 * Encoded training split bytes times trees up to which a forest trains inline: Iris's training
 * split (1.96 KB binned) with 100 trees is 0.2 M and trains in ~2 ms (warm); 1,000 trees took 26 ms.
 * A forest's work grows with both, whatever the shape of the data.
 */
export const INLINE_MAX_FOREST_WORK = 256 * 1024;

/**
 * Model artifact bytes times held-out split bytes up to which evaluate scores inline (every tree
 * predicts every row, for the metrics and each feature's shuffles): Iris's 100-tree model (68 KB)
 * on its held-out split (1.5 KB) is 100 M and takes ~3 ms (warm); with 1,000 trees, 40 ms.
 */
export const INLINE_MAX_EVALUATE_WORK = 128 * 1024 * 1024;

/** Whether train fits this model inline: a small forest only (other models iterate to convergence, their time is not bounded by their size). */
export function trainsInline(model: ModelSpec, splitBytes: number): boolean {
  if (model.type !== 'random_forest_classifier' && model.type !== 'random_forest_regressor') return false;
  return splitBytes * model.hyperparameters.nTrees <= INLINE_MAX_FOREST_WORK;
}

/** Model artifact bytes above which evaluate never runs inline: decoding the model alone would hold the event loop, however few rows it scores. */
export const INLINE_MAX_MODEL_BYTES = 1024 * 1024;

/** Whether checkBatch decodes this model and batch inline: both small, since it decodes both whole. */
export function checksBatchInline(modelBytes: number, tableBytes: number): boolean {
  return modelBytes <= INLINE_MAX_TABLE_BYTES && tableBytes <= INLINE_MAX_TABLE_BYTES;
}

/** Whether evaluate scores this model inline. */
export function evaluatesInline(modelBytes: number, testBytes: number): boolean {
  return modelBytes <= INLINE_MAX_MODEL_BYTES && modelBytes * testBytes <= INLINE_MAX_EVALUATE_WORK;
}
