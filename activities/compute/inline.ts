import { sniff } from '../../ml/data/magic';

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

/** Encoded table bytes up to which validate checks inline. */
export const INLINE_MAX_TABLE_BYTES = 64 * 1024;

/**
 * Whether ingest parses this fetched file inline: small, and neither compressed nor an archive, a
 * workbook or Parquet (by its first bytes, whatever its name), since 64 KiB of those can expand to
 * megabytes of rows.
 */
export async function parsesInline(file: { readonly path: string; readonly bytes: number }): Promise<boolean> {
  return file.bytes <= INLINE_MAX_SOURCE_BYTES && (await sniff(file.path)) === 'other';
}
