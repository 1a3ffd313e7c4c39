import { decodeTable } from '../../../ml/data/codec';
import { type Column } from '../../../ml/data/table';
import { DriftInputError } from '../../../ml/drift/errors';
import { countShares, expectedShares, featurePsi, predictionShares, psi } from '../../../ml/drift/psi';
import { type TrainingProfile } from '../../../ml/drift/profile';
import { type ComputeTask } from '../protocol';

export interface DriftTaskInput {
  /** The encoded batch table, as ingest stored it. */
  readonly table: Uint8Array;
  readonly profile: TrainingProfile;
  readonly predictions?: RawPredictions | { readonly classCounts: Readonly<Record<string, number>> };
}

/** The predict step's raw output: Int32 class indices into `classes` (classifiers), else Float64 values. */
export interface RawPredictions {
  readonly raw: Uint8Array;
  readonly classes?: readonly string[];
}

function rawColumn({ raw, classes }: RawPredictions): Column {
  if (classes !== undefined) return { name: 'prediction', type: 'string', codes: new Int32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4), dictionary: classes };
  return { name: 'prediction', type: 'number', values: new Float64Array(raw.buffer, raw.byteOffset, raw.byteLength / 8) };
}

export interface DriftTaskOutput {
  readonly rows: number;
  /** In the profile's feature order. */
  readonly features: { feature: string; psi: number }[];
  readonly predictionsPsi?: number;
}

function predictionsPsi(profile: TrainingProfile, predictions: NonNullable<DriftTaskInput['predictions']>): number {
  const expected = expectedShares(profile.target);
  if ('classCounts' in predictions) {
    if (profile.target.kind !== 'categorical') throw new DriftInputError('class counts were given for a regression model: pass its raw predictions');
    return psi(expected, countShares(profile.target, new Map(Object.entries(predictions.classCounts))));
  }
  return psi(expected, predictionShares(profile.target, rawColumn(predictions)));
}

/** PSI of each feature of the batch, and of its predictions, against the model version's training profile. */
export const driftTask: ComputeTask<DriftTaskInput, DriftTaskOutput> = (input, { progress }) => {
  progress({ fraction: 0, message: 'decoding the batch' });
  const table = decodeTable(input.table);
  progress({ fraction: 0.3, message: `scoring ${input.profile.features.length} features` });
  const features = featurePsi(input.profile.features, table);
  const value: DriftTaskOutput = {
    rows: table.rowCount,
    features,
    predictionsPsi: input.predictions === undefined ? undefined : predictionsPsi(input.profile, input.predictions),
  };
  return Promise.resolve({ value });
};
