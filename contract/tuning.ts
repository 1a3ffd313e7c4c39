import { z } from 'zod';

/**
 * `tuning` in the training params: a hyperparameter search by k-fold cross-validation on the
 * training split. Which hyperparameters a model type has is checked against its own schema
 * (checkTuning, contract/tuningCheck.ts); the configurations are drawn by contract/tuningSpace.ts.
 */

import { DEFAULT_ETA, DEFAULT_GRID_POINTS, DEFAULT_RANDOM_TRIALS, MAX_ETA, MAX_FOLDS, MAX_MIN_RESOURCE, MAX_TRIALS } from './tuningLimits';

export * from './tuningLimits';
export { isCompletedTrial } from './trials';

const bound = z.number();

const ChoiceSchema = z.strictObject({
  type: z.literal('choice'),
  values: z
    .array(z.union([z.number(), z.string().max(64), z.boolean(), z.null()]))
    .min(1)
    .max(100)
    .describe('The values tried; null leaves an optional hyperparameter unset (e.g. maxDepth: unlimited).'),
});

const rangeFields = {
  low: bound.describe('Smallest value (inclusive).'),
  high: bound.describe('Largest value (inclusive).'),
  log: z.boolean().default(false).describe('Draw uniformly on a log scale (low must be > 0), e.g. for a penalty.'),
  gridPoints: z
    .number()
    .int()
    .min(2)
    .max(100)
    .optional()
    .describe(`Points of the range on a grid (evenly spaced, geometrically when log; integers rounded, repeats dropped); ${DEFAULT_GRID_POINTS} when omitted. Random search ignores it.`),
};

const rangeOrder = (r: { low: number; high: number; log: boolean }, ctx: z.RefinementCtx) => {
  if (r.low > r.high) ctx.addIssue({ code: 'custom', path: ['low'], message: `low ${r.low} is above high ${r.high}` });
  if (r.log && r.low <= 0) ctx.addIssue({ code: 'custom', path: ['low'], message: 'a log-scale range needs low > 0' });
};

const IntRangeSchema = z
  .strictObject({ type: z.literal('int'), ...rangeFields, low: z.number().int(), high: z.number().int() })
  .superRefine(rangeOrder);
const FloatRangeSchema = z.strictObject({ type: z.literal('float'), ...rangeFields }).superRefine(rangeOrder);

export const ParameterSpaceSchema = z
  .discriminatedUnion('type', [ChoiceSchema, IntRangeSchema, FloatRangeSchema])
  .describe('One hyperparameter\'s values: {"type":"choice","values":[...]}, {"type":"int","low":2,"high":16}, or {"type":"float","low":1e-5,"high":1,"log":true}.');

export const TUNING_STRATEGIES = ['random', 'grid', 'halving'] as const;

export const TuningSchema = z
  .strictObject({
    strategy: z
      .enum(TUNING_STRATEGIES)
      .default('random')
      .describe(
        'random: `trials` configurations drawn from the space (without repeats when every hyperparameter is a choice); grid: every combination; ' +
          'halving: successive halving over `trials` random configurations (as scikit-learn\'s HalvingRandomSearchCV): every candidate is cross-validated on a small stratified sample of the training rows, the best 1/eta go on to eta times the rows, until the last rung.',
      ),
    space: z
      .record(z.string().min(1).max(64), ParameterSpaceSchema)
      .refine((space) => Object.keys(space).length > 0, 'an empty search space: name at least one hyperparameter of the model type')
      .refine((space) => Object.keys(space).length <= 32, 'at most 32 hyperparameters')
      .describe('Per hyperparameter of the model type, its values; hyperparameters left out keep model.hyperparameters.'),
    trials: z
      .number()
      .int()
      .min(1)
      .max(MAX_TRIALS)
      .optional()
      .describe(`Random search and halving: configurations to try, halving's first-rung candidates (default ${DEFAULT_RANDOM_TRIALS}). A grid runs each of its combinations and takes no trials.`),
    metric: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe('The cross-validated metric to optimise (its direction follows from it: errors are minimised); deploy.metric when omitted.'),
    folds: z.number().int().min(2).max(MAX_FOLDS).default(5).describe('k of the k-fold cross-validation on the training split; folds keep class proportions for classifiers.'),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(42).describe('Seed of the configuration draws and of the fold assignment.'),
    eta: z
      .number()
      .int()
      .min(2)
      .max(MAX_ETA)
      .optional()
      .describe(`Halving only: each rung keeps the best 1/eta of its candidates and gives them eta times the training rows (default ${DEFAULT_ETA}).`),
    minResource: z
      .number()
      .int()
      .min(2)
      .max(MAX_MIN_RESOURCE)
      .optional()
      .describe(
        'Halving only: training rows the first rung cross-validates each candidate on (a seeded, stratified sample of the training split; each later rung samples eta times more). ' +
          'Default as scikit-learn\'s min_resources="exhaust": the most rows that still lets the last rung use about the whole split, and at least 2 x folds x classes.',
      ),
    maxConcurrency: z.number().int().min(1).max(64).default(2).describe('Most trials running at once on the compute pool.'),
  })
  .describe('Hyperparameter search: each configuration is cross-validated on the training split, then the best one is refit on the whole training split and evaluated on the held-out split.');

export type TuningSpec = z.output<typeof TuningSchema>;
export type ParameterSpace = z.output<typeof ParameterSpaceSchema>;
export type HyperparameterValue = number | string | boolean | null;
/** One configuration: a value per searched hyperparameter (null: left unset). */
export type TrialConfig = Record<string, HyperparameterValue>;

/** Where a halving search evaluated a trial: its rung (0-based) and the training rows its cross-validation used. */
export interface TrialRung {
  readonly rung?: number;
  readonly resource?: number;
}

/** A cross-validated configuration. */
export interface CompletedTrial extends TrialRung {
  /** 0-based, in the order the configurations were drawn (halving: the candidate, evaluated once per rung it reaches). */
  readonly trial: number;
  readonly config: TrialConfig;
  /** The metric on each validation fold, in fold order. */
  readonly foldScores: number[];
  readonly mean: number;
  /** Population standard deviation of the fold scores. */
  readonly std: number;
  /** Wall time of the trial's cross-validation. */
  readonly seconds: number;
}

/** A configuration the data could not train (e.g. maxSamples above the fold's rows): recorded, the search goes on. */
export interface FailedTrial extends TrialRung {
  readonly trial: number;
  readonly config: TrialConfig;
  readonly error: string;
}

export type TrialResult = CompletedTrial | FailedTrial;


/** The `tuning` section of a run's status and result. */
export interface TuningSummary {
  readonly strategy: TuningSpec['strategy'];
  readonly metric: string;
  readonly direction: 'maximize' | 'minimize';
  readonly folds: number;
  /** Trials planned: configurations drawn (halving: the evaluations of every rung). */
  readonly planned: number;
  /** Halving: each rung's candidates and training rows, planned before the first. */
  readonly rungs?: readonly HalvingRung[];
  /** Finished trials, in trial order (halving: by rung, then trial). */
  trials: TrialResult[];
  /** The winner, refit on the whole training split: its config and the full hyperparameters trained (halving: the best of the last rung). */
  best?: { readonly trial: number; readonly config: TrialConfig; readonly hyperparameters: Record<string, unknown>; readonly mean: number; readonly std: number } & TrialRung;
}

/** One rung of a successive-halving search. */
export interface HalvingRung {
  readonly rung: number;
  /** Candidates cross-validated in this rung. */
  readonly candidates: number;
  /** Training rows each candidate's cross-validation uses. */
  readonly resource: number;
}
