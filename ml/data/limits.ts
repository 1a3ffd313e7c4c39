/**
 * Bounds on what one ingest may read, so a hostile or broken file fails with a clear error instead
 * of exhausting memory, disk or time. Every limit can be raised per call; the defaults fit a worker
 * with a few GiB of memory.
 */
export interface IngestLimits {
  /** Longest record (a CSV row with its quoted line breaks, a JSONL line, one JSON array element). */
  readonly maxRecordBytes: number;
  /** Most bytes an archive or compressed file may expand to, in total. */
  readonly maxUncompressedBytes: number;
  /** Highest expansion ratio of compressed data, checked once `ratioGraceBytes` have come out. */
  readonly maxCompressionRatio: number;
  /** Output below this size is never refused for its ratio: small, very regular files are harmless. */
  readonly ratioGraceBytes: number;
  /** Most entries an archive (zip or xlsx) may list. */
  readonly maxEntries: number;
  /**
   * Most columns a table may have. Every column costs a builder, a schema entry and a model
   * feature, so a very wide file exhausts memory long before its size says so; delimited files
   * are refused while their header is read, before any row.
   */
  readonly maxColumns: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_INGEST_LIMITS: IngestLimits = {
  maxRecordBytes: 32 * MiB,
  maxUncompressedBytes: 8 * 1024 * MiB,
  maxCompressionRatio: 200,
  ratioGraceBytes: 16 * MiB,
  maxEntries: 10_000,
  maxColumns: 10_000,
};

export function ingestLimits(overrides: Partial<IngestLimits> = {}): IngestLimits {
  const limits = { ...DEFAULT_INGEST_LIMITS, ...overrides };
  for (const [key, value] of Object.entries(limits)) {
    if (!(typeof value === 'number' && value > 0)) throw new RangeError(`ingest limit ${key} must be a positive number, got ${String(value)}`);
  }
  return limits;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * MiB) return `${+(bytes / (1024 * MiB)).toFixed(1)} GiB`;
  if (bytes >= MiB) return `${+(bytes / MiB).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}

/** The refusal of a table wider than the limit: names the count and the limit, and how to raise it. */
export function tooManyColumnsDetail(count: number, maxColumns: number, atLeast = false): string {
  return `${atLeast ? 'at least ' : ''}${count} columns, more than the limit of ${maxColumns} (INGEST_MAX_COLUMNS)`;
}
