/**
 * Whether a retry can help a failure of a type: `false` when the same input fails the same way (the
 * step fails at once), `true` when it is left to the step's retry policy, `'per error'` when only
 * the case can tell (an HTTP 404 is final, a 503 is not), so each error carries its own answer.
 * `benign` failures are expected outcomes, not faults (a sensor's "not there yet"): they are retried
 * like any other but neither logged as warnings nor counted as failures.
 */
export interface FailureSpec {
  readonly retryable: boolean | 'per error';
  readonly benign?: boolean;
}

/**
 * Every failure type a step or a run can end with: the one list. Activities raise these types
 * (our errors declare theirs, see PipelineError), workflows match on them, the worker's metrics and
 * the API's error answers read them. Each key is the type string Temporal shows.
 */
const SPECS = {
  // Raised as failures by the steps and the workflow themselves.
  DataNotReady: { retryable: true, benign: true },
  SensorTimeout: { retryable: false },
  ValidationFailed: { retryable: false },
  MetricMissing: { retryable: false },
  InvalidParams: { retryable: false },
  InvalidInput: { retryable: false },

  // Datasets: bytes that are not what they claim, or more than the limits allow (ml/data).
  DataFormatError: { retryable: false },
  UnsupportedFormatError: { retryable: false },
  FormatMismatchError: { retryable: false },
  ArchiveError: { retryable: false },
  UnsafeArchiveError: { retryable: false },
  InputLimitError: { retryable: false },
  PreprocessError: { retryable: false },
  ColumnNotFoundError: { retryable: false },

  // Models (ml/models).
  TrainingDataError: { retryable: false },
  TaskMismatchError: { retryable: false },
  TooFewClassesError: { retryable: false },
  SingularMatrixError: { retryable: false },
  ModelFormatError: { retryable: false },
  FeatureMismatchError: { retryable: false },

  // Drift (ml/drift): a batch that cannot be compared with its model's training profile.
  DriftInputError: { retryable: false },
  ProfileFormatError: { retryable: false },

  // The artifact store and the model registry (storage/): a missing artifact or a busy lock may be a race.
  ModelArtifactError: { retryable: false },
  InvalidArtifactKeyError: { retryable: false },
  InvalidS3UriError: { retryable: false },
  ModelVersionConflictError: { retryable: false },
  ArtifactNotFoundError: { retryable: true },
  ArtifactLockTimeoutError: { retryable: true },
  PointerContentionError: { retryable: true },

  // Compute threads (activities/compute): a thread that dies without an answer is a crash, retried like one.
  ComputeThreadError: { retryable: true },

  // System errors the same input raises on every attempt (activities/systemErrors.ts).
  UnusableInputError: { retryable: false },

  // Sources, markers and webhooks (activities/adapters).
  PathOutsideDataRootError: { retryable: false },
  SourceNotFoundError: { retryable: false },
  NotARegularFileError: { retryable: false },
  BlockedAddressError: { retryable: false },
  InvalidAllowListEntryError: { retryable: false },
  MarkerTimeUnknownError: { retryable: false },
  // Secret references in params (activities/adapters/secrets.ts): the worker holds no such secret, or not a usable one.
  SecretNotFoundError: { retryable: false },
  InvalidSecretError: { retryable: false },
  HttpSourceError: { retryable: 'per error' },
  S3SourceError: { retryable: 'per error' },
  WebhookDeliveryError: { retryable: 'per error' },
  // A 5xx answer or refused credentials are final; a refused connection or a 4xx answer is not.
  EmailDeliveryError: { retryable: 'per error' },
  // MLflow's REST API (mlflow/client.ts): unreachable or 5xx is worth retrying, a refused request is not.
  MlflowError: { retryable: 'per error' },
} as const satisfies Record<string, FailureSpec>;

type Specs = typeof SPECS;
export type FailureType = keyof Specs;
/** The types whose retryability each error decides. */
export type PerErrorFailureType = { [K in FailureType]: Specs[K]['retryable'] extends 'per error' ? K : never }[FailureType];
/** The types whose retryability the taxonomy decides. */
export type FixedFailureType = Exclude<FailureType, PerErrorFailureType>;

export const FAILURE_SPECS: Readonly<Record<FailureType, FailureSpec>> = SPECS;

/** The type strings, to be spelled as `FAILURE_TYPES.SensorTimeout` and nowhere else. */
export const FAILURE_TYPES = Object.fromEntries(Object.keys(SPECS).map((type) => [type, type])) as { readonly [K in FailureType]: K };
