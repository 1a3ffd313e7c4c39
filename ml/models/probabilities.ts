import { type Matrix, type TrainedModel } from './types';

/** A classifier that also gives class probabilities (both forests and logistic regression do). */
export type Probabilistic = TrainedModel & { predictProba(x: Matrix): Float64Array };

/** Only ask it of classifiers: a forest regressor has the method but throws. */
export const hasProba = (model: TrainedModel): model is Probabilistic => typeof (model as Partial<Probabilistic>).predictProba === 'function';

/** The class of highest probability per row, the first on ties (as the models' own predict). */
export function argmaxRows(proba: Float64Array, rows: number, k: number): Int32Array {
  const labels = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (proba[r * k + c] > proba[r * k + best]) best = c;
    labels[r] = best;
  }
  return labels;
}
