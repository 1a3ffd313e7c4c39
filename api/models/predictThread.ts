import { threadErrorShape, type ThreadErrorShape } from '../../contract';
import { tableFromRecords } from '../../ml/data/records';
import { loadModel } from '../../ml/models';
import { type TrainedModel } from '../../ml/models/types';
import { applyTransform } from '../../ml/preprocess';
import { decodeModelArtifact, type ModelArtifact } from '../../storage/modelArtifact';

/** One request's rows for one model version; the artifact's bytes are shared, not copied, with every thread. */
export interface PredictTask {
  readonly key: string;
  readonly artifact: SharedArrayBuffer;
  readonly rows: Record<string, unknown>[];
}

export type PredictAnswer = { readonly ok: true; readonly predictions: (string | number)[] } | { readonly ok: false; readonly error: ThreadErrorShape };

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

/** A prediction thread of the API's pool: the saved transform, then the model, off the API's event loop. */
export default function predict(task: PredictTask): PredictAnswer {
  try {
    const { artifact, model } = load(task);
    const raw = model.predict(applyTransform(artifact.transform, tableFromRecords(task.rows)));
    const classes = artifact.model.classes;
    return { ok: true, predictions: classes ? Array.from(raw, (c) => classes[c]) : Array.from(raw) };
  } catch (error) {
    return { ok: false, error: threadErrorShape(error) };
  }
}
