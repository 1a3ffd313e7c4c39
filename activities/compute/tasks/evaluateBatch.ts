import { type Task } from '../../../contract';
import { decodeTable } from '../../../ml/data/codec';
import { cellValue, findColumn, isMissing } from '../../../ml/data/table';
import { PreprocessError } from '../../../ml/data/errors';
import { classificationMetrics, classReport, regressionMetrics } from '../../../ml/metrics';
import { type ComputeTask } from '../protocol';
import { type EvaluateTaskOutput } from './evaluate';

export interface EvaluateBatchTaskInput {
  readonly table: Uint8Array;
  readonly label: string;
  readonly task: Task;
  readonly classes?: readonly string[];
  /** What predict returned: class indices (Int32) or values (Float64), one per row. */
  readonly predicted: Uint8Array;
}

/**
 * The model's metrics on a labelled batch, from the predictions the predict step made. Rows
 * without a label are left out; a label the model never saw counts as a miss of a class of its own.
 */
export const evaluateBatchTask: ComputeTask<EvaluateBatchTaskInput, EvaluateTaskOutput> = (input, { progress }) => {
  const table = decodeTable(input.table);
  const column = findColumn(table, input.label);
  if (!column) throw new PreprocessError(`label column ${input.label} not found`, input.label);
  const labelled: number[] = [];
  for (let row = 0; row < table.rowCount; row++) if (!isMissing(column, row)) labelled.push(row);
  if (labelled.length === 0) throw new PreprocessError(`label column ${input.label} has no values`, input.label);
  progress({ fraction: 0.5, message: `comparing ${labelled.length} labels` });
  const bytes = input.predicted;
  let metrics: Record<string, number>;
  let evaluation: Record<string, unknown>;
  if (input.task === 'classification') {
    const predicted = new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    const classes = [...(input.classes ?? [])];
    const index = new Map(classes.map((c, i) => [c, i]));
    const y = Int32Array.from(labelled, (row) => {
      const text = String(cellValue(column, row));
      let i = index.get(text);
      if (i === undefined) index.set(text, (i = classes.push(text) - 1));
      return i;
    });
    const yPred = Int32Array.from(labelled, (row) => predicted[row]);
    const m = classificationMetrics(y, yPred, classes);
    metrics = { accuracy: m.accuracy, precision_macro: m.precision_macro, recall_macro: m.recall_macro, f1_macro: m.f1_macro, balanced_accuracy: m.balanced_accuracy };
    evaluation = { task: input.task, labelledRows: labelled.length, metrics, classes, confusionMatrix: m.confusionMatrix, perClass: m.perClass, classReport: classReport(y, yPred, m) };
  } else {
    if (column.type !== 'number' && column.type !== 'integer') throw new PreprocessError(`label column ${input.label} is ${column.type}: a regression model needs numeric labels`, input.label);
    const predicted = new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
    const y = Float64Array.from(labelled, (row) => column.values[row]);
    metrics = { ...regressionMetrics(y, Float64Array.from(labelled, (row) => predicted[row])) };
    evaluation = { task: input.task, labelledRows: labelled.length, metrics };
  }
  return Promise.resolve({ value: { evaluation: JSON.stringify(evaluation, null, 2), metrics } });
};
