import { InvalidParamsError } from '../../contract/parse';
import { createRng, shuffle } from '../random';
import { type Targets } from '../models/types';

/** The rows of one fold: which rows train, which validate (both ascending row indices). */
export interface Fold {
  readonly train: Int32Array;
  readonly validation: Int32Array;
}

const tooFew = (message: string) => new InvalidParamsError([{ field: 'tuning.folds', message }]);

/**
 * The fold (0..k-1) of each row, from `seed` alone. Classifiers' folds are stratified: each class's
 * rows are shuffled and dealt round-robin, the deal going on from class to class, so every fold
 * holds each class within one row of its share and the folds' sizes differ by one at most (as
 * scikit-learn's StratifiedKFold). Regressors' rows are shuffled and dealt the same way.
 */
export function foldOfRows(targets: Targets, k: number, seed: number): Uint8Array {
  const rows = targets.y.length;
  if (k > rows) throw tooFew(`${k} folds need at least ${k} training rows, and there are ${rows}`);
  const fold = new Uint8Array(rows);
  const rng = createRng(seed);
  if (targets.task === 'regression') {
    const order = shuffle(Int32Array.from({ length: rows }, (_, i) => i), rng);
    for (let i = 0; i < rows; i++) fold[order[i]] = i % k;
    return fold;
  }
  const { y, classes } = targets;
  const counts = new Int32Array(classes.length);
  for (let i = 0; i < rows; i++) counts[y[i]]++;
  let smallest = -1;
  for (let c = 0; c < classes.length; c++) if (counts[c] > 0 && (smallest < 0 || counts[c] < counts[smallest])) smallest = c;
  if (counts[smallest] < k) {
    throw tooFew(`${k} stratified folds need at least ${k} training rows of each class, and class ${JSON.stringify(classes[smallest])} has ${counts[smallest]}`);
  }
  // Rows grouped by class (counting sort), each group then shuffled on its own.
  const start = new Int32Array(classes.length + 1);
  for (let c = 0; c < classes.length; c++) start[c + 1] = start[c] + counts[c];
  const byClass = new Int32Array(rows);
  const at = start.slice(0, classes.length);
  for (let i = 0; i < rows; i++) byClass[at[y[i]]++] = i;
  let dealt = 0;
  for (let c = 0; c < classes.length; c++) {
    const group = shuffle(byClass.subarray(start[c], start[c + 1]), rng);
    for (let i = 0; i < group.length; i++) fold[group[i]] = (dealt + i) % k;
    dealt += group.length;
  }
  return fold;
}

/** Fold `f`'s training and validation rows: index arrays into the one split, no copy of its features. */
export function foldRows(foldOf: Uint8Array, f: number): Fold {
  let validationCount = 0;
  for (let i = 0; i < foldOf.length; i++) if (foldOf[i] === f) validationCount++;
  const train = new Int32Array(foldOf.length - validationCount);
  const validation = new Int32Array(validationCount);
  let t = 0;
  let v = 0;
  for (let i = 0; i < foldOf.length; i++) {
    if (foldOf[i] === f) validation[v++] = i;
    else train[t++] = i;
  }
  return { train, validation };
}
