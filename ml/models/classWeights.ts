import { type ClassWeight } from '../../contract/params';
import { TrainingDataError } from './errors';

/** Most class names an error lists. */
const NAMES_SHOWN = 20;

const listed = (names: readonly string[]): string =>
  names
    .slice(0, NAMES_SHOWN)
    .map((n) => JSON.stringify(n))
    .join(', ') + (names.length > NAMES_SHOWN ? ` and ${names.length - NAMES_SHOWN} more` : '');

/**
 * The weight of each class index, or undefined when every class weighs 1. `balanced` is scikit-learn's
 * n_samples / (n_classes * count(class)) over the classes present in `y` (a class with no training
 * row keeps 1: it weighs nothing either way); an explicit map weighs the classes it names and leaves
 * the others at 1, as scikit-learn. Naming a class the target does not have is a `TrainingDataError`.
 */
export function classWeights(spec: ClassWeight | undefined, y: Int32Array, classes: readonly string[]): Float64Array | undefined {
  if (spec === undefined) return undefined;
  const weights = new Float64Array(classes.length).fill(1);
  if (spec === 'balanced') {
    const counts = new Float64Array(classes.length);
    for (let i = 0; i < y.length; i++) counts[y[i]]++;
    const present = counts.filter((c) => c > 0).length;
    for (let c = 0; c < classes.length; c++) if (counts[c] > 0) weights[c] = y.length / (present * counts[c]);
    return weights;
  }
  const index = new Map(classes.map((label, c) => [label, c]));
  const unknown = Object.keys(spec).filter((name) => !index.has(name));
  if (unknown.length > 0) {
    throw new TrainingDataError(`hyperparameters.classWeight names classes the target does not have: ${listed(unknown)} (its classes: ${listed(classes)})`);
  }
  for (const [name, weight] of Object.entries(spec)) weights[index.get(name)!] = weight;
  return weights;
}
