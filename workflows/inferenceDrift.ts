import { isCancellation } from '@temporalio/workflow';
import { describeFailure } from '../contract/failures';
import { type DriftSummary, type InferenceParams, type RetrainOutcome } from '../contract';
import type { ArtifactRef, PredictResult } from '../activities';
import { emailAlert } from './email';
import { type InferenceSteps } from './inferenceSteps';
import { decideRetrain, retrainTrigger, startRetrain, type RetrainDecision } from './retrain';
import { type RunState } from './runState';

/** What the drift step needs from the steps before it. */
export interface ScoredBatch {
  readonly table: ArtifactRef;
  readonly modelName: string;
  readonly version: string;
  readonly predicted: PredictResult;
  /** The evaluate step's metrics, when the batch carried labels. */
  readonly metrics?: Record<string, number>;
}

function describeDrift(d: DriftSummary): string {
  const worst = d.worst.slice(0, 3).map((s) => `${s.feature} ${s.psi.toFixed(3)}`).join(', ');
  const metric = d.metric ? `; ${d.metric.name} ${d.metric.value.toFixed(4)} (threshold ${d.metric.threshold})` : '';
  return `verdict ${d.verdict} over ${d.rows} rows${worst ? `; worst PSI ${worst}` : ''}${metric}${d.warnings.length > 0 ? `; ${d.warnings.join('; ')}` : ''}`;
}

/**
 * The drift step and what follows from it: compare the batch with the model version's training
 * profile; on drift (or a labelled metric under its floor) raise an alert to the run's webhooks,
 * email and the worker log, and, when the params ask for it, start a retraining run on the
 * batch's source. Alerts and the retraining start are best effort: a failure is a warning, the
 * predictions stay the run's result.
 */
export async function checkDrift(state: RunState, params: InferenceParams, steps: InferenceSteps, batch: ScoredBatch): Promise<void> {
  const { run } = state;
  const spec = params.drift;
  if (!spec.enabled) {
    state.skip('drift', 'drift checks are off for this run');
    state.skip('alert', 'drift checks are off for this run');
    return;
  }
  const { predicted } = batch;
  const drift = await state.step(
    'drift',
    () =>
      steps.drift({
        run,
        modelName: batch.modelName,
        version: batch.version,
        table: batch.table,
        predictions: { raw: predicted.raw, classes: predicted.classes },
        labelledMetrics: batch.metrics,
        spec,
      }),
    describeDrift,
  );
  state.status.drift = drift;
  if (drift.reportUri) state.artifact('drift', drift.reportUri);
  state.status.warnings.push(...drift.warnings);

  const decision = await retrainDecision(state, params, steps, drift);
  if (!decision.alert) {
    state.skip('alert', decision.reason);
    return;
  }
  await alert(state, params, steps, drift, decision);
  if (decision.retrain) state.status.retrain = await retrain(state, params, decision);
  else state.status.retrain = { started: false, reason: decision.reason };
}

/** Reads the deployed version's training params only when drift calls for a retraining that the params allow. */
async function retrainDecision(state: RunState, params: InferenceParams, steps: InferenceSteps, drift: DriftSummary): Promise<RetrainDecision> {
  const spec = params.drift;
  const why = retrainTrigger(drift, spec);
  if (why === undefined) return { retrain: false, alert: false, reason: `no drift alert: verdict ${drift.verdict}` };
  if (!spec.retrain.enabled) return { retrain: false, alert: true, reason: `${why}; retraining is not enabled` };
  const { params: stored } = await steps.trainingParams({ modelName: drift.modelName, version: drift.version });
  // Loaded only here, when a drifted batch may retrain: every new run evaluates the modules it loads.
  const { PipelineParamsSchema } = await import(/* webpackMode: "eager" */ '../contract/params.js');
  const lineage = PipelineParamsSchema.safeParse(stored);
  if (!lineage.success) {
    return { retrain: false, alert: true, reason: `${why}; not retrained: the training params of ${drift.modelName} version ${drift.version} no longer parse (${lineage.error.issues[0]?.message ?? 'invalid'})` };
  }
  const { source, format, compression, delimiter, sheet } = params.dataset;
  return decideRetrain(drift, spec, lineage.data, { source, format, compression, delimiter, sheet });
}

async function alert(state: RunState, params: InferenceParams, steps: InferenceSteps, drift: DriftSummary, decision: RetrainDecision): Promise<void> {
  const { run } = state;
  const kind = decision.retrain ? 'retrain_alert' : 'drift_alert';
  const details = { drift: { verdict: drift.verdict, worst: drift.worst, metric: drift.metric, report: drift.reportUri }, modelName: drift.modelName, version: drift.version };
  const { webhooks, email } = params.notifications;
  try {
    await state.step(
      'alert',
      () => steps.alert({ run, kind, reason: decision.reason, details, webhooks }),
      () => `${kind === 'drift_alert' ? 'drift' : 'retrain'} alert raised: ${decision.reason}`,
    );
  } catch (error) {
    if (isCancellation(error)) throw error;
    state.status.warnings.push(`${kind === 'drift_alert' ? 'drift' : 'retrain'} alert not delivered: ${describeFailure(error)}`);
  }
  await emailAlert(state, email, steps, { run, kind, reason: decision.reason, details });
}

async function retrain(state: RunState, params: InferenceParams, decision: Extract<RetrainDecision, { retrain: true }>): Promise<RetrainOutcome> {
  try {
    const started = await startRetrain(decision, params.drift, state.status.drift?.modelName ?? params.model.name, state.run);
    if (!started.started) state.status.warnings.push(`no retraining: ${started.reason}`);
    return started.started ? { ...started, reason: decision.reason } : started;
  } catch (error) {
    if (isCancellation(error)) throw error;
    const reason = `retraining not started: ${describeFailure(error)}`;
    state.status.warnings.push(reason);
    return { started: false, reason };
  }
}
