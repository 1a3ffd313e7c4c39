import { flatten, type MlflowLink, type Outcome, type TrackingRecord } from '../../contract';
import { ALREADY_EXISTS, DOES_NOT_EXIST, MlflowError, OUR_VERSION_TAG, PRODUCTION_ALIAS, type MlflowClient } from '../../mlflow';

/** Where our side of the run is, for MLflow's tags. */
export interface MlflowRefs {
  /** The run's artifact folder in our store. */
  readonly artifactLocation: string;
  /** The run's tracking record in our store. */
  readonly recordUri: string;
}

interface KeyValue {
  readonly key: string;
  readonly value: string;
}
interface Metric {
  readonly key: string;
  readonly value: number;
  readonly timestamp: number;
  readonly step: number;
}
interface MlflowRun {
  readonly info: { readonly run_id: string };
  readonly data?: { readonly params?: KeyValue[]; readonly metrics?: { key: string }[] };
}

/** The tags that tie an MLflow run to its Temporal run. */
export const MLFLOW_TAGS = { workflowId: 'temporal.workflow_id', runId: 'temporal.run_id' } as const;

// MLflow's limits: key characters and length, param value length, entries per log-batch request.
const KEY_CHARS = /[^\w\-. :/]/g;
const MAX_KEY = 250;
const MAX_PARAM_VALUE = 6000;
const BATCH = { params: 100, metrics: 1000, tags: 100 } as const;

const mlflowKey = (key: string): string => key.replace(KEY_CHARS, '_').slice(0, MAX_KEY);

const text = (value: unknown): string => {
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  return s.length > MAX_PARAM_VALUE ? `${s.slice(0, MAX_PARAM_VALUE - 1)}…` : s;
};

const STATUS: Record<Outcome, string> = { deployed: 'FINISHED', not_deployed: 'FINISHED', scored: 'FINISHED', skipped: 'FINISHED', failed: 'FAILED', cancelled: 'KILLED' };

/** MLflow's flat params: the run's params by dotted path, and what the run learnt of its data. */
export function mlflowParams(record: TrackingRecord, refs: MlflowRefs): KeyValue[] {
  const { dataset } = record;
  const facts: Record<string, unknown> = {
    'data.fingerprint': dataset.fingerprint,
    'data.format': dataset.format,
    'data.rows_ingested': dataset.rows.ingested,
    'data.rows_quarantined': dataset.rows.quarantined,
    'data.rows_train': dataset.rows.train,
    'data.rows_test': dataset.rows.test,
    'data.features': dataset.features,
    artifact_location: refs.artifactLocation,
  };
  const all = { ...flatten(record.params), ...facts };
  const byKey = new Map<string, string>();
  for (const [key, value] of Object.entries(all)) if (value !== undefined) byKey.set(mlflowKey(key), text(value));
  return [...byKey].map(([key, value]) => ({ key, value }));
}

/** The held-out metrics, and the run's and each step's wall time. */
export function mlflowMetrics(record: TrackingRecord): Metric[] {
  const timestamp = Date.parse(record.endedAt);
  const metric = (key: string, value: number): Metric => ({ key: mlflowKey(key), value, timestamp, step: 0 });
  return [
    ...Object.entries(record.metrics).filter(([, v]) => Number.isFinite(v)).map(([k, v]) => metric(k, v)),
    metric('run_seconds', record.durationSeconds),
    ...Object.entries(record.steps).flatMap(([name, s]) => (s.seconds === undefined ? [] : [metric(`step_seconds.${name}`, s.seconds)])),
  ];
}

export function mlflowTags(record: TrackingRecord, refs: MlflowRefs): KeyValue[] {
  const tags: Record<string, string | undefined> = {
    [MLFLOW_TAGS.workflowId]: record.workflowId,
    [MLFLOW_TAGS.runId]: record.runId,
    'mlp.pipeline': record.pipeline,
    'mlp.model_type': record.modelType,
    'mlp.outcome': record.outcome,
    'mlp.decision': record.decision && `${record.decision.action}: ${record.decision.reason}`,
    'mlp.model_version': record.model?.version,
    'mlp.artifact_location': refs.artifactLocation,
    'mlp.tracking_record': refs.recordUri,
    'mlflow.source.name': 'mlPipeline',
  };
  return Object.entries(tags).flatMap(([key, value]) => (value === undefined ? [] : [{ key, value: value.slice(0, 5000) }]));
}

const chunks = <T>(items: readonly T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** The experiment named after the pipeline, created when missing (a concurrent creation is fine). */
async function experimentId(client: MlflowClient, name: string): Promise<string> {
  for (let tries = 0; ; tries++) {
    try {
      return (await client.get<{ experiment: { experiment_id: string } }>('experiments/get-by-name', { experiment_name: name })).experiment.experiment_id;
    } catch (error) {
      if (!(error instanceof MlflowError) || error.errorCode !== DOES_NOT_EXIST) throw error;
    }
    try {
      return (await client.post<{ experiment_id: string }>('experiments/create', { name })).experiment_id;
    } catch (error) {
      // Another run created it between our two calls: read it again, once.
      if (!(error instanceof MlflowError) || error.errorCode !== ALREADY_EXISTS || tries > 0) throw error;
    }
  }
}

/** This Temporal run's MLflow run, when an earlier attempt of the activity created it. */
async function existingRun(client: MlflowClient, experiment: string, runId: string): Promise<MlflowRun | undefined> {
  const found = await client.post<{ runs?: MlflowRun[] }>('runs/search', {
    experiment_ids: [experiment],
    filter: `tags.\`${MLFLOW_TAGS.runId}\` = '${runId}'`,
    max_results: 1,
  });
  return found.runs?.[0];
}

/** The registered model's version for this MLflow run (created once), aliased `production` while ours serves it. */
async function registerVersion(client: MlflowClient, record: TrackingRecord, mlflowRunId: string): Promise<string> {
  const model = record.model!;
  const name = record.modelName;
  try {
    await client.post('registered-models/create', { name, description: `Registered by mlPipeline ${record.pipeline}` });
  } catch (error) {
    if (!(error instanceof MlflowError) || error.errorCode !== ALREADY_EXISTS) throw error;
  }
  const found = await client.get<{ model_versions?: { version: string }[] }>('model-versions/search', { filter: `name='${name}' and run_id='${mlflowRunId}'` });
  let version = found.model_versions?.[0]?.version;
  if (version === undefined) {
    // MLflow refuses a local path outside its own run's artifact folder as a source: a local store's
    // model is then named through the run (runs:/), its real location kept in a tag.
    const source = model.uri.startsWith('file:') ? `runs:/${mlflowRunId}/model` : model.uri;
    const tags = [
      { key: OUR_VERSION_TAG, value: model.version },
      { key: 'mlp.model_uri', value: model.uri },
      { key: MLFLOW_TAGS.workflowId, value: record.workflowId },
      { key: MLFLOW_TAGS.runId, value: record.runId },
    ];
    version = (await client.post<{ model_version: { version: string } }>('model-versions/create', { name, source, run_id: mlflowRunId, tags })).model_version.version;
  }
  if (model.serving) await client.post('registered-models/alias', { name, alias: PRODUCTION_ALIAS, version });
  return version;
}

/**
 * Logs a concluded run to MLflow: the pipeline's experiment, one run with params, metrics and
 * tags (Temporal ids, where our artifacts are), and for a deployed model a registered version.
 * Idempotent: a retried activity finds its run by the Temporal run id and adds only what is missing.
 */
export async function logRunToMlflow(client: MlflowClient, record: TrackingRecord, refs: MlflowRefs): Promise<MlflowLink> {
  const experiment = await experimentId(client, record.pipeline);
  const tags = mlflowTags(record, refs);
  const existing = await existingRun(client, experiment, record.runId);
  const runId =
    existing?.info.run_id ??
    (
      await client.post<{ run: MlflowRun }>('runs/create', {
        experiment_id: experiment,
        run_name: `${record.workflowId}/${record.runId.slice(0, 8)}`,
        start_time: Date.parse(record.startedAt),
        tags: tags.filter((t) => t.key === MLFLOW_TAGS.runId),
      })
    ).run.info.run_id;
  const loggedParams = new Set(existing?.data?.params?.map((p) => p.key));
  const loggedMetrics = new Set(existing?.data?.metrics?.map((m) => m.key));
  const params = mlflowParams(record, refs).filter((p) => !loggedParams.has(p.key));
  const metrics = mlflowMetrics(record).filter((m) => !loggedMetrics.has(m.key));
  const paramChunks = chunks(params, BATCH.params);
  const batches = Math.max(paramChunks.length, 1);
  for (let i = 0; i < batches; i++) {
    await client.post('runs/log-batch', {
      run_id: runId,
      params: paramChunks[i] ?? [],
      metrics: i === 0 ? metrics.slice(0, BATCH.metrics) : [],
      tags: i === 0 ? tags.slice(0, BATCH.tags) : [],
    });
  }
  await client.post('runs/update', { run_id: runId, status: STATUS[record.outcome], end_time: Date.parse(record.endedAt) });
  const modelVersion = record.model ? await registerVersion(client, record, runId) : undefined;
  return { experimentId: experiment, runId, ...(modelVersion !== undefined && { modelVersion }) };
}
