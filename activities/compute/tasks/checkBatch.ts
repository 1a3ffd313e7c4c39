import { taskOf, type ModelType, type Task } from '../../../contract';
import { decodeTable } from '../../../ml/data/codec';
import { findColumn } from '../../../ml/data/table';
import { batchProblems } from '../../../ml/preprocess';
import { decodeModelArtifact } from '../../../storage/modelArtifact';
import { type ComputeTask } from '../protocol';

export interface CheckBatchTaskInput {
  /** The encoded model artifact of the version the batch is scored with. */
  readonly model: Uint8Array;
  /** The encoded batch table. */
  readonly table: Uint8Array;
  readonly passThrough: readonly string[];
  readonly checkFeatures: boolean;
  readonly label?: string;
}

export interface CheckBatchTaskOutput {
  readonly problems: string[];
  readonly rows: number;
  readonly modelType: ModelType;
  readonly task: Task;
  readonly classes?: readonly string[];
  readonly features: string[];
}

/** Columns predict writes itself; a pass-through column may not take their names. */
const isPredictionColumn = (name: string): boolean => name === 'prediction' || name.startsWith('probability_');

/**
 * Decodes the model and the batch and names every way the batch does not fit it: off the worker's
 * event loop, since a batch of millions of rows and a large forest take seconds to decode.
 */
export const checkBatchTask: ComputeTask<CheckBatchTaskInput, CheckBatchTaskOutput> = (input) => {
  const artifact = decodeModelArtifact(input.model);
  const table = decodeTable(input.table);
  const task = taskOf(artifact.model.type);
  const problems: string[] = [];
  if (table.rowCount === 0) problems.push('the batch has no rows');
  for (const name of input.passThrough) {
    if (!findColumn(table, name)) problems.push(`pass-through column ${name} is missing from the batch`);
    else if (isPredictionColumn(name)) problems.push(`pass-through column ${name} clashes with a prediction column`);
  }
  if (input.checkFeatures) problems.push(...batchProblems(artifact.transform, table, task, input.label).map((p) => p.message));
  else if (input.label !== undefined && !findColumn(table, input.label)) problems.push(`label column ${input.label} is missing from the batch`);
  const features = artifact.transform.features.map((f) => f.name);
  return Promise.resolve({ value: { problems, rows: table.rowCount, modelType: artifact.model.type, task, classes: artifact.model.classes, features } });
};
