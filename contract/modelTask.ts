import { type ModelType } from './params';

export type Task = 'classification' | 'regression';

/** What a model type learns: a classifier's labels or a regressor's numbers. */
export function taskOf(type: ModelType): Task {
  return type === 'random_forest_classifier' || type === 'logistic_regression' ? 'classification' : 'regression';
}
