import { type SplitSpec, type Task } from '../../contract/params';
import { type Table } from '../data/table';
import { trainTestSplit } from './split';
import { classOfRow, encodeTargets, type EncodedTargets } from './targets';

export interface SplitTable {
  readonly encoded: EncodedTargets;
  /** Table rows of each split, ascending. */
  readonly train: Int32Array;
  readonly test: Int32Array;
}

/**
 * The training and held-out rows of a table: a pure function of the table, the target, the task
 * and the split spec, so a later step (the production comparison) finds the very rows preprocess held out.
 */
export function splitTable(table: Table, target: string, task: Task, split: SplitSpec): SplitTable {
  const encoded = encodeTargets(table, target, task);
  const { train, test } = trainTestSplit(encoded.rows, split, split.stratify ? classOfRow(encoded) : undefined);
  return { encoded, train, test };
}
