import { cancellationSignal } from '@temporalio/activity';
import { metricPasses, runKey } from '../contract';
import { verdictOf, worstVerdict, type DriftScore, type DriftSpec, type MetricCheck } from '../contract/drift';
import { decodeProfile } from '../ml/drift/profileCodec';
import { type TrainingProfile } from '../ml/drift/profile';
import { ModelRegistry } from '../storage/modelRegistry';
import { movable } from './compute/protocol';
import { runInThread } from './compute/runInThread';
import { type ActivityDeps } from './deps';
import { runStep } from './failures';
import { type DriftInput, type DriftResult } from './types';

/** The name the predictions' score carries among the features. */
export const PREDICTIONS_FEATURE = '(predictions)';

function metricCheck(input: DriftInput, profile: TrainingProfile, warnings: string[]): MetricCheck | undefined {
  const wanted = input.spec.metric;
  if (wanted === undefined || input.labelledMetrics === undefined) return undefined;
  const value = input.labelledMetrics[wanted.name];
  if (value === undefined) {
    warnings.push(`the labelled batch has no ${wanted.name}: the metric threshold was not checked`);
    return undefined;
  }
  return { name: wanted.name, value, threshold: wanted.threshold, passed: metricPasses(wanted.name, value, wanted.threshold), training: profile.metrics?.[wanted.name] };
}

const worstFirst = (a: DriftScore, b: DriftScore): number => b.psi - a.psi || a.feature.localeCompare(b.feature);

export function createDriftActivities(deps: ActivityDeps) {
  const registry = new ModelRegistry(deps.store);

  async function predictionsInput(input: DriftInput) {
    const p = input.predictions;
    if (p === undefined || !input.spec.predictions) return { predictions: undefined, transfer: [] };
    if ('classCounts' in p) return { predictions: p, transfer: [] };
    const raw = movable(await deps.store.get(p.raw.key));
    return { predictions: { raw, classes: p.classes }, transfer: [raw.buffer] };
  }

  /**
   * Compares a scored batch with the training profile of the model version that scored it (PSI
   * per feature and of the predictions, in a compute thread; the labelled metric against its
   * threshold), writes the JSON drift report (every score, worst first) and returns its summary.
   * Progress is not signalled: `drift` is not a step of mlPipeline's status (the activity still heartbeats).
   * A version deployed before profiles were stored gives an `ok` verdict with a "no profile" warning.
   */
  async function drift(input: DriftInput): Promise<DriftResult> {
    return runStep(async () => {
      const spec: DriftSpec = input.spec;
      const base = { modelName: input.modelName, version: input.version };
      const stored = await registry.getProfile(input.modelName, input.version);
      if (stored === undefined) {
        return { ...base, verdict: 'ok', rows: 0, worst: [], warnings: [`no profile: model ${input.modelName} version ${input.version} was deployed without a training profile, drift not checked`] };
      }
      const profile = decodeProfile(stored);
      const table = movable(await deps.store.get(input.table.key));
      const { predictions, transfer } = await predictionsInput(input);
      const scored = await runInThread('drift', { table, profile, predictions }, { transfer: [table.buffer, ...transfer], signal: cancellationSignal() });

      const warnings: string[] = [];
      const features = scored.features.map(({ feature, psi }) => ({ feature, psi, verdict: verdictOf(psi, spec) })).sort(worstFirst);
      const predictionsScore = scored.predictionsPsi === undefined ? undefined : { feature: PREDICTIONS_FEATURE, psi: scored.predictionsPsi, verdict: verdictOf(scored.predictionsPsi, spec) };
      const metric = metricCheck(input, profile, warnings);
      const all = [...features, ...(predictionsScore ? [predictionsScore] : [])].sort(worstFirst);
      const measured = worstVerdict([...all.map((s) => s.verdict), ...(metric && !metric.passed ? (['drift'] as const) : [])]);
      // PSI over a handful of rows is noise: too small a batch is reported, never alerted on.
      const tooFew = scored.rows < spec.minRows;
      if (tooFew) warnings.push(`${scored.rows} rows are fewer than drift.minRows (${spec.minRows}): scores reported, verdict ${measured} not acted on`);
      const verdict = tooFew ? 'ok' : measured;
      const report = {
        ...base,
        run: input.run,
        verdict,
        rows: scored.rows,
        thresholds: { warnPsi: spec.warnPsi, driftPsi: spec.driftPsi, metric: spec.metric },
        features,
        predictions: predictionsScore,
        metric,
        trainingRows: profile.rows,
        trainingMetrics: profile.metrics,
        warnings,
        comparedAt: deps.clock.now().toISOString(),
      };
      const ref = await deps.store.put(runKey(input.run, 'drift', 'drift.json'), JSON.stringify(report, null, 2), 'application/json');
      return { ...base, verdict, rows: scored.rows, worst: all.slice(0, spec.worstFeatures), predictions: predictionsScore, metric, reportUri: ref.uri, warnings };
    });
  }

  return { drift };
}
