/** Writes the class probabilities of the row at `data[rowBase..]` to `out[at..]`. */
export function softmaxRow(
  data: Float64Array,
  rowBase: number,
  cols: number,
  coefficients: Float64Array,
  intercepts: Float64Array,
  out: Float64Array,
  at: number,
): void {
  const k = intercepts.length;
  let max = -Infinity;
  for (let c = 0; c < k; c++) {
    let z = intercepts[c];
    const w = c * cols;
    for (let j = 0; j < cols; j++) z += coefficients[w + j] * data[rowBase + j];
    out[at + c] = z;
    if (z > max) max = z;
  }
  let sum = 0;
  for (let c = 0; c < k; c++) {
    const e = Math.exp(out[at + c] - max);
    out[at + c] = e;
    sum += e;
  }
  for (let c = 0; c < k; c++) out[at + c] /= sum;
}

/**
 * Mean cross-entropy plus (l2 / 2) * |coefficients|^2 at `params` (coefficients, then intercepts),
 * with its gradient written to `gradient`. With `classWeight`, a row's cross-entropy counts its
 * class's weight times, still divided by the row count (scikit-learn's class_weight scales each
 * row's loss, the penalty stays): balanced weights sum to the row count, so the scale is unchanged.
 */
export function lossAndGradient(
  data: Float64Array,
  rows: number,
  cols: number,
  y: Int32Array,
  k: number,
  l2: number,
  params: Float64Array,
  gradient: Float64Array,
  proba: Float64Array,
  classWeight?: Float64Array,
): number {
  const coefficients = params.subarray(0, k * cols);
  const intercepts = params.subarray(k * cols);
  gradient.fill(0);
  let loss = 0;
  for (let r = 0; r < rows; r++) {
    const rowBase = r * cols;
    softmaxRow(data, rowBase, cols, coefficients, intercepts, proba, 0);
    const label = y[r];
    const rowWeight = classWeight ? classWeight[label] : 1;
    loss -= rowWeight * Math.log(Math.max(proba[label], Number.MIN_VALUE));
    for (let c = 0; c < k; c++) {
      const g = rowWeight * (proba[c] - (c === label ? 1 : 0));
      gradient[k * cols + c] += g;
      const w = c * cols;
      for (let j = 0; j < cols; j++) gradient[w + j] += g * data[rowBase + j];
    }
  }
  let penalty = 0;
  for (let i = 0; i < gradient.length; i++) gradient[i] /= rows;
  for (let i = 0; i < k * cols; i++) {
    penalty += params[i] * params[i];
    gradient[i] += l2 * params[i];
  }
  return loss / rows + (l2 / 2) * penalty;
}
