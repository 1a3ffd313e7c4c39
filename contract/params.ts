import { z } from 'zod';
import { RE2JS, RE2JSException } from 're2js';
import { TimeoutsSchema } from './timeouts';
import { SmallDataSchema } from './smallData';
import { EmailNotificationsSchema } from './notifications';
import { isSecretRef, LOCATION_MAX_LENGTH, LocationSchema, orSecretRef, SECRET_REF_HELP, WebhookUrlSchema } from './secrets';
import { TuningSchema } from './tuning';
import { checkTuning } from './tuningCheck';
import { BINARY_CLASSIFICATION_METRICS, CLASSIFICATION_METRICS, gateMetricFields, REGRESSION_METRICS } from './gateMetrics';
import { taskOf } from './modelTask';

export * from './gateMetrics';
export * from './modelTask';

/**
 * The run parameters of `mlPipeline`: its single argument. This schema is the one source of truth
 * for the workflow, the worker, the API body and the CLI `--input` file; defaults live here.
 */

export const NameSchema = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-", starting with a letter or digit');

export const ColumnNameSchema = z.string().min(1).max(256);
const seconds = (max: number) => z.number().positive().max(max);

export const DATASET_FORMATS = ['csv', 'tsv', 'json', 'jsonl', 'parquet', 'xlsx'] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];
export const COMPRESSIONS = ['none', 'gzip', 'zip'] as const;
export type Compression = (typeof COMPRESSIONS)[number];

/** Characters that can be part of a number, a quote or a line break cannot delimit fields (same rule as the parser). */
const delimiter = z
  .string()
  .length(1)
  .refine((d) => d.charCodeAt(0) <= 0x7f && !/[\w".+\-\r\n]/.test(d), 'one ASCII character other than a letter, digit, "_", ".", "+", "-", quote or line break');

export const COLUMN_TYPES = ['number', 'integer', 'boolean', 'string'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

/** What a column is to the model; inferred per column at preprocess, or set in `preprocessing.roles`. */
export const COLUMN_ROLES = ['numeric', 'categorical', 'boolean', 'datetime', 'identifier', 'text'] as const;
export type ColumnRole = (typeof COLUMN_ROLES)[number];

/** Where a dataset is and how to read it: shared by training (DatasetSchema) and batch inference. */
export const DATA_SOURCE_FIELDS = {
    source: orSecretRef(LocationSchema, LOCATION_MAX_LENGTH).describe(
      `Where the data is: a path relative to the worker data root, an http(s) URL or an s3://bucket/key object. ${SECRET_REF_HELP} The secret holds any of these; the worker resolves it when ingesting.`,
    ),
    format: z
      .enum(DATASET_FORMATS)
      .optional()
      .describe('File format; inferred from the source extension (also inside .gz and .zip) when omitted.'),
    compression: z
      .enum(COMPRESSIONS)
      .optional()
      .describe('gzip or zip (one data file inside, chosen by its extension); inferred from the extension (.gz, .zip) or the content when omitted.'),
    delimiter: delimiter.optional().describe('Field delimiter of csv/tsv data, when not the usual "," or tab (e.g. ";" or "|").'),
    sheet: z.string().min(1).max(31).optional().describe('The xlsx sheet to read, by name; the first sheet when omitted.'),
};

/** A delimiter or a sheet only applies to the formats that have one. */
export function checkReadOptions(d: { readonly format?: DatasetFormat; readonly delimiter?: string; readonly sheet?: string }, ctx: z.RefinementCtx): void {
  if (d.delimiter !== undefined && d.format !== undefined && d.format !== 'csv' && d.format !== 'tsv') {
    ctx.addIssue({ code: 'custom', path: ['delimiter'], message: `a delimiter applies to csv and tsv, not ${d.format}` });
  }
  if (d.sheet !== undefined && d.format !== undefined && d.format !== 'xlsx') {
    ctx.addIssue({ code: 'custom', path: ['sheet'], message: `a sheet applies to xlsx, not ${d.format}` });
  }
}

/** Shared by the training and the inference dataset: a batch codes its gaps as its training data did. */
export const MissingValuesSchema = z
  .array(z.string().max(100))
  .max(100)
  .optional()
  .describe(
    'Texts that mean "no value" in every format (CSV/TSV, JSON, JSONL, Parquet and XLSX string cells), on top of CSV\'s own "", NA, N/A, null, NULL, None, e.g. [".", "-", "n/a"]. A column that held one is typed again from its other values; a numeric token such as "-999" also matches equal numbers.',
  );

export const DatasetSchema = z
  .strictObject({
    ...DATA_SOURCE_FIELDS,
    target: ColumnNameSchema.describe('The column the model learns to predict.'),
    features: z
      .array(ColumnNameSchema)
      .min(1)
      .max(1000)
      .optional()
      .describe('Feature columns; all columns but the target when omitted.'),
    missingValues: MissingValuesSchema,
  })
  .superRefine(checkReadOptions)
  .describe('The training data.');

/** Floors of the sensor's poke interval: a file or S3 check costs a call, an http check costs someone else's server a request. */
export const MIN_POKE_SECONDS = 1;
export const MIN_HTTP_POKE_SECONDS = 5;

export const SensorSchema = z
  .strictObject({
    marker: orSecretRef(LocationSchema, LOCATION_MAX_LENGTH)
      .optional()
      .describe(
        `A file (relative to the data root), an http(s) URL or an s3://bucket/key object whose existence means the data is ready. No waiting when omitted. ${SECRET_REF_HELP} The secret holds any of these; a secret marker is checked at most every ${MIN_HTTP_POKE_SECONDS} s, as it may be an http(s) URL.`,
      ),
    newerThan: z.iso
      .datetime({ offset: true })
      .optional()
      .describe(
        'Only a marker written after this time counts (ISO 8601 date-time with Z or an offset, e.g. 2025-01-31T00:00:00Z): a file by its modification time, an http(s) URL by Last-Modified, an S3 object by LastModified.',
      ),
    mode: z
      .enum(['poke', 'reschedule'])
      .default('poke')
      .describe('poke: one activity checks in a heartbeat loop; reschedule: each check is a retry, holding no worker slot between checks.'),
    pokeIntervalSeconds: seconds(3600)
      .min(MIN_POKE_SECONDS)
      .default(5)
      .describe(`Time between two checks: at least ${MIN_POKE_SECONDS} s, at least ${MIN_HTTP_POKE_SECONDS} s for an http(s) or secret marker.`),
    timeoutSeconds: seconds(7 * 24 * 3600).default(3600).describe('Give up waiting after this long.'),
    softFail: z
      .boolean()
      .default(false)
      .describe('On timeout, end the run as skipped (with a report) instead of failing it.'),
  })
  .refine((s) => s.marker === undefined || !(/^https?:\/\//i.test(s.marker) || isSecretRef(s.marker)) || s.pokeIntervalSeconds >= MIN_HTTP_POKE_SECONDS, {
    message: `an http(s) marker (or a secret one, which may hold an http(s) URL) is checked at most every ${MIN_HTTP_POKE_SECONDS} s: a shorter interval turns the worker into a request amplifier against that host`,
    path: ['pokeIntervalSeconds'],
  })
  .describe('Wait for a marker before ingesting (Airflow FileSensor).');

const rangeRule = z
  .strictObject({
    column: ColumnNameSchema,
    min: z.number().optional().describe('Lower bound.'),
    max: z.number().optional().describe('Upper bound.'),
    strictMin: z.boolean().default(false).describe('Exclude the lower bound itself.'),
    strictMax: z.boolean().default(false).describe('Exclude the upper bound itself.'),
  })
  .refine((r) => r.min !== undefined || r.max !== undefined, { message: 'a range needs min or max' });

/** Longest `patterns` regex accepted: a bound on the size of the compiled automaton. */
export const MAX_PATTERN_LENGTH = 500;

/**
 * Why RE2 (the linear-time engine the patterns run on, see ml/validate/patterns) cannot take a
 * pattern, or undefined when it can. RE2 never backtracks, so no pattern can make matching slow;
 * what it leaves out is what needs backtracking: backreferences and lookaround.
 */
export function patternProblem(pattern: string): string | undefined {
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (error) {
    if (error instanceof RE2JSException) return `${error.message} (patterns use RE2 syntax: no backreferences or lookaround)`;
    throw error;
  }
}

const safeRegex = z
  .string()
  .min(1)
  .max(MAX_PATTERN_LENGTH)
  .superRefine((pattern, ctx) => {
    const problem = patternProblem(pattern);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `pattern ${JSON.stringify(pattern)} is not a valid regular expression: ${problem}` });
  });

const notNullRule = z.union([
  ColumnNameSchema,
  z.strictObject({
    column: ColumnNameSchema,
    maxNullFraction: z.number().min(0).max(1).default(0).describe('Largest fraction of missing values accepted (0: none).'),
  }),
]);

const uniqueKey = z.union([ColumnNameSchema, z.array(ColumnNameSchema).min(1).max(32).describe('A compound key: the combination of these columns must be unique.')]);

const schemaContract = z
  .strictObject({
    version: z.string().min(1).max(64).describe('Version of the data contract the params were written against, named in the report.'),
    columns: z.record(ColumnNameSchema, z.enum(COLUMN_TYPES)).describe('Every column the contract promises, with its type.'),
    allowExtraColumns: z.boolean().default(true).describe('Whether columns the contract does not name may be present.'),
  })
  .describe('A versioned data contract: the ingested schema must match it.');

/** Row-level expectation kinds: each failing row can be named, so it can be set aside instead of failing the run. */
export const QUARANTINABLE_EXPECTATIONS = ['notNull', 'unique', 'ranges', 'allowedValues', 'patterns'] as const;
export type QuarantinableExpectation = (typeof QUARANTINABLE_EXPECTATIONS)[number];
export const DEFAULT_MAX_QUARANTINE_FRACTION = 0.01;

const failurePolicy = z.enum(['fail', 'quarantine']);

const onFailure = z
  .strictObject(Object.fromEntries(QUARANTINABLE_EXPECTATIONS.map((kind) => [kind, failurePolicy.optional()])) as Record<QuarantinableExpectation, z.ZodOptional<typeof failurePolicy>>)
  .describe(
    'Per row-level expectation kind (notNull, unique, ranges, allowedValues, patterns): fail (the default) fails the run; quarantine removes the failing rows (for unique: the repeats, the first occurrence stays), writes them with their reasons to validation/quarantine.jsonl, and goes on with the rest.',
  );

export const ValidationSchema = z
  .strictObject({
    minRows: z.number().int().nonnegative().optional().describe('Fewest rows accepted.'),
    maxRows: z.number().int().positive().optional().describe('Most rows accepted.'),
    requiredColumns: z.array(ColumnNameSchema).max(1000).default([]).describe('Columns that must be present.'),
    notNull: z
      .array(notNullRule)
      .max(1000)
      .default([])
      .describe('Columns that must have no missing value (a name), or at most a fraction of them ({column, maxNullFraction}).'),
    unique: z
      .array(uniqueKey)
      .max(1000)
      .default([])
      .describe('Keys whose values must all differ: a column name, or an array of names for a compound key. Rows with a missing key part are not compared.'),
    ranges: z.array(rangeRule).max(1000).default([]).describe('Numeric bounds per column.'),
    allowedValues: z
      .record(ColumnNameSchema, z.array(z.union([z.string(), z.number(), z.boolean()])).min(1).max(10_000))
      .default({})
      .describe('For each column, the only values it may hold (missing values are left to notNull).'),
    columnTypes: z.record(ColumnNameSchema, z.enum(COLUMN_TYPES)).default({}).describe('Expected inferred type per column.'),
    patterns: z
      .record(ColumnNameSchema, safeRegex)
      .default({})
      .describe('For each string column, a regular expression (RE2 syntax, matched in linear time: no backreferences or lookaround) every value must match as a whole; missing values are left to notNull.'),
    schema: schemaContract.optional(),
    onFailure: onFailure.optional(),
    maxQuarantineFraction: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe(`Largest fraction of the rows quarantine may remove (default ${DEFAULT_MAX_QUARANTINE_FRACTION}); beyond it the run fails without retry, naming how many rows failed which rule.`),
  })
  .refine((v) => v.minRows === undefined || v.maxRows === undefined || v.minRows <= v.maxRows, {
    message: 'minRows must not exceed maxRows',
    path: ['minRows'],
  })
  .describe('Expectations the ingested data must meet; a failed expectation fails the run without retry, unless onFailure quarantines its rows.');

export const PreprocessingSchema = z
  .strictObject({
    numericImpute: z.enum(['mean', 'median', 'zero']).default('mean').describe('Fill for missing numbers.'),
    categoricalImpute: z
      .enum(['most_frequent', 'missing_category'])
      .default('most_frequent')
      .describe('Fill for missing categories.'),
    oneHot: z.boolean().default(true).describe('One-hot encode string features (else ordinal codes).'),
    maxCategories: z.number().int().min(2).max(1000).default(50).describe('Most one-hot columns per feature; rarer values share one.'),
    scaling: z.enum(['standard', 'minmax', 'none']).default('standard').describe('Scaling of numeric features.'),
    roles: z
      .record(ColumnNameSchema, z.enum(COLUMN_ROLES))
      .default({})
      .describe(
        'Role per column, overriding the one inferred from the training rows: numeric, categorical, boolean, datetime (ISO 8601 text, or numbers as Unix epoch seconds or milliseconds), identifier or text (both left out of the default features).',
      ),
    exclude: z.array(ColumnNameSchema).max(1000).default([]).describe('Columns never used as features.'),
  })
  .describe('Feature transforms, fitted on the training split and saved with the model.');

export const SplitSchema = z
  .strictObject({
    testSize: z.number().gt(0).lt(1).default(0.2).describe('Fraction of rows held out for evaluation.'),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(42).describe('Seed of the shuffle.'),
    stratify: z.boolean().default(true).describe('Keep class proportions in both splits (classifiers only).'),
  })
  .describe('Train/test split.');

const maxFeatures = z
  .union([z.enum(['sqrt', 'log2', 'all']), z.number().gt(0).max(1)])
  .describe('Features tried per split: sqrt, log2, all, or a fraction of them.');

/** Most classes an explicit classWeight map may name. */
export const MAX_CLASS_WEIGHTS = 10_000;

export const ClassWeightSchema = z
  .union([
    z.literal('balanced'),
    z
      .record(z.string().min(1).max(256), z.number().positive().max(1e6))
      .refine((m) => Object.keys(m).length >= 1 && Object.keys(m).length <= MAX_CLASS_WEIGHTS, `name 1 to ${MAX_CLASS_WEIGHTS} classes`),
  ])
  .describe(
    'Weight of each class in training, for imbalanced targets: "balanced" weighs a class by n_samples / (n_classes * its count), as scikit-learn; or a map of class label to weight (classes left out weigh 1; a label the target does not have fails the training). Unweighted when omitted.',
  );
export type ClassWeight = z.infer<typeof ClassWeightSchema>;

const forest = {
  nTrees: z.number().int().min(1).max(2000).default(100).describe('Number of trees.'),
  maxDepth: z.number().int().min(1).max(64).optional().describe('Deepest a tree grows; unlimited when omitted.'),
  minSamplesSplit: z.number().int().min(2).max(1_000_000).default(2).describe('Fewest rows a node needs to be split.'),
  minSamplesLeaf: z.number().int().min(1).max(1_000_000).default(1).describe('Fewest rows in a leaf.'),
  maxBins: z.number().int().min(2).max(256).default(255).describe('Histogram bins per feature.'),
  bootstrap: z.boolean().default(true).describe('Sample rows with replacement for each tree.'),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(42).describe('Seed for bootstrap and feature sampling.'),
  shards: z
    .union([z.literal('auto'), z.number().int().min(1).max(64)])
    .default('auto')
    .describe('Parallel activities that grow ranges of the trees on the compute pool, merged into one model (same trees whatever the count); auto: one per ~50 M row-trees, so small data trains in one.'),
  maxSamples: z
    .union([z.number().gt(0).max(1), z.number().int().min(2).max(1_000_000_000)])
    .optional()
    .describe('Rows drawn per tree (with bootstrap): a fraction of the training rows (0 < f <= 1) or a count (an integer >= 2); all rows when omitted.'),
};

/** As scikit-learn: a subsample size only means something for bootstrap samples. */
const samplesNeedBootstrap = (p: { bootstrap: boolean; maxSamples?: number }) => p.bootstrap || p.maxSamples === undefined;
const samplesIssue = { message: 'maxSamples needs bootstrap: true', path: ['maxSamples'] };

export const RandomForestClassifierSchema = z
  .strictObject({
    ...forest,
    maxFeatures: maxFeatures.default('sqrt'),
    classWeight: ClassWeightSchema.optional(),
  })
  .refine(samplesNeedBootstrap, samplesIssue);
export const RandomForestRegressorSchema = z
  .strictObject({
    ...forest,
    maxFeatures: maxFeatures.default('all'),
  })
  .refine(samplesNeedBootstrap, samplesIssue);
export const LogisticRegressionSchema = z.strictObject({
  l2: z.number().min(0).max(1e6).default(1e-4).describe('L2 penalty.'),
  learningRate: z.number().positive().max(100).default(0.5).describe('Step size of gradient descent.'),
  maxIterations: z.number().int().min(1).max(100_000).default(500).describe('Most full-batch iterations.'),
  tolerance: z.number().positive().max(1).default(1e-6).describe('Stop when the loss improves less than this.'),
  classWeight: ClassWeightSchema.optional(),
});
export const LinearRegressionSchema = z.strictObject({
  l2: z.number().min(0).max(1e6).default(0).describe('Ridge penalty (0 = ordinary least squares).'),
});

/** A regressor's params have no classWeight; the classifier's type covers both. */
export type RandomForestParams = z.infer<typeof RandomForestClassifierSchema>;
export type LogisticRegressionParams = z.infer<typeof LogisticRegressionSchema>;
export type LinearRegressionParams = z.infer<typeof LinearRegressionSchema>;

/** Each model type's hyperparameter schema, for what checks a hyperparameter by name (tuning). */
export const HYPERPARAMETER_SCHEMAS = {
  random_forest_classifier: RandomForestClassifierSchema,
  random_forest_regressor: RandomForestRegressorSchema,
  logistic_regression: LogisticRegressionSchema,
  linear_regression: LinearRegressionSchema,
} as const;

const modelIdentity = {
  name: NameSchema.optional().describe('Registry name of the model; the pipeline name when omitted.'),
  version: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/)
    .optional()
    .describe('Registry version; the next integer when omitted.'),
};

export const ModelSchema = z
  .discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('random_forest_classifier'),
      ...modelIdentity,
      hyperparameters: RandomForestClassifierSchema.default(RandomForestClassifierSchema.parse({})),
    }),
    z.strictObject({
      type: z.literal('random_forest_regressor'),
      ...modelIdentity,
      hyperparameters: RandomForestRegressorSchema.default(RandomForestRegressorSchema.parse({})),
    }),
    z.strictObject({
      type: z.literal('logistic_regression'),
      ...modelIdentity,
      hyperparameters: LogisticRegressionSchema.default(LogisticRegressionSchema.parse({})),
    }),
    z.strictObject({
      type: z.literal('linear_regression'),
      ...modelIdentity,
      hyperparameters: LinearRegressionSchema.default(LinearRegressionSchema.parse({})),
    }),
  ])
  .describe('The model to train, with hyperparameters validated per type.');

export type ModelSpec = z.infer<typeof ModelSchema>;
export type ModelType = ModelSpec['type'];

const GateMetricSchema = z
  .enum([...CLASSIFICATION_METRICS, ...REGRESSION_METRICS])
  .describe(`${BINARY_CLASSIFICATION_METRICS.join(' and ')} rank the positive class's probability and apply to binary classifiers only: a multiclass model gated on one fails at the gate. roc_auc_ovr averages every class's one-vs-rest ROC AUC and applies to any classifier.`);

export const GateSchema = z
  .strictObject({
    metric: GateMetricSchema,
    threshold: z.number().describe('The metric must reach it: at least this for scores, at most this for errors (mse, rmse, mae).'),
  })
  .describe('One metric requirement of the deploy gate.');

export const BeatProductionSchema = z
  .strictObject({
    metric: GateMetricSchema.optional().describe('The metric compared; the first gate\'s when omitted.'),
    margin: z
      .number()
      .min(0)
      .max(1e12)
      .default(0)
      .describe('How much better than production the new model must be, in the metric\'s own units (higher for scores, lower for errors); 0: at least as good.'),
  })
  .describe(
    "Deploy only when the new model beats the production version: both are scored on this run's held-out rows, each through its own saved transform. Passes, with a note, when no version serves yet or the serving one cannot score these rows.",
  );

export const DeploySchema = z
  .strictObject({
    metric: GateMetricSchema.optional().describe('Metric of a single gate (with threshold); `gates` names several.'),
    threshold: z.number().optional().describe('Deploy when the metric reaches it (at least for scores, at most for errors).'),
    gates: z.array(GateSchema).min(1).max(32).optional().describe('Metric requirements that must all pass (on top of metric/threshold when both are given).'),
    beatProduction: BeatProductionSchema.optional(),
    requireApproval: z.boolean().default(false).describe('Wait for an approveDeploy signal before deploying.'),
    approvalTimeoutSeconds: seconds(30 * 24 * 3600)
      .default(24 * 3600)
      .describe('Without a decision by then, do not deploy.'),
  })
  .superRefine((d, ctx) => {
    if (d.metric !== undefined && d.threshold === undefined) ctx.addIssue({ code: 'custom', path: ['threshold'], message: 'a metric gate needs a threshold' });
    if (d.metric === undefined && d.threshold !== undefined) ctx.addIssue({ code: 'custom', path: ['metric'], message: 'a threshold needs the metric it applies to' });
    if (d.metric === undefined && d.threshold === undefined && d.gates === undefined) {
      ctx.addIssue({ code: 'custom', path: ['metric'], message: 'required: name a metric and threshold, or gates' });
    }
  })
  .describe('The gate between a trained model and production: every metric requirement, and beatProduction when given, must pass.');

export const NotificationsSchema = z
  .strictObject({
    webhooks: z
      .array(orSecretRef(WebhookUrlSchema, LOCATION_MAX_LENGTH))
      .max(10)
      .default([])
      .describe(`http(s) URLs that receive a JSON POST on alert and at the end of the run. ${SECRET_REF_HELP} A webhook secret must hold an http(s) URL.`),
    email: EmailNotificationsSchema.default(EmailNotificationsSchema.parse({})),
  })
  .describe('Where alerts and run summaries go (always also to the worker log).');

export const PipelineParamsSchema = z
  .strictObject({
    pipeline: NameSchema.describe('Pipeline name: groups runs, names the model by default, one active run each by default.'),
    dataset: DatasetSchema,
    sensor: SensorSchema.default(SensorSchema.parse({})),
    validation: ValidationSchema.default(ValidationSchema.parse({})),
    preprocessing: PreprocessingSchema.default(PreprocessingSchema.parse({})),
    split: SplitSchema.default(SplitSchema.parse({})),
    model: ModelSchema,
    deploy: DeploySchema,
    notifications: NotificationsSchema.default(NotificationsSchema.parse({})),
    timeouts: TimeoutsSchema.default(TimeoutsSchema.parse({})),
    tuning: TuningSchema.optional(),
    smallData: SmallDataSchema.default(SmallDataSchema.parse({})),
    keepIntermediates: z
      .boolean()
      .default(false)
      .describe('Keep the preprocessed splits and training checkpoints after the run (they are removed by default; model, transform, reports and data stay).'),
    allowConcurrentRuns: z
      .boolean()
      .default(false)
      .describe('Allow several active runs of this pipeline (each gets its own workflow id).'),
  })
  .superRefine((p, ctx) => {
    const allowed: readonly string[] = taskOf(p.model.type) === 'classification' ? CLASSIFICATION_METRICS : REGRESSION_METRICS;
    for (const { metric, field } of gateMetricFields(p.deploy)) {
      if (!allowed.includes(metric)) {
        ctx.addIssue({ code: 'custom', path: ['deploy', ...field], message: `${metric} does not apply to ${p.model.type}; use one of ${allowed.join(', ')}` });
      }
    }
    if (p.tuning) {
      const { type, hyperparameters } = p.model;
      checkTuning(p.tuning, { type, hyperparameters, schema: HYPERPARAMETER_SCHEMAS[type], metrics: allowed }, ctx);
    }
    if (p.dataset.features?.includes(p.dataset.target)) {
      ctx.addIssue({ code: 'custom', path: ['dataset', 'features'], message: 'the target column cannot also be a feature' });
    }
    if (p.preprocessing.exclude.includes(p.dataset.target)) {
      ctx.addIssue({ code: 'custom', path: ['preprocessing', 'exclude'], message: 'the target column cannot be excluded' });
    }
    const both = p.dataset.features?.filter((f) => p.preprocessing.exclude.includes(f)) ?? [];
    if (both.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['preprocessing', 'exclude'], message: `${both.join(', ')} both named in dataset.features and excluded` });
    }
  })
  .describe('Parameters of one ML pipeline run.');

/** Params as written by a user (defaults optional). */
export type PipelineParamsInput = z.input<typeof PipelineParamsSchema>;
/** Params after parsing: every default filled in. */
export type PipelineParams = z.output<typeof PipelineParamsSchema>;
export type ValidationRules = PipelineParams['validation'];
export type PreprocessingSpec = PipelineParams['preprocessing'];
export type SplitSpec = PipelineParams['split'];
export type SensorSpec = PipelineParams['sensor'];
export type DeploySpec = PipelineParams['deploy'];
