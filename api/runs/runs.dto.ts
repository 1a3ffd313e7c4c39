import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { ARTIFACT_KINDS, ModelSchema, ParsedPipelineParamsSchema, PipelineParamsSchema } from '../../contract';

/** Workflow ids we accept in paths: what Temporal allows, minus anything that could confuse a URL or a query. */
export const WorkflowIdSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits, ".", "_", ":" and "-"');

export const RUN_STATUSES = ['running', 'completed', 'failed', 'cancelled', 'terminated', 'timed_out', 'continued_as_new'] as const;

export class CreateRunDto extends createZodDto(ParsedPipelineParamsSchema) {}

export class RunIdParams extends createZodDto(z.strictObject({ id: WorkflowIdSchema.describe('Workflow id of the run.') })) {}

export class RunLookupQuery extends createZodDto(
  z.strictObject({ runId: z.uuid().optional().describe('A specific run of this workflow id; the latest when omitted.') }),
) {}

export class ListRunsQuery extends createZodDto(
  z.strictObject({
    pipeline: PipelineParamsSchema.shape.pipeline.optional().describe('Only runs of this pipeline.'),
    status: z.enum(RUN_STATUSES).optional().describe('Only runs in this execution status.'),
    modelType: z.enum(ModelSchema.options.map((o) => o.shape.type.value) as [string, ...string[]]).optional().describe('Only runs training this model type.'),
    pageSize: z.coerce.number().int().min(1).max(100).default(20).describe('Runs per page.'),
    cursor: z.string().max(4096).regex(/^[A-Za-z0-9_-]+$/).optional().describe('The nextCursor of the previous page.'),
  }),
) {}

export class ApprovalDto extends createZodDto(
  z.strictObject({
    by: z.string().min(1).max(200).optional().describe('Who decided.'),
    comment: z.string().max(2000).optional().describe('Why.'),
  }),
) {}

export class ArtifactParams extends createZodDto(
  z.strictObject({
    id: WorkflowIdSchema,
    kind: z.enum(ARTIFACT_KINDS).describe('Artifact folder.'),
    file: z.string().min(1).max(255).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/).describe('File name in that folder.'),
  }),
) {}
