import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

const ModelName = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-"');

const cell = z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]);

const Version = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'letters, digits, ".", "_" and "-", starting with a letter or digit, at most 63');

export class ModelNameParams extends createZodDto(z.strictObject({ name: ModelName.describe('Registry name of the model.') })) {}

export class ModelVersionParams extends createZodDto(
  z.strictObject({ name: ModelName.describe('Registry name of the model.'), version: Version.describe('A registered version of the model.') }),
) {}

export const VERSION_STATUSES = ['production', 'candidate', 'archived'] as const;

export class VersionsQuery extends createZodDto(
  z.strictObject({
    status: z
      .enum(VERSION_STATUSES)
      .optional()
      .describe('Only versions in this state: production (serving), candidate (kept out by the deploy gate, never served) or archived (served or deployed once, not serving now).'),
  }),
) {}

export class PromoteDto extends createZodDto(
  z
    .strictObject({
      by: z.string().min(1).max(200).regex(/\S/, 'must not be blank').describe('Who decides: a person or team, kept in the version\'s promotion history.'),
      reason: z.string().min(1).max(2000).regex(/\S/, 'must not be blank').describe('Why this version should serve, kept in the version\'s promotion history.'),
    })
    .describe('A person\'s decision to serve a version.'),
) {}

/** Row-count bound is applied by the service from config (API_MAX_PREDICT_ROWS). */
export class PredictDto extends createZodDto(
  z.strictObject({
    rows: z
      .array(z.record(z.string().min(1).max(256), cell))
      .min(1)
      .describe('Feature rows as objects keyed by column name (1 to 256 characters), like the training data.'),
  }),
) {}

const counts = z.record(z.string(), z.number().int().min(0));

/** The answer of POST /models/:name/predict; documented only (the service builds it), so the shape is stated once, here. */
export class PredictionDto extends createZodDto(
  z
    .strictObject({
      model: z.string().describe('The model name.'),
      version: z.string().describe('The production version that answered.'),
      predictions: z.array(z.union([z.string(), z.number()])).describe('One per row, in request order: the class label (classifiers) or the value (regressors).'),
      probabilities: z
        .array(z.record(z.string(), z.number().min(0).max(1)))
        .optional()
        .describe('Classifiers only: per row, the probability of every class by label (they sum to 1); the prediction is the most probable class, the first on ties.'),
      warnings: z
        .strictObject({
          rows: z.number().int().min(0).describe('Rows with at least one warning.'),
          unseenCategories: counts.describe('Per categorical feature, rows whose value the model has no category for (unseen in training, or pooled as too rare): scored as the "other" category, or as none.'),
          missingValues: counts.describe('Per feature, rows where it was missing (null or absent) and the training fill was used.'),
          allNullRows: z.number().int().min(0).describe('Rows with every feature missing: their prediction rests on the fills alone.'),
          byRow: z
            .array(
              z.strictObject({
                row: z.number().int().min(0).describe('Index into the request\'s rows (0-based, as in rows.3.x of a validation error).'),
                unseenCategories: z.record(z.string(), z.string()).optional().describe('Feature to the value the model does not know.'),
                missingValues: z.array(z.string()).optional().describe('Features that were filled.'),
                allNull: z.literal(true).optional(),
              }),
            )
            .describe('Only the rows with a warning, in order.'),
        })
        .describe('What the saved preprocessing had to paper over; the rows are still scored.'),
    })
    .describe('Predictions of the production version, with class probabilities and per-row warnings.'),
) {}

export class RollbackDto extends createZodDto(
  z.strictObject({
    version: Version.optional().describe('Version to serve; the previous production version when omitted. A candidate that never served is promoted instead (POST /models/:name/versions/:version/promote).'),
  }),
) {}

const pointerFields = {
  version: z.string().describe('The version that serves now.'),
  previousVersion: z.string().optional().describe('The version that served before.'),
  updatedAt: z.iso.datetime().describe('When production last changed.'),
  run: z.strictObject({ pipeline: z.string(), workflowId: z.string(), runId: z.string() }).optional().describe('The run that trained the serving version.'),
  promotion: z.strictObject({ by: z.string(), reason: z.string() }).optional().describe('Who promoted the serving version by hand, and why.'),
};

/** MLflow's side of a change of production: our registry decides, MLflow's alias follows when it can. */
const mlflowFields = {
  mlflow: z
    .strictObject({
      alias: z.literal('production'),
      version: z.string().describe('The MLflow model version (tagged mlp.version with ours) the alias now points at.'),
    })
    .optional()
    .describe('Present when the API has an MLflow server (MLFLOW_TRACKING_URI) and moved its production alias.'),
  warnings: z
    .array(z.string())
    .describe('Empty when all went well. "production alias not moved in MLflow: ..." when MLflow was unreachable (after MLFLOW_ATTEMPTS tries) or has no version tagged with ours (e.g. trained before MLflow was configured): production changed in our registry all the same.'),
};

/** The answer of POST /models/:name/versions/:version/promote; documented only (the service builds it). */
export class PromotionAnswerDto extends createZodDto(
  z
    .strictObject({
      model: z.string().describe('The model name.'),
      version: z.string().describe('The promoted version.'),
      production: z.strictObject(pointerFields).describe('The production pointer after the promotion.'),
      promotion: z
        .strictObject({ by: z.string(), reason: z.string(), at: z.iso.datetime(), previousVersion: z.string().optional().describe('The version that served before.') })
        .describe('The promotion, as kept in the version\'s history.'),
      ...mlflowFields,
    })
    .describe('The version serves; MLflow\'s production alias followed, or a warning says why not.'),
) {}

/** The answer of POST /models/:name/rollback; documented only (the service builds it). */
export class RollbackAnswerDto extends createZodDto(
  z.strictObject({ ...pointerFields, ...mlflowFields }).describe('The production pointer after the rollback; MLflow\'s production alias followed, or a warning says why not.'),
) {}
