import { type PreprocessingSpec, type SplitSpec, type Task } from '../../../contract';
import { encodeBinnedSplit } from '../../../ml/data/binnedCodec';
import { decodeTable, encodeSplit } from '../../../ml/data/codec';
import { applyTransform, binSplits, fitTransform, missingTargetsWarning, planFeatures, selectTargets, splitTable, type ColumnSummary } from '../../../ml/preprocess';
import { profileTable } from '../../../ml/drift/profile';
import { movable, type ComputeTask } from '../protocol';

export interface PreprocessTaskInput {
  /** The encoded ingested table. */
  readonly table: Uint8Array;
  readonly target: string;
  readonly features?: string[];
  readonly task: Task;
  readonly preprocessing: PreprocessingSpec;
  readonly split: SplitSpec;
  /** Present when a forest trains on the splits: they are stored as its bins, not as a dense matrix. */
  readonly forest?: ForestPreparation;
}

export interface ForestPreparation {
  readonly maxBins: number;
}

export interface PreprocessTaskOutput {
  readonly train: Uint8Array;
  readonly test: Uint8Array;
  /** The fitted transform's JSON. */
  readonly transform: string;
  /** The training rows' profile (ml/drift/profile) as JSON, stored with the model version at deploy. */
  readonly profile: string;
  readonly trainRows: number;
  readonly testRows: number;
  /** Rows without a target value, left out of both splits. */
  readonly droppedRows: number;
  readonly featureCount: number;
  readonly classes?: string[];
  /** Every column but the target: its role, why, and whether it is a feature. */
  readonly columns: ColumnSummary[];
  /** Rows left out for want of a target; columns left out of (or kept in) the features against their role. A few lines whatever the width. */
  readonly warnings: string[];
}

/**
 * Splits the rows (seeded, stratified for classifiers), infers the column roles and fits the
 * transforms on the training rows only, and encodes both transformed splits: binned for a forest, a dense matrix for a linear model.
 */
export const preprocessTask: ComputeTask<PreprocessTaskInput, PreprocessTaskOutput> = (input, { progress }) => {
  progress({ fraction: 0, message: 'decoding the table' });
  const table = decodeTable(input.table);
  const { encoded, train, test } = splitTable(table, input.target, input.task, input.split);
  progress({ fraction: 0.15, message: 'inferring the column roles' });
  const plan = planFeatures(table, input.target, train, input.preprocessing, input.features);
  const { features } = plan;
  progress({ fraction: 0.2, message: 'fitting the transforms' });
  const transform = fitTransform(table, features, input.preprocessing, train, { as: plan.as, ...(input.forest ? { forestCodes: input.forest.maxBins } : {}) });
  let trainBytes: Uint8Array<ArrayBuffer>;
  let testBytes: Uint8Array<ArrayBuffer>;
  if (input.forest) {
    progress({ fraction: 0.4, message: `binning both splits into at most ${input.forest.maxBins} bins per feature` });
    const binned = binSplits(transform, table, train, test, input.forest.maxBins);
    const { featureNames } = transform;
    trainBytes = movable(encodeBinnedSplit({ x: binned.train, targets: selectTargets(encoded, train), featureNames }));
    testBytes = movable(encodeBinnedSplit({ x: binned.test, targets: selectTargets(encoded, test), featureNames }));
  } else {
    const encode = (rows: Int32Array) =>
      movable(encodeSplit({ x: applyTransform(transform, table, rows), targets: selectTargets(encoded, rows), featureNames: transform.featureNames }));
    progress({ fraction: 0.4, message: 'transforming the training rows' });
    trainBytes = encode(train);
    progress({ fraction: 0.8, message: 'transforming the held-out rows' });
    testBytes = encode(test);
  }
  progress({ fraction: 0.9, message: 'profiling the training rows' });
  // Datetime columns are left out: later batches hold later dates by nature, which is no drift.
  const profiled = features.filter((name) => plan.as[name] !== 'datetime');
  const profile = JSON.stringify(profileTable(table, train, profiled, { name: input.target, targets: selectTargets(encoded, train) }));
  const classes = encoded.targets.task === 'classification' ? [...encoded.targets.classes] : undefined;
  const droppedRows = table.rowCount - encoded.rows.length;
  const dropped = missingTargetsWarning(input.target, droppedRows);
  return Promise.resolve({
    value: {
      train: trainBytes,
      test: testBytes,
      transform: JSON.stringify(transform, null, 2),
      profile,
      trainRows: train.length,
      testRows: test.length,
      droppedRows,
      featureCount: transform.featureNames.length,
      classes,
      columns: plan.columns,
      warnings: dropped ? [dropped, ...plan.warnings] : plan.warnings,
    },
    transfer: [trainBytes.buffer, testBytes.buffer],
  });
};
