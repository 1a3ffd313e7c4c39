import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cancellationSignal } from '@temporalio/activity';
import { FAILURE_TYPES, runKey } from '../contract';
import { PREDICTION_FILE_TYPES } from '../ml/data/output';
import { ArtifactNotFoundError } from '../storage/artifactStore';
import { ModelRegistry } from '../storage/modelRegistry';
import { movable } from './compute/protocol';
import { checksBatchInline } from './compute/inline';
import { runCompute } from './compute/runCompute';
import { runInThread } from './compute/runInThread';
import { type ActivityDeps } from './deps';
import { runStep, stepFailure } from './failures';
import { StepReporter } from './progress';
import {
  type CheckBatchInput,
  type CheckBatchResult,
  type EvaluateBatchInput,
  type EvaluateBatchResult,
  type PredictInput,
  type PredictResult,
} from './inferenceTypes';

/** Rows scored at a time: 64 Ki rows of 100 features is a 50 MB feature matrix. */
const CHUNK_ROWS = 65_536;

export function createInferenceActivities(deps: ActivityDeps) {
  const registry = new ModelRegistry(deps.store);

  /** The version a run names, or production's; a model or version the registry lacks is bad params, not a retry. */
  async function resolveModel(name: string, pinned?: string): Promise<{ version: string; bytes: Buffer }> {
    const version = pinned ?? (await registry.production(name))?.version;
    if (version === undefined) {
      const known = (await registry.versions(name)).length > 0;
      throw stepFailure(FAILURE_TYPES.InvalidParams, `model.name: ${known ? `model ${name} has no production version; pin model.version` : `no model named ${name} in the registry`}`);
    }
    try {
      return { version, bytes: await registry.getModel(name, version) };
    } catch (error) {
      if (!(error instanceof ArtifactNotFoundError)) throw error;
      throw stepFailure(FAILURE_TYPES.InvalidParams, `model.version: model ${name} has no version ${version}`);
    }
  }

  /**
   * The inference half of validation: the batch has rows, its pass-through columns, and (unless
   * turned off) the model's features with readable types and a label the model's task can compare.
   * Every problem is named; any fails the run without retry. Also pins the model version.
   */
  async function checkBatch(input: CheckBatchInput): Promise<CheckBatchResult> {
    return runStep(async () => {
      const { version, bytes } = await resolveModel(input.model.name, input.model.version);
      const table = movable(await deps.store.get(input.table.key));
      const model = movable(bytes);
      const { passThrough, checkFeatures, label } = input;
      const checked = await runCompute('checkBatch', { model, table, passThrough, checkFeatures, label }, { inline: checksBatchInline(model.byteLength, table.byteLength), transfer: [table.buffer, model.buffer], signal: cancellationSignal() });
      const { problems } = checked;
      const check = { model: input.model.name, version, rows: checked.rows, passed: problems.length === 0, problems };
      const report = await deps.store.put(runKey(input.run, 'validation', 'model-check.json'), JSON.stringify(check, null, 2), 'application/json');
      if (problems.length > 0) {
        throw stepFailure(FAILURE_TYPES.ValidationFailed, `batch does not fit model ${input.model.name} version ${version}: ${problems.join('; ')}`, {
          details: [{ report: report.uri, failures: problems, failed: [] }],
        });
      }
      return { modelName: input.model.name, version, modelType: checked.modelType, task: checked.task, classes: checked.classes, features: checked.features, rows: checked.rows };
    });
  }

  /**
   * Scores the batch in a compute thread, which writes the predictions file chunk by chunk into a
   * scratch folder; the file is then stored whole (temp file + rename locally, one multipart
   * upload on S3), so the predictions artifact is complete or absent, never partial.
   */
  async function predict(input: PredictInput): Promise<PredictResult> {
    return runStep(async () => {
      const reporter = new StepReporter('predict', deps.clock, deps.progressIntervalMs);
      const { bytes } = await resolveModel(input.modelName, input.version);
      const table = movable(await deps.store.get(input.table.key));
      const scratch = await mkdtemp(join(tmpdir(), 'mlp-predict-'));
      try {
        const { file, contentType } = PREDICTION_FILE_TYPES[input.format];
        const path = join(scratch, file);
        const scored = await runInThread(
          'predict',
          { model: bytes, table, passThrough: input.passThrough, format: input.format, path, chunkRows: CHUNK_ROWS, rowWarnings: input.rowWarnings === true },
          { transfer: [table.buffer], signal: cancellationSignal(), onProgress: (progress) => reporter.report(progress) },
        );
        const predictions = await deps.store.putStream(runKey(input.run, 'predictions', file), createReadStream(path), contentType);
        const raw = await deps.store.put(runKey(input.run, 'predictions', 'raw.bin'), scored.predicted, 'application/octet-stream');
        return { predictions, raw, rows: scored.rows, format: input.format, classes: scored.classes, issues: scored.issues };
      } finally {
        await rm(scratch, { recursive: true, force: true });
      }
    });
  }

  /** The model's metrics on a labelled batch, from the stored raw predictions, in a compute thread. */
  async function evaluateBatch(input: EvaluateBatchInput): Promise<EvaluateBatchResult> {
    return runStep(async () => {
      const reporter = new StepReporter('evaluate', deps.clock, deps.progressIntervalMs);
      const [table, raw] = await Promise.all([deps.store.get(input.table.key), deps.store.get(input.raw.key)]);
      const tableBytes = movable(table);
      const rawBytes = movable(raw);
      const { evaluation, metrics } = await runInThread(
        'evaluateBatch',
        { table: tableBytes, label: input.label, task: input.task, classes: input.classes, predicted: rawBytes },
        { transfer: [tableBytes.buffer, rawBytes.buffer], signal: cancellationSignal(), onProgress: (progress) => reporter.report(progress) },
      );
      const ref = await deps.store.put(runKey(input.run, 'evaluation', 'metrics.json'), evaluation, 'application/json');
      return { evaluation: ref, metrics };
    });
  }

  return { checkBatch, predict, evaluateBatch };
}
