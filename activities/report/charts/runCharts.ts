import { type DriftScore, type FeatureImportances } from '../../../contract';
import { type ReportHistory, type ReportTuning } from '../../types';
import { ACCENT, fmt, frame, HEIGHT, REFERENCE, VERDICT_COLORS, type TopLevelSpec } from './theme';

/** Bars at most in a bar chart: the rest are in the evaluation artifact or the drift report. */
export const MAX_BARS = 20;

const barHeight = (bars: number): number => Math.max(60, bars * 18);

/** Each feature's mean score drop when shuffled, largest first, with one standard deviation either side. */
export function importanceChart(importances: FeatureImportances): TopLevelSpec {
  const values = importances.features.slice(0, MAX_BARS).map((f) => ({ feature: f.feature, mean: f.mean, low: f.mean - f.std, high: f.mean + f.std }));
  const y = { field: 'feature', type: 'nominal' as const, sort: values.map((v) => v.feature), title: null, axis: { labelLimit: 140 } };
  return {
    ...frame(barHeight(values.length)),
    data: { values },
    layer: [
      { mark: { type: 'bar', color: ACCENT, cornerRadiusEnd: 2 }, encoding: { y, x: { field: 'mean', type: 'quantitative', title: `drop in ${importances.scoring} when shuffled` } } },
      { mark: { type: 'rule', color: '#1f2328' }, encoding: { y, x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' } } },
    ],
  };
}

/** The pipeline's metric over its recent runs, oldest first, this run marked. */
export function historyChart(history: ReportHistory, currentRunId: string): TopLevelSpec {
  const values = [...history.runs]
    .sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt))
    .map((r) => ({ startedAt: r.startedAt, value: r.value, run: r.runId, current: r.runId === currentRunId ? 'this run' : 'earlier runs' }));
  const x = { field: 'startedAt', type: 'temporal' as const, title: 'run started', axis: { format: '%b %d %H:%M', labelAngle: -30, tickCount: Math.min(values.length, 8) } };
  const y = { field: 'value', type: 'quantitative' as const, title: history.metric, scale: { zero: false } };
  return {
    ...frame(HEIGHT),
    data: { values },
    layer: [
      { mark: { type: 'line', color: REFERENCE, strokeWidth: 1.5 }, encoding: { x, y } },
      {
        mark: { type: 'point', filled: true, size: 60 },
        encoding: {
          x,
          y,
          color: { field: 'current', type: 'nominal', scale: { domain: ['earlier runs', 'this run'], range: [ACCENT, '#cf222e'] }, title: null, legend: { orient: 'bottom' } },
          tooltip: [{ field: 'run' }, { field: 'value', format: '.4' }],
        },
      },
    ],
  };
}

/** Describes a trial's hyperparameters in one short line, for the tooltip. */
const describe = (params: Readonly<Record<string, unknown>>): string =>
  Object.entries(params)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? fmt(v) : String(v)}`)
    .join(', ');

/** Halving's rungs, smallest first: the accent, then colours apart from the best's red. */
const RUNG_COLOURS = [ACCENT, '#8250df', '#2da44e', '#d4a72c', '#0a3069', '#8c959f'];

/** A trial's colour: the best, its halving rung (with the rows it used), or any trial. */
const kindOf = (t: ReportTuning['trials'][number], best: boolean): string => (best ? 'best' : t.rung === undefined ? 'trial' : `rung ${t.rung} (${t.resource} rows)`);

/** Each tuning trial's cross-validated mean score in trial order (halving: rung by rung), with one standard deviation, the best marked. */
export function tuningChart(tuning: ReportTuning): TopLevelSpec {
  const values = tuning.trials.map((t, i) => ({
    trial: i + 1,
    mean: t.mean,
    low: t.mean - t.std,
    high: t.mean + t.std,
    params: describe(t.params),
    best: kindOf(t, i === tuning.best),
    ...(t.rung !== undefined && { rung: t.rung, rows: t.resource }),
  }));
  const kinds = [...new Set(tuning.trials.map((t) => kindOf(t, false)))];
  const domain = [...kinds, 'best'];
  const range = [...kinds.map((_, k) => RUNG_COLOURS[k % RUNG_COLOURS.length]), '#cf222e'];
  const halving = tuning.trials.some((t) => t.rung !== undefined);
  const x = { field: 'trial', type: 'quantitative' as const, title: 'trial', axis: { tickMinStep: 1 } };
  return {
    ...frame(HEIGHT),
    data: { values },
    layer: [
      { mark: { type: 'rule', color: REFERENCE }, encoding: { x, y: { field: 'low', type: 'quantitative', scale: { zero: false } }, y2: { field: 'high' } } },
      {
        mark: { type: 'point', filled: true, size: 60 },
        encoding: {
          x,
          y: { field: 'mean', type: 'quantitative', title: `${tuning.metric} (cross-validated)`, scale: { zero: false } },
          color: { field: 'best', type: 'nominal', scale: { domain, range }, title: null, legend: { orient: 'bottom' } },
          tooltip: [{ field: 'trial' }, ...(halving ? [{ field: 'rung' }, { field: 'rows' }] : []), { field: 'mean', format: '.4' }, { field: 'params' }],
        },
      },
    ],
  };
}

/** PSI per feature (worst first), coloured by verdict, each bar labelled with its value. */
export function driftChart(scores: readonly DriftScore[]): TopLevelSpec {
  const values = scores.slice(0, MAX_BARS).map((s) => ({ feature: s.feature, psi: s.psi, verdict: s.verdict }));
  const y = { field: 'feature', type: 'nominal' as const, sort: values.map((v) => v.feature), title: null, axis: { labelLimit: 140 } };
  const x = { field: 'psi', type: 'quantitative' as const, title: 'population stability index (PSI)' };
  return {
    ...frame(barHeight(values.length)),
    data: { values },
    layer: [
      {
        mark: { type: 'bar', cornerRadiusEnd: 2 },
        encoding: { y, x, color: { field: 'verdict', type: 'nominal', scale: { domain: Object.keys(VERDICT_COLORS), range: Object.values(VERDICT_COLORS) }, legend: { orient: 'bottom' } } },
      },
      { mark: { type: 'text', align: 'left', dx: 3, fontSize: 10, color: '#57606a' }, encoding: { y, x, text: { field: 'psi', type: 'quantitative', format: '.3f' } } },
    ],
  };
}
