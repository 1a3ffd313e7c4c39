import { z } from 'zod';
import {
  checkReadOptions,
  ColumnNameSchema,
  DATA_SOURCE_FIELDS,
  MissingValuesSchema,
  NameSchema,
  NotificationsSchema,
  SensorSchema,
  ValidationSchema,
} from './params';
import { DriftSpec } from './drift';
import { InferenceTimeoutsSchema } from './inferenceTimeouts';

/**
 * The run parameters of `mlInference`: score a batch with a registered model. Beside the training
 * schema (contract/params.ts) and built from the same pieces, so a dataset, sensor, validation or
 * notification reads the same in both.
 */

export const PREDICTION_FORMATS = ['parquet', 'csv', 'jsonl'] as const;
export type PredictionFormat = (typeof PREDICTION_FORMATS)[number];

export const InferenceDatasetSchema = z
  .strictObject({
    ...DATA_SOURCE_FIELDS,
    label: ColumnNameSchema.optional().describe('A column holding the true values: when present, the model is also evaluated on the batch.'),
    missingValues: MissingValuesSchema,
  })
  .superRefine(checkReadOptions)
  .describe('The batch to score.');

export const InferenceModelSchema = z
  .strictObject({
    name: NameSchema.describe('Registry name of the model.'),
    version: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/)
    .optional()
      .describe('A pinned registry version; the production version when omitted (read once, at validation, so the whole run uses one version).'),
  })
  .describe('The registered model that scores the batch.');

/** The column `output.rowWarnings` adds to the predictions. */
export const ROW_WARNINGS_COLUMN = 'warnings';

export const OutputSchema = z
  .strictObject({
    format: z.enum(PREDICTION_FORMATS).default('parquet').describe('File format of the predictions artifact.'),
    rowWarnings: z
      .boolean()
      .default(false)
      .describe(
        'Add a `warnings` column: per row, the features that were missing (and took the training fill) and the categories the model has no slot for, e.g. "missing size; unseen colour=purple"; empty when none. The counts are in the result either way.',
      ),
  })
  .describe('How the predictions are written.');

export const InferenceValidationSchema = ValidationSchema.extend({
  checkModelFeatures: z
    .boolean()
    .default(true)
    .describe("Check that the batch has every feature column of the model with a type its transform can read (and a label of the model's kind)."),
}).superRefine((v, ctx) => {
  // Every row of a batch gets a prediction: there is no later step that could go on without some.
  for (const field of ['onFailure', 'maxQuarantineFraction'] as const) {
    if (v[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: `${field} applies to training runs: batch inference scores every row, so a failed expectation fails the run` });
  }
});

export const InferenceParamsSchema = z
  .strictObject({
    pipeline: NameSchema.describe('Name of this inference job: groups its runs, one active run each by default.'),
    model: InferenceModelSchema,
    dataset: InferenceDatasetSchema,
    passThrough: z
      .array(ColumnNameSchema)
      .max(100)
      .default([])
      .describe('Batch columns copied into the predictions as they are (e.g. an id).'),
    output: OutputSchema.default(OutputSchema.parse({})),
    sensor: SensorSchema.default(SensorSchema.parse({})),
    validation: InferenceValidationSchema.default(InferenceValidationSchema.parse({})),
    drift: DriftSpec.prefault({}).describe('Compare the batch with the training profile of the model version; alert, and retrain when asked, on drift.'),
    notifications: NotificationsSchema.default(NotificationsSchema.parse({})),
    timeouts: InferenceTimeoutsSchema.default(InferenceTimeoutsSchema.parse({})),
    allowConcurrentRuns: z
      .boolean()
      .default(false)
      .describe('Allow several active runs of this job (each gets its own workflow id).'),
  })
  .superRefine((p, ctx) => {
    const names = new Set<string>();
    p.passThrough.forEach((column, i) => {
      if (names.has(column)) ctx.addIssue({ code: 'custom', path: ['passThrough', i], message: `${column} is listed twice` });
      if (column === ROW_WARNINGS_COLUMN && p.output.rowWarnings) ctx.addIssue({ code: 'custom', path: ['passThrough', i], message: `${column} clashes with the column output.rowWarnings adds` });
      names.add(column);
    });
  })
  .describe('Parameters of one batch inference run.');

export type InferenceParamsInput = z.input<typeof InferenceParamsSchema>;
export type InferenceParams = z.output<typeof InferenceParamsSchema>;
