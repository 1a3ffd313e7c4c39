import { z } from 'zod';
import { LABEL_CLASSIFICATION_METRICS, REGRESSION_METRICS, type MetricName } from './params';

/**
 * How a batch is compared with the training data of the model that scores it: population
 * stability index (PSI) thresholds, an optional metric floor for labelled batches, and whether a
 * crossing starts a retraining run. Meant to sit in the inference params as `drift`.
 */
export const DriftSpec = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Compare each batch with the training profile of the model version that scored it.'),
    warnPsi: z.number().positive().default(0.1).describe('A feature whose PSI reaches this is reported as a warning.'),
    driftPsi: z.number().positive().default(0.25).describe('A feature (or the predictions) whose PSI reaches this is drift.'),
    predictions: z.boolean().default(true).describe('Also compare the distribution of the predictions with the training target.'),
    metric: z
      .strictObject({
        // A batch is scored from its predicted labels, without the probabilities roc_auc and average_precision rank.
        name: z.enum([...LABEL_CLASSIFICATION_METRICS, ...REGRESSION_METRICS]).describe('The metric computed on a labelled batch.'),
        threshold: z.number().describe('Drift when the metric falls below it (rises above it for errors such as rmse).'),
      })
      .optional()
      .describe('For batches that carry the label column: a metric that must hold.'),
    minRows: z
      .number()
      .int()
      .min(1)
      .default(100)
      .describe('Fewest batch rows to judge drift on: a smaller batch is scored and reported, its verdict stays ok with a warning.'),
    worstFeatures: z.number().int().min(1).max(100).default(5).describe('How many of the worst features the result names.'),
    retrain: z
      .strictObject({
        enabled: z.boolean().default(false).describe('Start the training pipeline on the batch source when drift is found.'),
        cooldownSeconds: z.number().int().min(0).max(366 * 86_400).default(86_400).describe('Least time between two retraining runs of one model.'),
        onWarn: z.boolean().default(false).describe('Retrain on a warning too, not only on drift.'),
      })
      .prefault({})
      .describe('The retraining loop: one run per model at a time, at most one per cool-down.'),
  })
  .refine((s) => s.warnPsi <= s.driftPsi, { path: ['warnPsi'], message: 'warnPsi must not exceed driftPsi' });

export type DriftSpec = z.output<typeof DriftSpec>;
export type DriftSpecInput = z.input<typeof DriftSpec>;

export const DRIFT_VERDICTS = ['ok', 'warn', 'drift'] as const;
export type DriftVerdict = (typeof DRIFT_VERDICTS)[number];

/** One compared distribution: a feature, or `predictions`. */
export interface DriftScore {
  readonly feature: string;
  readonly psi: number;
  readonly verdict: DriftVerdict;
}

/** The labelled batch's metric against the spec's threshold. */
export interface MetricCheck {
  readonly name: MetricName;
  readonly value: number;
  readonly threshold: number;
  readonly passed: boolean;
  /** The same metric on the held-out split at training, when the profile has it. */
  readonly training?: number;
}

/** What the drift step returns to the workflow (small): the artifact holds every score. */
export interface DriftSummary {
  readonly verdict: DriftVerdict;
  readonly modelName: string;
  readonly version: string;
  /** The batch rows compared. */
  readonly rows: number;
  /** The worst-scoring features (and predictions), worst first, at most `worstFeatures`. */
  readonly worst: DriftScore[];
  readonly predictions?: DriftScore;
  readonly metric?: MetricCheck;
  /** URI of the JSON drift report: every feature's score, worst first. */
  readonly reportUri?: string;
  /** E.g. "no profile": the model version was deployed before profiles were stored. */
  readonly warnings: string[];
}

/** The verdict of one PSI under the spec's thresholds. */
export function verdictOf(psi: number, spec: Pick<DriftSpec, 'warnPsi' | 'driftPsi'>): DriftVerdict {
  if (psi >= spec.driftPsi) return 'drift';
  return psi >= spec.warnPsi ? 'warn' : 'ok';
}

const RANK: Record<DriftVerdict, number> = { ok: 0, warn: 1, drift: 2 };

/** The worse of verdicts (`ok` for none). */
export function worstVerdict(verdicts: readonly DriftVerdict[]): DriftVerdict {
  return verdicts.reduce<DriftVerdict>((worst, v) => (RANK[v] > RANK[worst] ? v : worst), 'ok');
}
