import { type ModelType } from '../../contract/params';
import { TaskMismatchError, TooFewClassesError, TrainingDataError } from './errors';
import { type BinnedMatrix } from './binning';
import { type Matrix, type Targets } from './types';

export type ClassificationTargets = Extract<Targets, { task: 'classification' }>;
export type RegressionTargets = Extract<Targets, { task: 'regression' }>;

/** Dense features (finite values required) or binned ones (every bin is a value). */
export type Features = Matrix | BinnedMatrix;

export const isBinned = (x: Features): x is BinnedMatrix => 'bins' in x;

function checkFeatures(x: Features, targetCount: number): void {
  if (x.rows === 0) throw new TrainingDataError('there are no training rows');
  if (x.cols === 0) throw new TrainingDataError('there are no feature columns');
  if (isBinned(x)) {
    if (x.bins.length !== x.rows * x.cols) throw new TrainingDataError(`the binned features hold ${x.bins.length} values, not rows x cols = ${x.rows * x.cols}`);
    if (targetCount !== x.rows) throw new TrainingDataError(`there are ${x.rows} feature rows but ${targetCount} targets`);
    return;
  }
  if (x.data.length !== x.rows * x.cols) {
    throw new TrainingDataError(`the feature matrix holds ${x.data.length} values, not rows x cols = ${x.rows * x.cols}`);
  }
  if (targetCount !== x.rows) throw new TrainingDataError(`there are ${x.rows} feature rows but ${targetCount} targets`);
  for (let i = 0; i < x.data.length; i++) {
    if (!Number.isFinite(x.data[i])) {
      const row = Math.floor(i / x.cols);
      throw new TrainingDataError(`feature ${i % x.cols} of row ${row} is ${x.data[i]}; features must be finite (impute them first)`);
    }
  }
}

/** The targets of a classifier, once `x` and they are fit to train it; else throws a `TrainingDataError` (or subclass). */
export function checkClassificationData(type: ModelType, x: Features, targets: Targets): ClassificationTargets {
  if (targets.task !== 'classification') throw new TaskMismatchError(`${type} needs classification targets, got regression targets`);
  checkFeatures(x, targets.y.length);
  const classCount = targets.classes.length;
  const present = new Uint8Array(classCount);
  let distinct = 0;
  for (let i = 0; i < targets.y.length; i++) {
    const c = targets.y[i];
    if (!(c >= 0 && c < classCount)) {
      throw new TrainingDataError(`the target of row ${i} is class index ${c}, outside [0, ${classCount})`);
    }
    if (present[c] === 0) {
      present[c] = 1;
      distinct++;
    }
  }
  if (distinct < 2) {
    throw new TooFewClassesError(`a classifier needs at least 2 classes in its targets, got ${distinct} (of ${classCount} labels)`);
  }
  return targets;
}

/** The targets of a regressor, once `x` and they are fit to train it; else throws a `TrainingDataError` (or subclass). */
export function checkRegressionData(type: ModelType, x: Features, targets: Targets): RegressionTargets {
  if (targets.task !== 'regression') throw new TaskMismatchError(`${type} needs regression targets, got classification targets`);
  checkFeatures(x, targets.y.length);
  for (let i = 0; i < targets.y.length; i++) {
    if (!Number.isFinite(targets.y[i])) throw new TrainingDataError(`the target of row ${i} is ${targets.y[i]}; targets must be finite`);
  }
  return targets;
}
