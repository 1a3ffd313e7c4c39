/** The limits below which a run's data counts as small (SmallDataSchema fills them in). */
export interface SmallDataLimits {
  readonly maxRows: number;
  readonly maxCells: number;
  readonly maxBytes: number;
}

/** Whether ingest's figures are within `spec`: all three limits hold. */
export function isSmallData(ingested: { rows: number; columns: number; sourceBytes: number }, spec: SmallDataLimits): boolean {
  return ingested.rows <= spec.maxRows && ingested.rows * ingested.columns <= spec.maxCells && ingested.sourceBytes <= spec.maxBytes;
}
