import { type ClassReport, type FeatureImportances, type RunRef } from '../../contract';
import { type BinaryCurves } from '../../ml/curves';
import { type ReportHistory, type ReportTuning } from '../types';
import { type Block, type ChartBlock } from './document';
import { confusionMatrixChart, precisionRecallChart, rocChart } from './charts/classification';
import { predictedVsActualChart, residualsChart, type ScatterSample } from './charts/regression';
import { historyChart, importanceChart, MAX_BARS, tuningChart } from './charts/runCharts';
import { fmt } from './charts/theme';

/** What the evaluate step stored for the report's charts (absent from evaluations written before charts). */
export interface EvaluationCharts {
  readonly curves?: BinaryCurves;
  readonly sample?: ScatterSample;
  readonly featureImportances?: FeatureImportances;
}

export function confusionMatrixBlock(labels: readonly string[], counts: readonly (readonly number[])[]): ChartBlock {
  return {
    kind: 'chart',
    title: 'Confusion matrix (rows: true, columns: predicted)',
    caption: 'Each cell: the rows of the true class predicted as the column class; its colour, their share of the true class.',
    spec: confusionMatrixChart(labels, counts),
    table: { header: ['', ...labels], rows: counts.map((row, i) => [labels[i], ...row.map(String)]) },
  };
}

/** A binary classifier's ROC and precision-recall curves, with their areas from the metrics. */
export function curveBlocks(curves: BinaryCurves, metrics: Record<string, number>, positiveClass?: string): Block[] {
  const of = positiveClass === undefined ? '' : ` (positive class ${positiveClass})`;
  const auc = metrics.roc_auc === undefined ? '' : `, area ${fmt(metrics.roc_auc)}`;
  const ap = metrics.average_precision === undefined ? '' : `, average precision ${fmt(metrics.average_precision)}`;
  return [
    { kind: 'chart', title: `ROC curve${auc}`, caption: `As the score threshold falls${of}; dashed: chance.`, spec: rocChart(curves.roc) },
    {
      kind: 'chart',
      title: `Precision-recall curve${ap}`,
      caption: `Dashed: a classifier without skill (precision ${fmt(curves.prevalence)}, the positive share).`,
      spec: precisionRecallChart(curves.pr, curves.prevalence),
    },
  ];
}

export function scatterBlocks(sample: ScatterSample): Block[] {
  const drawn = sample.actual.length < sample.of ? `A random sample of ${sample.actual.length} of the ${sample.of} held-out rows.` : `All ${sample.of} held-out rows.`;
  return [
    { kind: 'chart', title: 'Predicted against actual', caption: `${drawn} Dashed: perfect predictions.`, spec: predictedVsActualChart(sample) },
    { kind: 'chart', title: 'Residuals', caption: 'Actual minus predicted, against the prediction: a pattern is what the model missed.', spec: residualsChart(sample) },
  ];
}

export function importanceBlocks(importances: FeatureImportances): Block[] {
  const shown = Math.min(MAX_BARS, importances.features.length);
  const more = importances.features.length + (importances.omitted ?? 0) - shown;
  return [
    { kind: 'heading', level: 2, text: 'Feature importances' },
    {
      kind: 'chart',
      title: `Permutation importance (${importances.scoring})`,
      caption:
        `The drop in ${importances.scoring} on ${importances.rows} held-out rows when a feature's values are shuffled, ` +
        `mean of ${importances.repeats} shuffles (seed ${importances.seed}) with one standard deviation; baseline ${fmt(importances.baseline)}.` +
        (more > 0 ? ` ${more} more features in the evaluation artifact.` : ''),
      spec: importanceChart(importances),
      table: { header: ['feature', 'mean drop', 'std'], rows: importances.features.slice(0, shown).map((f) => [f.feature, fmt(f.mean), fmt(f.std)]) },
    },
  ];
}

export function historyBlocks(history: ReportHistory, run: RunRef): Block[] {
  if (history.runs.length === 0) return [];
  return [
    { kind: 'heading', level: 2, text: `${history.metric} across recent runs` },
    {
      kind: 'chart',
      title: `${history.metric} of the pipeline's last ${history.runs.length} runs`,
      spec: historyChart(history, run.runId),
      table: { header: ['run', 'started', history.metric], rows: history.runs.map((r) => [r.runId, r.startedAt, fmt(r.value)]) },
    },
  ];
}

export function tuningBlocks(tuning: ReportTuning): Block[] {
  if (tuning.trials.length === 0) return [];
  const best = tuning.best === undefined ? undefined : tuning.trials[tuning.best];
  const halving = tuning.trials.some((t) => t.rung !== undefined);
  const rungNote = halving ? ' Successive halving: each rung cross-validates its candidates on a sample of the training rows, and the best go on to the next, bigger one.' : '';
  return [
    { kind: 'heading', level: 2, text: `Tuning: ${tuning.trials.length} trials` },
    {
      kind: 'chart',
      title: `Cross-validated ${tuning.metric} per trial`,
      caption: best || halving ? `${best ? `Best: trial ${tuning.best! + 1}, ${fmt(best.mean)} ± ${fmt(best.std)}.` : ''}${rungNote}`.trim() : undefined,
      spec: tuningChart(tuning),
      table: halving
        ? {
            header: ['trial', 'rung', 'rows', 'params', 'mean', 'std'],
            rows: tuning.trials.map((t, i) => [String(i + 1), String(t.rung ?? ''), String(t.resource ?? ''), JSON.stringify(t.params), fmt(t.mean), fmt(t.std)]),
          }
        : {
            header: ['trial', 'params', 'mean', 'std'],
            rows: tuning.trials.map((t, i) => [String(i + 1), JSON.stringify(t.params), fmt(t.mean), fmt(t.std)]),
          },
    },
  ];
}

/** The classifier's confusion matrix: the bounded class report's, else the stored full one when small enough. */
export function confusionOf(report: ClassReport | undefined, evaluation: { confusionMatrix?: number[][]; classes?: string[] } | undefined, maxClasses: number): ChartBlock | undefined {
  const cm = report?.confusionMatrix;
  if (cm) return confusionMatrixBlock(cm.labels, cm.counts);
  if (evaluation?.confusionMatrix && evaluation.classes && evaluation.classes.length <= maxClasses) return confusionMatrixBlock(evaluation.classes, evaluation.confusionMatrix);
  return undefined;
}
