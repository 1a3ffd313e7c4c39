import { decodeTable } from '../../../ml/data/codec';
import { predictionsWriter, type OutputColumn } from '../../../ml/data/output';
import { findColumn, type Column, type Table } from '../../../ml/data/table';
import { argmaxRows, hasProba, loadModel, type Matrix, type TrainedModel } from '../../../ml/models';
import { applyTransform, IssueTally, type IssueCounts } from '../../../ml/preprocess';
import { ROW_WARNINGS_COLUMN, type PredictionFormat } from '../../../contract';
import { decodeModelArtifact } from '../../../storage/modelArtifact';
import { type ComputeTask } from '../protocol';

export interface PredictTaskInput {
  readonly model: Uint8Array;
  /** The ingested table's encoded bytes. */
  readonly table: Uint8Array;
  readonly passThrough: readonly string[];
  readonly format: PredictionFormat;
  /** The local file the predictions are written to; the activity stores it. */
  readonly path: string;
  /** Rows scored at a time: bounds the feature matrix and the output slice. */
  readonly chunkRows: number;
  /** Write each row's issues (missing features, unseen categories) as a `warnings` column. */
  readonly rowWarnings?: boolean;
}

export interface PredictTaskOutput {
  readonly rows: number;
  /** Class labels (classifiers), in the order of the probability columns. */
  readonly classes?: readonly string[];
  /** Every row's class index (Int32) or value (Float64), as raw bytes: what a labelled batch is evaluated on. */
  readonly predicted: Uint8Array;
  /** What the saved transform papered over, counted over the whole batch. */
  readonly issues: IssueCounts;
}

function passThroughSlice(column: Column, start: number, end: number): OutputColumn {
  if (column.type === 'string') {
    const values = Array.from(column.codes.subarray(start, end), (code) => (code < 0 ? null : column.dictionary[code]));
    return { name: column.name, type: 'string', values };
  }
  if (column.type === 'boolean') {
    return { name: column.name, type: 'boolean', values: Array.from(column.values.subarray(start, end), (v) => (Number.isNaN(v) ? null : v === 1)) };
  }
  return { name: column.name, type: 'number', values: column.values.subarray(start, end) };
}

function rangeOf(start: number, end: number): Int32Array {
  const rows = new Int32Array(end - start);
  for (let i = 0; i < rows.length; i++) rows[i] = start + i;
  return rows;
}

/** One chunk's prediction columns: the label (or value) and, for classifiers, one probability per class. */
function scoreChunk(model: TrainedModel, classes: readonly string[] | undefined, x: Matrix, predicted: Int32Array | Float64Array, start: number): OutputColumn[] {
  if (!classes) {
    const values = model.predict(x) as Float64Array;
    (predicted as Float64Array).set(values, start);
    return [{ name: 'prediction', type: 'number', values }];
  }
  const k = classes.length;
  const proba = hasProba(model) ? model.predictProba(x) : undefined;
  const labels = proba ? argmaxRows(proba, x.rows, k) : (model.predict(x) as Int32Array);
  (predicted as Int32Array).set(labels, start);
  const columns: OutputColumn[] = [{ name: 'prediction', type: 'string', values: Array.from(labels, (c) => classes[c]) }];
  if (proba) {
    classes.forEach((label, c) => {
      const values = new Float64Array(x.rows);
      for (let r = 0; r < x.rows; r++) values[r] = proba[r * k + c];
      columns.push({ name: `probability_${label}`, type: 'number', values });
    });
  }
  return columns;
}

function passThroughColumns(table: Table, names: readonly string[]): Column[] {
  // Validation has checked that they exist.
  return names.map((name) => findColumn(table, name)!);
}

/**
 * Scores the batch chunk by chunk with the model's saved transform and writes each chunk to the
 * predictions file at once, so memory holds the table, one chunk's features and the raw predictions.
 */
export const predictTask: ComputeTask<PredictTaskInput, PredictTaskOutput> = async (input, { progress }) => {
  const artifact = decodeModelArtifact(input.model);
  const model = loadModel(artifact.model);
  const classes = artifact.model.classes;
  progress({ fraction: 0, message: 'decoding the batch' });
  const table = decodeTable(input.table);
  const carried = passThroughColumns(table, input.passThrough);
  const predicted = classes ? new Int32Array(table.rowCount) : new Float64Array(table.rowCount);
  const writer = await predictionsWriter(input.format, input.path);
  const tally = new IssueTally(artifact.transform);
  for (let start = 0; start < table.rowCount; start += input.chunkRows) {
    const end = Math.min(table.rowCount, start + input.chunkRows);
    const rows = rangeOf(start, end);
    const x = applyTransform(artifact.transform, table, rows);
    const scored = scoreChunk(model, classes, x, predicted, start);
    const warnings = tally.chunk(table, rows);
    const extra: OutputColumn[] = input.rowWarnings ? [{ name: ROW_WARNINGS_COLUMN, type: 'string', values: warnings }] : [];
    await writer.write([...carried.map((c) => passThroughSlice(c, start, end)), ...scored, ...extra], end - start);
    progress({ fraction: end / table.rowCount, message: `${end} of ${table.rowCount} rows scored` });
  }
  await writer.close();
  const bytes = new Uint8Array(predicted.buffer);
  return { value: { rows: table.rowCount, classes, predicted: bytes, issues: tally.counts() }, transfer: [predicted.buffer] };
};
