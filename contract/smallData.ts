import { z } from 'zod';

export { isSmallData } from './smallDataRule';

/**
 * Data small enough that the steps after ingest run as local activities on the workflow's worker:
 * each saves a task round trip through the server (~30-50 ms here), which is most of a small run's
 * wall time. Large data always runs as ordinary activities: heartbeats, worker-loss rounds and
 * checkpoints exist for steps that run long.
 */
export const SmallDataSchema = z
  .strictObject({
    maxRows: z.number().int().min(0).max(1_000_000).default(10_000).describe('Most rows ingest may report for the data to count as small; 0 turns local steps off.'),
    maxCells: z.number().int().min(0).max(10_000_000).default(200_000).describe('Most rows x columns.'),
    maxBytes: z
      .number()
      .int()
      .min(0)
      .max(256 * 1024 * 1024)
      .default(4 * 1024 * 1024)
      .describe('Most source bytes.'),
  })
  .describe('Below these sizes (as ingest reports them) validate, preprocess, train, evaluate, deploy and report run as local activities: same retries, timeouts and step labels, no task round trip per step.');

export type SmallDataSpec = z.output<typeof SmallDataSchema>;
