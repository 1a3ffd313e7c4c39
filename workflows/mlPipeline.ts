import { ApplicationFailure, isCancellation } from '@temporalio/workflow';
import { describeFailure } from '../contract/failures';
import { FAILURE_TYPES } from '../contract/failureTypes';
import { primaryGateMetric } from '../contract/gates';
import { taskOf } from '../contract/modelTask';
import { InvalidParamsError } from '../contract/paramIssues';
import { type PipelineParams, type PipelineParamsInput } from '../contract/params';
import { isSmallData } from '../contract/smallDataRule';
import { type Outcome, type PipelineResult } from '../contract/status';
import { localPipelineSteps, localTrackRun, pipelineSteps, type PipelineSteps } from './steps';
import { registerCandidate } from './candidate';
import { decideDeploy } from './decide';
import { gateIssues } from './gates';
import { counted, runToEnd } from './lifecycle';
import { countDeployDecision } from './metrics';
import { pipelineParamsCheck, pipelineParamsOf } from './params';
import { RunState, trainingRun } from './runState';
import { forestPreparation, trainStep } from './train';
import { waitForData } from './sensor';
import { emailAlert } from './email';
import { describeSearch, HYPERPARAMETER_SEARCH_PATCH, searchHyperparameters } from './tune';
import { trackRun } from './tracking';
import { established } from './patches';

/** The pipeline steps in order; returns how the run ended. */
async function runSteps(state: RunState, params: PipelineParams, steps: PipelineSteps): Promise<Outcome> {
  const { run } = state;
  if (!(await waitForData(state, params.sensor))) return 'skipped';

  const ingested = await state.step(
    'ingest',
    () => {
      const { source, format, compression, delimiter, sheet, target, features, missingValues } = params.dataset;
      // Only the activity's input grows: the command and its order stay as recorded.
      const columns = { target, features, roles: Object.keys(params.preprocessing.roles), exclude: params.preprocessing.exclude };
      return steps.ingest({ run, source, format, compression, delimiter, sheet, columns, ...(missingValues && { missingValues }) });
    },
    (r) => `${r.rows} rows x ${r.columns} columns (${r.format})`,
  );
  state.artifact('ingested', ingested.table.uri);
  state.facts.dataset = { fingerprint: ingested.fingerprint, sourceBytes: ingested.sourceBytes, rows: ingested.rows, columns: ingested.columns, format: ingested.format };
  // Small data: the later steps (the report included) run inside workflow tasks, not as tasks of their own.
  if (isSmallData(ingested, params.smallData) && established(LOCAL_SMALL_STEPS)) {
    const local = localPipelineSteps(params.timeouts);
    Object.assign(steps, local);
    state.runLocally(Object.keys(local) as (keyof typeof local)[]);
    if (established(LOCAL_TRACKING)) steps.trackRun = localTrackRun();
  }

  const validated = await state.step(
    'validate',
    () => steps.validate({ run, table: ingested.table, rules: params.validation }),
    (r) => `${r.expectations} expectations passed${r.quarantined ? `, ${r.quarantined} rows quarantined` : ''}`,
  );
  state.artifact('validation', validated.report.uri);
  if (validated.quarantined) state.facts.quarantined = validated.quarantined;
  // Older histories preprocessed the ingested table whatever validate returned.
  const quarantine = established(VALIDATION_QUARANTINE);
  if (quarantine) state.status.warnings.push(...(validated.warnings ?? []));
  const table = quarantine && validated.table ? validated.table : ingested.table;

  const prepared = await state.step(
    'preprocess',
    () =>
      steps.preprocess({
        run,
        table,
        target: params.dataset.target,
        features: params.dataset.features,
        task: taskOf(params.model.type),
        preprocessing: params.preprocessing,
        split: params.split,
        ...forestPreparation(params.model),
      }),
    (r) => `${r.trainRows} train / ${r.testRows} test rows, ${r.featureCount} features${r.droppedRows > 0 ? `, ${r.droppedRows} without a target left out` : ''}`,
  );
  state.artifact('preprocessed', prepared.transform.uri);
  state.facts.split = { train: prepared.trainRows, test: prepared.testRows, dropped: prepared.droppedRows, features: prepared.featureCount };
  // Results recorded before column roles carry neither; only the status changes, no command.
  if (prepared.columns) state.artifact('columns', prepared.columns.uri);
  state.status.warnings.push(...(prepared.warnings ?? []));
  // Known once the data is read: failing here saves a training whose gate could never be evaluated.
  const gateProblems = gateIssues(params, prepared.classes);
  if (gateProblems.length > 0 && established(BINARY_GATE_CHECK)) {
    const error = new InvalidParamsError(gateProblems);
    throw ApplicationFailure.create({ type: FAILURE_TYPES.InvalidParams, message: error.message, nonRetryable: true, details: [error.issues] });
  }

  // Only runs with `tuning` reach the patch: every other run's commands stay as recorded.
  const tuning = params.tuning && established(HYPERPARAMETER_SEARCH_PATCH) ? params.tuning : undefined;
  const model = tuning
    ? await state.step(
        'tune',
        () => searchHyperparameters(state, steps, { ...params, tuning }, prepared),
        () => describeSearch(state.status.tuning),
      )
    : params.model;
  // The model fitted, and the params deployed with it: the best configuration's when searched.
  const fitted: PipelineParams = model === params.model ? params : { ...params, model };

  const trained = await state.step(
    'train',
    () => trainStep(steps, run, fitted, prepared, (warning) => state.status.warnings.push(warning)),
    (r) => `${params.model.type} fitted in ${r.fitSeconds.toFixed(2)} s`,
  );
  state.artifact('model', trained.model.uri);

  const evaluated = await state.step(
    'evaluate',
    () => steps.evaluate({ run, model: trained.model, test: prepared.test }),
    (r) => Object.entries(r.metrics).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', '),
  );
  state.artifact('evaluation', evaluated.evaluation.uri);
  const metrics = evaluated.metrics as Record<string, number>;
  state.recordMetrics(metrics, metrics[primaryGateMetric(params.deploy)]);
  // Status only, not a command: replay is unaffected.
  if (evaluated.classReport) state.status.classReport = evaluated.classReport;
  if (evaluated.featureImportances) state.status.featureImportances = evaluated.featureImportances;

  const modelName = params.model.name ?? params.pipeline;
  // beatProduction is newer than every recorded history; the patch marks the new command all the same.
  const compared =
    params.deploy.beatProduction && established(BEAT_PRODUCTION)
      ? await state.step(
          'compare',
          () => steps.compareWithProduction({ run, modelName, model: trained.model, table, target: params.dataset.target, task: taskOf(params.model.type), split: params.split }),
          (r) => (r.production ? `production version ${r.productionVersion} scored on the same ${r.rows} held-out rows` : (r.note ?? 'nothing to compare with')),
        )
      : undefined;
  if (compared?.comparison) state.artifact('comparison', compared.comparison.uri);
  if (compared?.production === undefined && compared?.note) state.status.warnings.push(`beatProduction: ${compared.note}`);

  const decision = await decideDeploy(state, params.deploy, metrics, compared);
  state.status.decision = decision;
  countDeployDecision(params.pipeline, decision.action);
  if (decision.action === 'deploy') {
    const deployed = await state.step(
      'deploy',
      () =>
        steps.deploy({
          run,
          modelName,
          version: params.model.version,
          model: trained.model,
          params: fitted,
          datasetFingerprint: ingested.fingerprint,
          metrics: evaluated.metrics,
        }),
      (r) => (r.production === r.version ? `${r.modelName} version ${r.version} in production` : `${r.modelName} version ${r.version} registered; newer version ${r.production} stays in production`),
    );
    state.status.modelVersion = deployed.version;
    state.facts.deployed = { version: deployed.version, uri: deployed.uri, serving: deployed.production === deployed.version };
    state.skip('alert', 'model deployed');
    return 'deployed';
  }
  state.skip('deploy', decision.reason);
  // Runs recorded before candidates registered nothing when the gate said no.
  if (established(REGISTER_CANDIDATES)) {
    const input = { run, modelName, version: params.model.version, model: trained.model, params: fitted, datasetFingerprint: ingested.fingerprint, metrics: evaluated.metrics, reason: decision.reason };
    await registerCandidate(state, steps, input);
  }
  const { webhooks } = params.notifications;
  const details = { ...decision, metrics };
  try {
    await state.step(
      'alert',
      () => steps.alert({ run, reason: decision.reason, details, webhooks }),
      () => `retrain alert raised (${alertDestinations(webhooks.length)}): ${decision.reason}`,
    );
  } catch (error) {
    // Histories of runs whose alert failed before this change go on failing, as they did.
    if (isCancellation(error) || !established(ALERT_FAILURE_IS_WARNING)) throw error;
    // The model is trained and evaluated: an unreachable webhook is reported, as the run summary's is.
    state.status.warnings.push(`retrain alert not delivered: ${describeFailure(error)}`);
  }
  await emailAlert(state, params.notifications.email, steps, { run, reason: decision.reason, details });
  return 'not_deployed';
}

const ALERT_FAILURE_IS_WARNING = 'alert-failure-is-warning';
/** Runs recorded before it read the ingested table after validation, and had no validation warnings. */
const VALIDATION_QUARANTINE = 'validation-quarantine';
const BINARY_GATE_CHECK = 'binary-gate-check';
const BEAT_PRODUCTION = 'beat-production';
const REGISTER_CANDIDATES = 'register-candidates';
/** Runs recorded before it ran every step as an ordinary activity, whatever the data's size. */
const LOCAL_SMALL_STEPS = 'local-small-steps';
/** Runs recorded before it tracked small runs in an ordinary activity, a workflow task round trip of its own. */
const LOCAL_TRACKING = 'local-tracking';

/** The notifier always logs the alert on the worker; webhooks come on top. */
function alertDestinations(webhooks: number): string {
  if (webhooks === 0) return 'worker log';
  return `${webhooks} webhook${webhooks === 1 ? '' : 's'} and the worker log`;
}

/**
 * An ML training pipeline: wait for data, ingest, validate, preprocess, train, evaluate, then
 * deploy when the model is good enough (and approved, when asked for) or raise a retrain alert,
 * and report. Every side effect is an activity; this function only decides what runs next.
 */
export async function mlPipeline(input: PipelineParamsInput): Promise<PipelineResult> {
  // Checked once, here: the Temporal CLI and Schedules start runs with whatever input they were given.
  const check = await pipelineParamsCheck(input);
  return counted(check.ok ? check.params.pipeline : check.pipeline, () => runPipeline(pipelineParamsOf(check)));
}

async function runPipeline(params: PipelineParams): Promise<PipelineResult> {
  const state = new RunState(trainingRun(params));
  // A copy: the steps after ingest may become local ones once the data's size is known.
  const steps = { ...pipelineSteps(params.timeouts) };
  return runToEnd(
    state,
    params,
    steps,
    () => runSteps(state, params, steps),
    () => trackRun(state, params, steps),
  );
}
