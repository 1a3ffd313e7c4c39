import { threadErrorShape, type ThreadErrorShape } from '../../contract';
import { tableFromRecords } from '../../ml/data/records';
import { argmaxRows, hasProba, loadModel, type Matrix, type TrainedModel } from '../../ml/models';
import { applyTransformWithIssues, type RowIssues, type TransformIssues } from '../../ml/preprocess';
import { decodeModelArtifact, type ModelArtifact } from '../../storage/modelArtifact';

/** One request's rows for one model version; the artifact's bytes are shared, not copied, with every thread. */
export interface PredictTask {
  readonly key: string;
  readonly artifact: SharedArrayBuffer;
  readonly rows: Record<string, unknown>[];
}

/** What the transform had to paper over, counted by feature, and listed for each row that has any. */
export interface PredictionWarnings {
  /** Rows with any warning. */
  readonly rows: number;
  readonly unseenCategories: Record<string, number>;
  readonly missingValues: Record<string, number>;
  readonly allNullRows: number;
  /** `row` is the index into the request's `rows` (0-based, as in a validation error's `rows.3.x`). */
  readonly byRow: RowIssues[];
}

export interface PredictOutput {
  readonly predictions: (string | number)[];
  /** Classifiers: each row's probability of every class, by label; they sum to 1. */
  readonly probabilities?: Record<string, number>[];
  readonly warnings: PredictionWarnings;
}

export type PredictAnswer = ({ readonly ok: true } & PredictOutput) | { readonly ok: false; readonly error: ThreadErrorShape };

interface Loaded {
  readonly artifact: ModelArtifact;
  readonly model: TrainedModel;
}

/** Decoded versions of this thread; versions never change, so they are only ever evicted for room. */
const loaded = new Map<string, Loaded>();
const MAX_LOADED = 32;

function load(task: PredictTask): Loaded {
  let found = loaded.get(task.key);
  if (!found) {
    const artifact = decodeModelArtifact(Buffer.from(task.artifact));
    found = { artifact, model: loadModel(artifact.model) };
    if (loaded.size >= MAX_LOADED) loaded.delete(loaded.keys().next().value as string);
    loaded.set(task.key, found);
  }
  return found;
}

/** Labels from the probabilities, as batch inference does, so the two always agree. */
function scored(model: TrainedModel, classes: readonly string[] | undefined, x: Matrix): Pick<PredictOutput, 'predictions' | 'probabilities'> {
  if (!classes) return { predictions: Array.from(model.predict(x)) };
  if (!hasProba(model)) return { predictions: Array.from(model.predict(x), (c) => classes[c]) };
  const k = classes.length;
  const proba = model.predictProba(x);
  const labels = argmaxRows(proba, x.rows, k);
  const probabilities = Array.from({ length: x.rows }, (_, r) => Object.fromEntries(classes.map((label, c) => [label, proba[r * k + c]])));
  return { predictions: Array.from(labels, (c) => classes[c]), probabilities };
}

function warningsOf(issues: TransformIssues): PredictionWarnings {
  const { rows, ...counts } = issues;
  return { rows: rows.length, ...counts, byRow: rows };
}

/** A prediction thread of the API's pool: the saved transform, then the model, off the API's event loop. */
export default function predict(task: PredictTask): PredictAnswer {
  try {
    const { artifact, model } = load(task);
    const { x, issues } = applyTransformWithIssues(artifact.transform, tableFromRecords(task.rows));
    return { ok: true, ...scored(model, artifact.model.classes, x), warnings: warningsOf(issues) };
  } catch (error) {
    return { ok: false, error: threadErrorShape(error) };
  }
}
