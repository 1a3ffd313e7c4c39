import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

const ModelName = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-"');

const cell = z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]);

export class ModelNameParams extends createZodDto(z.strictObject({ name: ModelName.describe('Registry name of the model.') })) {}

/** Row-count bound is applied by the service from config (API_MAX_PREDICT_ROWS). */
export class PredictDto extends createZodDto(
  z.strictObject({
    rows: z
      .array(z.record(z.string().min(1).max(256), cell))
      .min(1)
      .describe('Feature rows as objects keyed by column name (1 to 256 characters), like the training data.'),
  }),
) {}

export class RollbackDto extends createZodDto(
  z.strictObject({
    version: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/).optional().describe('Version to serve; the previous production version when omitted.'),
  }),
) {}
