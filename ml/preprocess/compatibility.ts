import { type Task } from '../../contract/params';
import { type Table, findColumn } from '../data/table';
import { type FittedTransform } from './transform';

/** One reason a batch cannot be scored (or evaluated) by a model, naming the column. */
export interface BatchProblem {
  readonly column: string;
  readonly message: string;
}

/**
 * Whether a batch fits a model's transform: every feature column present, numeric where the model
 * was fitted on numbers (a string feature reads any column by its text, as prediction requests
 * do, and a datetime feature takes text it cannot read as missing), and a label column, when
 * named, of a type the task can compare with its predictions.
 */
export function batchProblems(transform: FittedTransform, table: Table, task: Task, label?: string): BatchProblem[] {
  const problems: BatchProblem[] = [];
  for (const feature of transform.features) {
    const column = findColumn(table, feature.name);
    if (column === undefined) problems.push({ column: feature.name, message: `feature column ${feature.name} is missing from the batch` });
    else if (feature.type !== 'string' && feature.type !== 'datetime' && column.type === 'string') {
      problems.push({ column: feature.name, message: `feature column ${feature.name} holds strings; the model was trained on ${feature.type} values` });
    }
  }
  if (label === undefined) return problems;
  const column = findColumn(table, label);
  if (column === undefined) problems.push({ column: label, message: `label column ${label} is missing from the batch` });
  else if (task === 'regression' && column.type !== 'number' && column.type !== 'integer') {
    problems.push({ column: label, message: `label column ${label} is ${column.type}; a regression model needs numeric labels` });
  } else if (task === 'classification' && column.type === 'number') {
    problems.push({ column: label, message: `label column ${label} holds fractional numbers; a classifier needs string, integer or boolean labels` });
  }
  return problems;
}
