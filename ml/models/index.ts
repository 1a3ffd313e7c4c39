import { type ModelSpec } from '../../contract/params';
import { ModelFormatError, TrainingDataError } from './errors';
import { LinearRegressionModel, trainLinearRegression } from './linearRegression';
import { LogisticRegressionModel, trainLogisticRegression } from './logisticRegression';
import { RandomForestModel, trainRandomForest, type ForestHooks } from './randomForest';
import { isBinned, type Features } from './trainingData';
import { type ProgressCallback, type SerializedModel, type Targets, type TrainedModel } from './types';

export * from './errors';
export { type Matrix, type ProgressCallback, type SerializedModel, type Targets, type TrainedModel } from './types';
export { LinearRegressionModel } from './linearRegression';
export { LogisticRegressionModel } from './logisticRegression';
export { mergeForests, RandomForestModel, type ForestHooks } from './randomForest';
export { decodeForest, encodeForest, type ForestState } from './forestCodec';
export { isBinned, type Features } from './trainingData';
export { argmaxRows, hasProba, type Probabilistic } from './probabilities';
export { representativeMatrix, type BinnedMatrix } from './binning';

/**
 * Trains the model `spec` describes (hyperparameters already parsed, defaults filled) on `x`;
 * forests can resume from checkpointed trees and hand out new ones (`forest`).
 * Throws a `TrainingDataError` (or subclass) when the data cannot train it.
 */
export async function trainModel(spec: ModelSpec, x: Features, targets: Targets, onProgress?: ProgressCallback, forest?: ForestHooks): Promise<TrainedModel> {
  if (spec.type === 'random_forest_classifier' || spec.type === 'random_forest_regressor') {
    return trainRandomForest(spec.type, spec.hyperparameters, x, targets, onProgress, forest);
  }
  if (isBinned(x)) throw new TrainingDataError(`${spec.type} needs dense features, got binned ones (prepared for a forest)`);
  return spec.type === 'logistic_regression'
    ? trainLogisticRegression(spec.hyperparameters, x, targets, onProgress)
    : trainLinearRegression(spec.hyperparameters, x, targets, onProgress);
}

/** Restores a model from its `serialize()` output (also after a JSON round trip); throws `ModelFormatError` if it is not one. */
export function loadModel(serialized: SerializedModel): TrainedModel {
  if (typeof serialized !== 'object' || serialized === null) throw new ModelFormatError('a serialized model must be an object');
  if (!Number.isInteger(serialized.featureCount) || serialized.featureCount < 1) {
    throw new ModelFormatError(`featureCount must be a positive integer, got ${String(serialized.featureCount)}`);
  }
  if (serialized.classes !== undefined && !(Array.isArray(serialized.classes) && serialized.classes.every((c) => typeof c === 'string'))) {
    throw new ModelFormatError('classes must be an array of strings');
  }
  const type: string = serialized.type;
  switch (serialized.type) {
    case 'random_forest_classifier':
    case 'random_forest_regressor':
      return RandomForestModel.fromSerialized(serialized);
    case 'logistic_regression':
      return LogisticRegressionModel.fromSerialized(serialized);
    case 'linear_regression':
      return LinearRegressionModel.fromSerialized(serialized);
    default:
      throw new ModelFormatError(`unknown model type ${type}`);
  }
}
