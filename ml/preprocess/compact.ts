import { type Table } from '../data/table';
import { type Matrix } from '../models/types';
import { type BinnedMatrix, binColumn, quantileThresholds } from '../models/binning';
import { applyTransform } from './apply';
import { type FittedTransform, outputNames } from './transform';

export interface BinnedSplits {
  readonly train: BinnedMatrix;
  readonly test: BinnedMatrix;
}

/** The column `j` of a matrix. */
function columnOf(x: Matrix, j: number): Float64Array {
  const out = new Float64Array(x.rows);
  for (let i = 0, at = j; i < x.rows; i++, at += x.cols) out[i] = x.data[at];
  return out;
}

/**
 * Both splits as forest bins, one feature at a time so no dense matrix of all features is ever
 * held: each transformed column (a numeric value, an ordinal code or a datetime part) is cut at
 * edges learnt on the training rows, and the held-out rows are binned against the same edges. The
 * edges are values of the transformed column, so trees grown on the bins split raw rows put through
 * the transform alike. A one-hot feature (several columns each) cannot be binned.
 */
export function binSplits(fitted: FittedTransform, table: Table, train: Int32Array, test: Int32Array, maxBins: number): BinnedSplits {
  const cols = fitted.featureNames.length;
  const trainBins = new Uint8Array(train.length * cols);
  const testBins = new Uint8Array(test.length * cols);
  const thresholds: Float64Array[] = [];
  let col = 0;
  for (const feature of fitted.features) {
    const single: FittedTransform = { version: 1, features: [feature], featureNames: outputNames(feature) };
    if (feature.type === 'string' && single.featureNames.length !== 1) throw new RangeError(`feature ${feature.name} has ${single.featureNames.length} output columns; binning needs one`);
    const trainColumns = applyTransform(single, table, train);
    const testColumns = applyTransform(single, table, test);
    for (let j = 0; j < single.featureNames.length; j++, col++) {
      const trainColumn = single.featureNames.length === 1 ? trainColumns.data : columnOf(trainColumns, j);
      const edges = quantileThresholds(trainColumn, maxBins);
      thresholds.push(edges);
      binColumn(trainColumn, edges, trainBins, col * train.length);
      binColumn(single.featureNames.length === 1 ? testColumns.data : columnOf(testColumns, j), edges, testBins, col * test.length);
    }
  }
  return {
    train: { rows: train.length, cols, bins: trainBins, thresholds },
    test: { rows: test.length, cols, bins: testBins, thresholds },
  };
}
