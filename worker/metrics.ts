import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { activeComputeThreads } from '../activities';

/** Steps last from milliseconds (a registry write) to hours (training, a long sensor wait). */
const STEP_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400];

/**
 * A worker process's own Prometheus metrics (prefix `mlp_`, like the API's `mlp_api_`): what the
 * activities did, seen from the worker that ran them. Run-level counts (runs started and finished,
 * deploy decisions) are counted by the workflow itself, see workflows/metrics.ts.
 */
export class WorkerMetrics {
  readonly registry = new Registry();

  /** One sample per activity attempt: a retried step shows each attempt with its outcome. */
  readonly stepDuration = new Histogram({
    name: 'mlp_step_duration_seconds',
    help: 'Duration of one attempt of a pipeline step (activity), by step and outcome (completed, failed, cancelled, or benign: an expected failure such as a sensor check that found no data yet).',
    labelNames: ['step', 'outcome'] as const,
    buckets: STEP_BUCKETS,
    registers: [this.registry],
  });

  readonly rowsIngested = new Counter({
    name: 'mlp_rows_ingested_total',
    help: 'Rows read by successful ingest steps, by pipeline.',
    labelNames: ['pipeline'] as const,
    registers: [this.registry],
  });

  readonly bytesIngested = new Counter({
    name: 'mlp_ingested_bytes_total',
    help: 'Source bytes read by successful ingest steps, by pipeline.',
    labelNames: ['pipeline'] as const,
    registers: [this.registry],
  });

  readonly validationFailures = new Counter({
    name: 'mlp_validation_failures_total',
    help: 'Failed expectations of the validation gate, by pipeline and expectation (notNull, range, ...).',
    labelNames: ['pipeline', 'expectation'] as const,
    registers: [this.registry],
  });

  readonly modelMetric = new Gauge({
    name: 'mlp_model_metric',
    help: 'The latest evaluation metric this worker computed, by pipeline and metric (accuracy, f1_macro, r2, rmse, ...).',
    labelNames: ['pipeline', 'metric'] as const,
    registers: [this.registry],
  });

  /** With several compute workers each holds its own latest value: this tells which one is newest. */
  readonly modelEvaluatedAt = new Gauge({
    name: 'mlp_model_evaluated_timestamp_seconds',
    help: 'Unix time of the latest evaluation this worker computed, by pipeline.',
    labelNames: ['pipeline'] as const,
    registers: [this.registry],
  });

  /** The latest PSI per model and feature this worker computed (the drift step's worst features, and `(predictions)`). */
  readonly driftScore = new Gauge({
    name: 'mlp_drift_psi',
    help: 'Population stability index of a feature (or "(predictions)") of the latest batch a model scored, against its training profile, by model and feature.',
    labelNames: ['model', 'feature'] as const,
    registers: [this.registry],
  });

  readonly retrainsStarted = new Counter({
    name: 'mlp_drift_retrains_started_total',
    help: 'Retraining runs started because of drift (cool-down claims granted), by model.',
    labelNames: ['model'] as const,
    registers: [this.registry],
  });

  readonly computeThreads = new Gauge({
    name: 'mlp_compute_threads_active',
    help: 'Compute threads (preprocess, train, evaluate) alive in this worker process; back to 0 when their attempts end or are cancelled.',
    registers: [this.registry],
    collect() {
      this.set(activeComputeThreads());
    },
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'mlp_worker_' });
  }
}
