import { CLASS_REPORT_MAX_CLASSES, modelLabel, type ClassReport, type Decision, type InferenceParams, type PipelineParams, type PipelineStatus, type RunRef } from '../../contract';
import { type ReportHistory, type ReportTuning } from '../types';
import { confusionOf, curveBlocks, historyBlocks, importanceBlocks, scatterBlocks, tuningBlocks, type EvaluationCharts } from './chartBlocks';
import { type Block } from './document';
import { driftBlocks } from './drift';

/** What the report shows besides the run status: read from the run's own artifacts when present. */
export interface ReportExtras {
  readonly validation?: {
    expectations: { expectation: string; column?: string; passed: boolean; message: string; quarantined?: number }[];
    quarantine?: { applied: boolean; message: string; file?: string };
  };
  readonly evaluation?: { confusionMatrix?: number[][]; classes?: string[]; classReport?: ClassReport; positiveClass?: string } & EvaluationCharts;
  /** The column roles preprocess inferred (ColumnSummary[], ml/preprocess). */
  readonly columns?: { name: string; type: string; role: string; reason: string; used: boolean; note?: string }[];
  /** From run tracking: the pipeline's metric across its recent runs. */
  readonly history?: ReportHistory;
  /** From the hyperparameter search: its trials. */
  readonly tuning?: ReportTuning;
}

const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : n.toPrecision(4));

function seconds(from?: string, to?: string): string {
  if (!from || !to) return '';
  return `${((Date.parse(to) - Date.parse(from)) / 1000).toFixed(3)} s`;
}

/**
 * The status as the report shows it. The report step writes the report while the run's status still
 * shows that step running; the report exists only once the step has done its work, so it shows its
 * own step as completed, ended when it was written.
 */
export function asWritten(status: PipelineStatus, writtenAt: Date): PipelineStatus {
  const endedAt = writtenAt.toISOString();
  return {
    ...status,
    steps: status.steps.map((s) => (s.name === 'report' && s.state === 'running' ? { ...s, state: 'completed', endedAt, summary: 'this report' } : s)),
  };
}

export function reportTitle(status: PipelineStatus): string {
  return `${status.pipeline}: ${status.outcome ?? status.stage}`;
}

/** What the report says a run is about: its model and data lines, and what its metrics were measured on. */
interface Subject {
  readonly title: string;
  readonly lines: string[];
  readonly metricsOn: string;
}

export function reportBlocks(run: RunRef, status: PipelineStatus, params: PipelineParams, extras: ReportExtras): Block[] {
  return blocksOf(run, status, extras, {
    title: 'ML pipeline report',
    lines: [`Model: ${params.model.type}${status.modelVersion ? `, version ${status.modelVersion}` : ''}`, `Dataset: ${params.dataset.source} (target ${params.dataset.target})`],
    metricsOn: 'held-out split',
  });
}

export function inferenceReportBlocks(run: RunRef, status: PipelineStatus, params: InferenceParams, extras: ReportExtras): Block[] {
  const model = status.modelVersion ? `${params.model.name} version ${status.modelVersion} (${status.modelType})` : modelLabel(params.model);
  return blocksOf(run, status, extras, {
    title: 'Batch inference report',
    lines: [`Model: ${model}`, `Batch: ${params.dataset.source}${params.dataset.label ? ` (label ${params.dataset.label})` : ''}`, `Predictions: ${params.output.format}`],
    metricsOn: 'labelled batch',
  });
}

/** Each gate's requirement and the production comparison; runs recorded before several gates show their one metric. */
function decisionBlocks(d: Decision): Block[] {
  const gates = d.gates ?? [{ metric: d.metric, value: d.value, threshold: d.threshold, passed: d.passed }];
  const blocks: Block[] = [
    {
      kind: 'table',
      header: ['gate', 'value', 'threshold', 'result'],
      rows: gates.map((g) => [g.metric, fmt(g.value), fmt(g.threshold), g.passed ? 'passed' : 'not reached']),
    },
  ];
  const p = d.production;
  if (p) {
    const scores =
      p.production === undefined
        ? `no production score${p.note ? `: ${p.note}` : ''}`
        : `this model ${fmt(p.candidate)} against production version ${p.productionVersion ?? '?'} ${fmt(p.production)} on the same held-out rows (improvement ${fmt(p.improvement ?? 0)}, margin ${fmt(p.margin)})`;
    blocks.push({ kind: 'paragraph', text: `Beat production on ${p.metric}: ${p.passed ? 'passed' : 'not beaten'}; ${scores}.` });
  }
  blocks.push({ kind: 'list', items: [`Approval: ${d.approval}`] });
  return blocks;
}

function blocksOf(run: RunRef, status: PipelineStatus, extras: ReportExtras, subject: Subject): Block[] {
  const blocks: Block[] = [
    { kind: 'heading', level: 1, text: `${subject.title}: ${status.pipeline}` },
    {
      kind: 'list',
      items: [`Outcome: ${status.outcome ?? status.stage}`, `Workflow: ${run.workflowId} (run ${run.runId})`, ...subject.lines],
    },
  ];
  if (status.error) blocks.push({ kind: 'heading', level: 2, text: 'Error' }, { kind: 'paragraph', text: status.error });
  const d = status.decision;
  if (d) {
    blocks.push(
      { kind: 'heading', level: 2, text: 'Decision' },
      { kind: 'paragraph', text: `${d.action === 'deploy' ? 'Deployed' : 'Not deployed'}: ${d.reason}` },
      ...decisionBlocks(d),
    );
    if (status.candidateVersion) blocks.push({ kind: 'paragraph', text: `Registered as candidate version ${status.candidateVersion} (not serving; promote it with POST /models/:name/versions/${status.candidateVersion}/promote).` });
  }
  if (status.metrics && Object.keys(status.metrics).length > 0) {
    blocks.push(
      { kind: 'heading', level: 2, text: `Metrics (${subject.metricsOn})` },
      { kind: 'table', header: ['metric', 'value'], rows: Object.entries(status.metrics).map(([k, v]) => [k, fmt(v)]) },
    );
  }
  if (status.drift) blocks.push(...driftBlocks(status.drift, status.retrain));
  blocks.push(...evaluationBlocks(status, extras));
  const importances = status.featureImportances ?? extras.evaluation?.featureImportances;
  if (importances && importances.features.length > 0) blocks.push(...importanceBlocks(importances));
  if (extras.history) blocks.push(...historyBlocks(extras.history, run));
  if (extras.tuning) blocks.push(...tuningBlocks(extras.tuning));
  // Drift warnings are in the drift section already.
  const driftWarnings = new Set(status.drift?.warnings ?? []);
  const warnings = status.warnings.filter((w) => !driftWarnings.has(w));
  if (warnings.length > 0) blocks.push({ kind: 'heading', level: 2, text: 'Warnings' }, { kind: 'list', items: warnings });
  if (extras.columns && extras.columns.length > 0) {
    const used = extras.columns.filter((c) => c.used).length;
    blocks.push(
      { kind: 'heading', level: 2, text: `Columns: ${used} of ${extras.columns.length} used as features` },
      {
        kind: 'table',
        header: ['column', 'type', 'role', 'why', 'feature'],
        rows: extras.columns.map((c) => [c.name, c.type, c.role, c.reason, `${c.used ? 'yes' : 'no'}${c.note === undefined ? '' : `: ${c.note}`}`]),
      },
    );
  }
  if (extras.validation) {
    const { expectations, quarantine } = extras.validation;
    const failed = expectations.filter((e) => !e.passed && e.quarantined === undefined).length;
    const quarantined = quarantine?.applied ? `, ${quarantine.message}` : '';
    blocks.push(
      { kind: 'heading', level: 2, text: `Validation: ${failed === 0 ? 'passed' : `${failed} failed`}${quarantined}` },
      {
        kind: 'table',
        header: ['expectation', 'column', 'result', 'detail'],
        rows: expectations.map((e) => [e.expectation, e.column ?? '', e.passed ? 'pass' : e.quarantined !== undefined ? `quarantined ${e.quarantined}` : 'FAIL', e.message]),
      },
    );
    if (quarantine?.file) blocks.push({ kind: 'paragraph', text: `Quarantined rows, with the rules they failed: ${quarantine.file}` });
    else if (quarantine && !quarantine.applied) blocks.push({ kind: 'paragraph', text: quarantine.message });
  }
  blocks.push(
    { kind: 'heading', level: 2, text: 'Steps' },
    {
      kind: 'table',
      header: ['step', 'state', 'attempt', 'started', 'ended', 'duration', 'summary'],
      rows: status.steps.map((s) => [s.name, s.state, String(s.attempt), s.startedAt ?? '', s.endedAt ?? '', seconds(s.startedAt, s.endedAt), s.error ?? s.summary ?? '']),
    },
  );
  const artifacts = Object.entries(status.artifacts);
  if (artifacts.length > 0) {
    blocks.push({ kind: 'heading', level: 2, text: 'Artifacts' }, { kind: 'list', items: artifacts.map(([k, v]) => `${k}: ${v}`) });
  }
  return blocks;
}

/** How well the model did, as charts: the confusion matrix and curves of a classifier, the scatter plots of a regressor; and the per-class table. */
function evaluationBlocks(status: PipelineStatus, extras: ReportExtras): Block[] {
  const evaluation = extras.evaluation;
  const report = status.classReport ?? evaluation?.classReport;
  const charts: Block[] = [];
  const confusion = confusionOf(report, evaluation, CLASS_REPORT_MAX_CLASSES);
  if (confusion) charts.push(confusion);
  if (evaluation?.curves) charts.push(...curveBlocks(evaluation.curves, status.metrics ?? {}, report?.positiveClass ?? evaluation.positiveClass));
  if (evaluation?.sample && evaluation.sample.actual.length > 0) charts.push(...scatterBlocks(evaluation.sample));
  return [...(report ? classReportBlocks(report) : []), ...(charts.length > 0 ? [{ kind: 'heading', level: 2, text: 'Model quality' } as const, ...charts] : [])];
}

function classReportBlocks(report: ClassReport): Block[] {
  return [
    { kind: 'heading', level: 2, text: 'Per class' },
    ...(report.note ? [{ kind: 'paragraph', text: report.note } as const] : []),
    ...(report.positiveClass === undefined ? [] : [{ kind: 'paragraph', text: `Positive class (roc_auc, average_precision): ${report.positiveClass}` } as const]),
    {
      kind: 'table',
      header: ['class', 'precision', 'recall', 'f1', 'support'],
      rows: report.perClass.map((c) => [c.label, fmt(c.precision), fmt(c.recall), fmt(c.f1), String(c.support)]),
    },
  ];
}
