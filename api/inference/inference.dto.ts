import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { InferenceParamsSchema, ParsedInferenceParamsSchema } from '../../contract';
import { RUN_STATUSES } from '../runs/runs.dto';

export class CreateInferenceRunDto extends createZodDto(ParsedInferenceParamsSchema) {}

export class ListInferenceRunsQuery extends createZodDto(
  z.strictObject({
    pipeline: InferenceParamsSchema.shape.pipeline.optional().describe('Only runs of this inference job.'),
    status: z.enum(RUN_STATUSES).optional().describe('Only runs in this execution status.'),
    pageSize: z.coerce.number().int().min(1).max(100).default(20).describe('Runs per page.'),
    cursor: z.string().max(4096).regex(/^[A-Za-z0-9_-]+$/).optional().describe('The nextCursor of the previous page.'),
  }),
) {}
