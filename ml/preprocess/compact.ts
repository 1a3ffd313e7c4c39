import { type Table } from '../data/table';
import { type BinnedMatrix, binColumn, quantileThresholds } from '../models/binning';
import { applyTransform } from './apply';
import { type FittedTransform, outputNames } from './transform';

export interface BinnedSplits {
  readonly train: BinnedMatrix;
  readonly test: BinnedMatrix;
}

/**
 * Both splits as forest bins, one feature at a time so no dense matrix of all features is ever
 * held: each transformed column (a numeric value or an ordinal code) is cut at edges learnt on the
 * training rows, and the held-out rows are binned against the same edges. The edges are values of
 * the transformed column, so trees grown on the bins split raw rows put through the transform alike.
 */
export function binSplits(fitted: FittedTransform, table: Table, train: Int32Array, test: Int32Array, maxBins: number): BinnedSplits {
  const cols = fitted.features.length;
  const trainBins = new Uint8Array(train.length * cols);
  const testBins = new Uint8Array(test.length * cols);
  const thresholds: Float64Array[] = [];
  fitted.features.forEach((feature, f) => {
    const single: FittedTransform = { version: 1, features: [feature], featureNames: outputNames(feature) };
    if (single.featureNames.length !== 1) throw new RangeError(`feature ${feature.name} has ${single.featureNames.length} output columns; binning needs one`);
    const trainColumn = applyTransform(single, table, train).data;
    const edges = quantileThresholds(trainColumn, maxBins);
    thresholds.push(edges);
    binColumn(trainColumn, edges, trainBins, f * train.length);
    binColumn(applyTransform(single, table, test).data, edges, testBins, f * test.length);
  });
  return {
    train: { rows: train.length, cols, bins: trainBins, thresholds },
    test: { rows: test.length, cols, bins: testBins, thresholds },
  };
}
