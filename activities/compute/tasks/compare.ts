import { type SplitSpec, type Task } from '../../../contract';
import { decodeTable } from '../../../ml/data/codec';
import { scoreOnRows, type Scorer } from '../../../ml/heldOutScore';
import { loadModel } from '../../../ml/models';
import { batchProblems, selectTargets, splitTable } from '../../../ml/preprocess';
import { decodeModelArtifact, type ModelArtifact } from '../../../storage/modelArtifact';
import { type ComputeTask } from '../protocol';

export interface CompareTaskInput {
  /** The encoded table preprocess split (the validated one when validation set rows aside). */
  readonly table: Uint8Array;
  readonly target: string;
  readonly task: Task;
  readonly split: SplitSpec;
  /** The run's model artifact and the production version's. */
  readonly candidate: Uint8Array;
  readonly production: Uint8Array;
}

export interface CompareTaskOutput {
  /** Held-out rows both models were scored on. */
  readonly rows: number;
  readonly candidate: Record<string, number>;
  /** Absent when the production version cannot score these rows; `problem` says why. */
  readonly production?: Record<string, number>;
  readonly problem?: string;
}

const scorerOf = (artifact: ModelArtifact): Scorer => ({ model: loadModel(artifact.model), transform: artifact.transform, classes: artifact.model.classes });

/** Why a production artifact cannot be scored on this run's rows (another task or target, columns it needs that are missing), or undefined. */
function incompatibility(production: ModelArtifact, input: CompareTaskInput, table: ReturnType<typeof decodeTable>): string | undefined {
  if (production.task !== input.task) return `it is a ${production.task} model and this run trains a ${input.task} one`;
  if (production.target !== input.target) return `it predicts ${production.target} and this run predicts ${input.target}`;
  const problems = batchProblems(production.transform, table, input.task);
  if (problems.length === 0) return undefined;
  return problems.slice(0, 3).map((p) => p.message).join('; ') + (problems.length > 3 ? ` (and ${problems.length - 3} more)` : '');
}

/**
 * Scores the run's model and the production version on the run's held-out rows: the split is
 * computed again from the same table and split spec (so the very rows preprocess held out), and
 * each model reads the raw rows through its own saved transform, as it would when serving.
 */
export const compareTask: ComputeTask<CompareTaskInput, CompareTaskOutput> = (input, { progress }) => {
  progress({ fraction: 0, message: 'decoding the table' });
  const table = decodeTable(input.table);
  const { encoded, test } = splitTable(table, input.target, input.task, input.split);
  const targets = selectTargets(encoded, test);
  const production = decodeModelArtifact(input.production);
  progress({ fraction: 0.2, message: `scoring the new model on ${test.length} held-out rows` });
  const candidate = scoreOnRows(scorerOf(decodeModelArtifact(input.candidate)), table, test, targets);
  const problem = incompatibility(production, input, table);
  if (problem !== undefined) return Promise.resolve({ value: { rows: test.length, candidate, problem } });
  progress({ fraction: 0.6, message: `scoring the production version on ${test.length} held-out rows` });
  return Promise.resolve({ value: { rows: test.length, candidate, production: scoreOnRows(scorerOf(production), table, test, targets) } });
};
