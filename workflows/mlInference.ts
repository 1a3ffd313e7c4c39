import { inferenceRunMetadata, modelLabel } from '../contract/runMetadata';
import { INFERENCE_STEP_NAMES } from '../contract/status';
import { type InferenceParams, type InferenceParamsInput, type Outcome, type PipelineResult } from '../contract';
import { checkDrift } from './inferenceDrift';
import { inferenceSteps, type InferenceSteps } from './inferenceSteps';
import { counted, runToEnd } from './lifecycle';
import { inferenceParamsCheck, inferenceParamsOf } from './params';
import { describeIssues } from './predictionIssues';
import { RunState, type RunDescription } from './runState';
import { waitForData } from './sensor';

function inferenceRun(params: InferenceParams): RunDescription {
  // The model type is the registry's to tell: validation reads it and the status shows it from then on.
  return { pipeline: params.pipeline, modelType: modelLabel(params.model), kind: 'inference', stepNames: INFERENCE_STEP_NAMES, metadata: inferenceRunMetadata(params) };
}

/** The steps in order; returns how the run ended. */
async function runSteps(state: RunState, params: InferenceParams, steps: InferenceSteps): Promise<Outcome> {
  const { run } = state;
  if (!(await waitForData(state, params.sensor))) return 'skipped';

  const { source, format, compression, delimiter, sheet, label, missingValues } = params.dataset;
  const ingested = await state.step(
    'ingest',
    // Only the activity's input grows with missingValues: the command stays as recorded.
    () => steps.ingest({ run, source, format, compression, delimiter, sheet, ...(missingValues && { missingValues }) }),
    (r) => `${r.rows} rows x ${r.columns} columns (${r.format})`,
  );
  state.artifact('ingested', ingested.table.uri);

  const { checkModelFeatures, ...rules } = params.validation;
  const checked = await state.step(
    'validate',
    async () => {
      const validated = await steps.validate({ run, table: ingested.table, rules });
      state.artifact('validation', validated.report.uri);
      const fit = await steps.checkBatch({ run, table: ingested.table, model: params.model, label, passThrough: params.passThrough, checkFeatures: checkModelFeatures });
      return { expectations: validated.expectations, ...fit };
    },
    (r) => `${r.expectations} expectations passed; fits ${r.modelName} version ${r.version}${checkModelFeatures ? ` (${r.features.length} features)` : ''}`,
  );
  state.status.modelVersion = checked.version;
  state.status.modelType = checked.modelType;

  const predicted = await state.step(
    'predict',
    () =>
      steps.predict({
        run,
        table: ingested.table,
        modelName: checked.modelName,
        version: checked.version,
        passThrough: params.passThrough,
        format: params.output.format,
        rowWarnings: params.output.rowWarnings,
      }),
    (r) => `${r.rows} rows scored (${r.format})${r.issues && r.issues.rows > 0 ? `, ${r.issues.rows} with missing features or unseen categories` : ''}`,
  );
  // Status only, not a command.
  const issues = predicted.issues && describeIssues(predicted.issues);
  if (issues) state.status.warnings.push(issues);
  state.artifact('predictions', predicted.predictions.uri);

  let metrics: Record<string, number> | undefined;
  if (label === undefined) state.skip('evaluate', 'the batch has no label column');
  else {
    const evaluated = await state.step(
      'evaluate',
      () => steps.evaluate({ run, table: ingested.table, raw: predicted.raw, label, task: checked.task, classes: checked.classes }),
      (r) => Object.entries(r.metrics).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', '),
    );
    state.artifact('evaluation', evaluated.evaluation.uri);
    metrics = evaluated.metrics;
    state.recordMetrics(metrics, checked.task === 'classification' ? metrics.accuracy : metrics.r2);
  }

  await checkDrift(state, params, steps, { table: ingested.table, modelName: checked.modelName, version: checked.version, predicted, metrics });
  return 'scored';
}

/**
 * Batch inference: wait for data, ingest the batch, validate it (the run's rules and the model's
 * features), score it with a registered model version, evaluate when it carries labels, compare
 * it with the version's training profile (alert, and retrain when asked, on drift), report.
 * Every side effect is an activity; this function only decides what runs next.
 */
export async function mlInference(input: InferenceParamsInput): Promise<PipelineResult> {
  // Checked here too: the Temporal CLI and Schedules start runs with whatever input they were given.
  const check = await inferenceParamsCheck(input);
  return counted(check.ok ? check.params.pipeline : check.pipeline, () => runInference(inferenceParamsOf(check)));
}

async function runInference(params: InferenceParams): Promise<PipelineResult> {
  const state = new RunState(inferenceRun(params));
  const steps = inferenceSteps(params.timeouts);
  return runToEnd(state, params, steps, () => runSteps(state, params, steps));
}
