import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { NameSchema } from '../../contract';

const PipelineName = NameSchema.describe('Pipeline name.');
const RunId = z.uuid().describe('Temporal run id of a tracked run.');

export class PipelineParams extends createZodDto(z.strictObject({ pipeline: PipelineName })) {}

export class TrackedRunParams extends createZodDto(z.strictObject({ pipeline: PipelineName, runId: RunId })) {}

// Bounded so that the longest valid query, percent-encoded, stays well inside Node's 16 KiB header limit (else a 431).
const FilterText = z.string().min(1).max(120);

export class ListTrackedRunsQuery extends createZodDto(
  z.strictObject({
    sort: z
      .string()
      .max(200)
      .optional()
      .describe('Comma-separated fields, each with :asc (default) or :desc, e.g. `metrics.r2:desc,startedAt:desc`; newest first when omitted.'),
    filter: z
      .union([FilterText, z.array(FilterText).max(20)])
      .optional()
      .describe('`<field><op><value>`, op one of = != > >= < <=, e.g. `params.model.hyperparameters.nTrees>=100` or `outcome=deployed`; repeat for several (all must hold).'),
    limit: z.coerce.number().int().min(1).max(100).default(20).describe('Runs per page.'),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0).describe('Runs to skip.'),
  }),
) {}

export const MAX_COMPARED = 20;
const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

export class CompareRunsQuery extends createZodDto(
  z.strictObject({
    runs: z
      .string()
      .max(37 * MAX_COMPARED)
      .regex(new RegExp(`^${UUID}(,${UUID}){1,${MAX_COMPARED - 1}}$`), `two to ${MAX_COMPARED} run ids (UUIDs), comma-separated`)
      .describe(`Two to ${MAX_COMPARED} run ids, comma-separated.`),
  }),
) {}
