import { CronExpressionParser } from 'cron-parser';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { ParsedInferenceParamsSchema, ParsedPipelineParamsSchema } from '../../contract';

export const OVERLAP_POLICIES = ['skip', 'buffer_one', 'buffer_all', 'cancel_other', 'terminate_other', 'allow_all'] as const;

const ScheduleId = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-"');

/** Why `expression` is not a cron Temporal can run, or undefined: 5 fields, or 6 with seconds first, each in range. */
export function cronProblem(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/).length;
  if (fields !== 5 && fields !== 6) return `${JSON.stringify(expression)} has ${fields} fields: a cron expression has 5 (or 6, seconds first)`;
  try {
    CronExpressionParser.parse(expression, { tz: 'UTC' });
    return undefined;
  } catch (error) {
    return `${JSON.stringify(expression)} is not a cron expression: ${(error as Error).message}`;
  }
}

// Parsed for real, not only matched: a regex let `61 * * * *` through to Temporal, which answered 500.
const cron = z
  .string()
  .min(9)
  .max(200)
  .superRefine((expression, ctx) => {
    const problem = cronProblem(expression);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });

export const CreateScheduleSchema = z
  .strictObject({
    scheduleId: ScheduleId.describe('Name of the schedule.'),
    cron: z.union([cron, z.array(cron).min(1).max(10)]).optional().describe('Cron expression(s), UTC: 5 fields, or 6 with seconds first. Exactly one of cron and intervalSeconds.'),
    intervalSeconds: z.number().int().min(1).max(366 * 24 * 3600).optional().describe('Run every this many seconds. Exactly one of cron and intervalSeconds.'),
    overlap: z.enum(OVERLAP_POLICIES).default('skip').describe('What to do when a run is due while the previous one still runs.'),
    paused: z.boolean().default(false).describe('Create it paused.'),
    note: z.string().max(500).optional().describe('Why it exists / why it is paused.'),
    params: ParsedPipelineParamsSchema.optional().describe('The run parameters of every scheduled training run (mlPipeline). Exactly one of params and inferenceParams.'),
    inferenceParams: ParsedInferenceParamsSchema.optional().describe('Instead of params: the run parameters of every scheduled batch inference run (mlInference). Exactly one of params and inferenceParams.'),
  })
  .refine((s) => (s.params === undefined) !== (s.inferenceParams === undefined), {
    message: 'give exactly one of params (training) and inferenceParams (batch inference)',
    path: ['params'],
  })
  .refine((s) => (s.cron === undefined) !== (s.intervalSeconds === undefined), {
    message: 'give exactly one of cron and intervalSeconds',
    path: ['cron'],
  })
  .describe('A schedule: exactly one of cron and intervalSeconds, and exactly one of params and inferenceParams.');

export class CreateScheduleDto extends createZodDto(CreateScheduleSchema) {}

export class ScheduleIdParams extends createZodDto(z.strictObject({ id: ScheduleId })) {}

export class PauseDto extends createZodDto(z.strictObject({ note: z.string().max(500).optional().describe('Why.') })) {}

export class TriggerDto extends createZodDto(
  z.strictObject({ overlap: z.enum(OVERLAP_POLICIES).optional().describe('Overlap policy for this one run; the schedule policy when omitted.') }),
) {}

const MAX_BACKFILL_MS = 366 * 24 * 3600 * 1000;

export class BackfillDto extends createZodDto(
  z
    .strictObject({
      start: z.iso.datetime({ offset: true }).describe('Start of the time range (inclusive), ISO-8601.'),
      end: z.iso.datetime({ offset: true }).describe('End of the time range (exclusive), ISO-8601: after start, and at most one year after it.'),
      overlap: z.enum(OVERLAP_POLICIES).default('allow_all').describe('Overlap policy for the backfilled runs.'),
    })
    .refine((b) => Date.parse(b.start) < Date.parse(b.end), { message: 'start must be before end', path: ['end'] })
    .refine((b) => Date.parse(b.end) - Date.parse(b.start) <= MAX_BACKFILL_MS, { message: 'at most one year per backfill', path: ['end'] })
    .describe('A past time range to run the schedule for: start < end, at most one year apart.'),
) {}
