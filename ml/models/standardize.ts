import { type Matrix } from './types';

/** Column means and scales; a constant column is flagged and gets scale 1. */
export interface ColumnScaling {
  readonly mean: Float64Array;
  readonly scale: Float64Array;
  /** 1 where every value of the column is equal. */
  readonly constant: Uint8Array;
}

/** Means and population standard deviations of the columns of `x`. */
export function columnScaling(x: Matrix): ColumnScaling {
  const { rows, cols, data } = x;
  const mean = new Float64Array(cols);
  const scale = new Float64Array(cols);
  const constant = new Uint8Array(cols).fill(1);
  for (let r = 1; r < rows; r++) {
    for (let j = 0; j < cols; j++) if (data[r * cols + j] !== data[j]) constant[j] = 0;
  }
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) mean[j] += data[r * cols + j];
  for (let j = 0; j < cols; j++) mean[j] /= rows;
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) {
      const d = data[r * cols + j] - mean[j];
      scale[j] += d * d;
    }
  }
  for (let j = 0; j < cols; j++) {
    const sd = Math.sqrt(scale[j] / rows);
    scale[j] = constant[j] || !(sd > 0) ? 1 : sd;
  }
  return { mean, scale, constant };
}

/** A copy of `x` with every column centred and divided by its scale; constant columns become exact zeros. */
export function standardize(x: Matrix, { mean, scale, constant }: ColumnScaling): Float64Array {
  const { rows, cols, data } = x;
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) out[r * cols + j] = constant[j] ? 0 : (data[r * cols + j] - mean[j]) / scale[j];
  }
  return out;
}
