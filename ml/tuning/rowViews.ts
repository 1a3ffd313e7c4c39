import { type BinnedMatrix } from '../models/binning';
import { isBinned, type Features } from '../models/trainingData';
import { type Matrix, type Targets } from '../models/types';

/**
 * Dense rows `rows` of `x`, to score a fold or to fit a linear model on one. A binned row becomes
 * its bins' upper edges, which every tree grown on those bins routes as the raw row (see
 * representativeMatrix): only the fold's rows are made dense, never the whole split.
 */
export function denseRows(x: Features, rows: Int32Array): Matrix {
  const { cols } = x;
  const data = new Float64Array(rows.length * cols);
  if (!isBinned(x)) {
    for (let i = 0; i < rows.length; i++) data.set(x.data.subarray(rows[i] * cols, (rows[i] + 1) * cols), i * cols);
    return { rows: rows.length, cols, data };
  }
  const { bins, thresholds }: BinnedMatrix = x;
  for (let f = 0; f < cols; f++) {
    const edges = thresholds[f];
    const base = f * x.rows;
    for (let i = 0; i < rows.length; i++) {
      const b = bins[base + rows[i]];
      data[i * cols + f] = b < edges.length ? edges[b] : Infinity;
    }
  }
  return { rows: rows.length, cols, data };
}

/** The targets of rows `rows`. */
export function targetRows(targets: Targets, rows: Int32Array): Targets {
  if (targets.task === 'classification') return { task: 'classification', classes: targets.classes, y: Int32Array.from(rows, (r) => targets.y[r]) };
  return { task: 'regression', y: Float64Array.from(rows, (r) => targets.y[r]) };
}
