import { ACCENT, frame, HEIGHT, REFERENCE, type TopLevelSpec } from './theme';

/** A sample of the held-out rows' (actual, predicted) pairs, as the evaluate step stored it. */
export interface ScatterSample {
  readonly actual: readonly number[];
  readonly predicted: readonly number[];
  /** The rows it was drawn from. */
  readonly of: number;
}

/** Points get lighter as they get many, so dense regions read as dense. */
const opacity = (n: number): number => (n > 1000 ? 0.35 : n > 200 ? 0.55 : 0.8);

function extent(values: readonly number[]): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? [min, max] : [0, 1];
}

/** Predicted against actual values on the same scale, with the line of perfect predictions. */
export function predictedVsActualChart(sample: ScatterSample): TopLevelSpec {
  const [min, max] = extent([...sample.actual, ...sample.predicted]);
  const scale = { domain: [min, max], zero: false, nice: true };
  const values = sample.actual.map((actual, i) => ({ actual, predicted: sample.predicted[i] }));
  return {
    ...frame(HEIGHT),
    layer: [
      {
        data: { values: [{ actual: min, predicted: min }, { actual: max, predicted: max }] },
        mark: { type: 'line', color: REFERENCE, strokeDash: [4, 4], strokeWidth: 1 },
        encoding: { x: { field: 'actual', type: 'quantitative', scale }, y: { field: 'predicted', type: 'quantitative', scale } },
      },
      {
        data: { values },
        mark: { type: 'circle', size: 14, color: ACCENT, opacity: opacity(values.length) },
        encoding: { x: { field: 'actual', type: 'quantitative', scale, title: 'actual' }, y: { field: 'predicted', type: 'quantitative', scale, title: 'predicted' } },
      },
    ],
  };
}

/** Residuals (actual - predicted) against the prediction, around the zero line: a pattern is what the model missed. */
export function residualsChart(sample: ScatterSample): TopLevelSpec {
  const values = sample.actual.map((actual, i) => ({ predicted: sample.predicted[i], residual: actual - sample.predicted[i] }));
  return {
    ...frame(HEIGHT),
    layer: [
      {
        data: { values },
        mark: { type: 'circle', size: 14, color: ACCENT, opacity: opacity(values.length) },
        encoding: { x: { field: 'predicted', type: 'quantitative', scale: { zero: false }, title: 'predicted' }, y: { field: 'residual', type: 'quantitative', title: 'actual - predicted' } },
      },
      { data: { values: [{ zero: 0 }] }, mark: { type: 'rule', color: REFERENCE, strokeDash: [4, 4] }, encoding: { y: { field: 'zero', type: 'quantitative' } } },
    ],
  };
}
