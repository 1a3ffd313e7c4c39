import { type Column, type Table, findColumn } from '../data/table';
import { DriftInputError } from './errors';
import { numericShares, type CategoricalProfile, type FeatureProfile } from './profile';

/** Stands in for an empty bin on either side, so ln(a/e) stays finite. */
export const PSI_EPSILON = 1e-4;

/**
 * Population stability index of an actual distribution against the expected (training) one, over
 * the same bins: PSI = sum over bins i of (a_i - e_i) * ln(a_i / e_i), where a_i and e_i are the
 * shares of the rows in bin i, each raised to at least PSI_EPSILON. 0 means the same
 * distribution; by common convention < 0.1 is stable, 0.1-0.25 a moderate shift, > 0.25 a large one.
 */
export function psi(expected: readonly number[], actual: readonly number[], epsilon: number = PSI_EPSILON): number {
  if (expected.length !== actual.length) throw new RangeError(`psi over ${expected.length} expected and ${actual.length} actual bins`);
  let sum = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(expected[i], epsilon);
    const a = Math.max(actual[i], epsilon);
    sum += (a - e) * Math.log(a / e);
  }
  return sum;
}

/** The profile's shares in bin order: numeric value bins then missing; categories, other, missing. */
export function expectedShares(profile: FeatureProfile): number[] {
  return profile.kind === 'numeric' ? profile.shares : [...profile.categories.map((c) => c.share), profile.other, profile.missing];
}

/** Label counts (e.g. predicted classes) as shares over a categorical profile's bins. */
export function countShares(profile: CategoricalProfile, counts: ReadonlyMap<string, number>): number[] {
  const index = new Map(profile.categories.map((c, i) => [c.value, i]));
  const bins = new Float64Array(profile.categories.length + 2);
  let total = 0;
  for (const [label, count] of counts) {
    bins[index.get(label) ?? profile.categories.length] += count;
    total += count;
  }
  return Array.from(bins, (c) => (total === 0 ? 0 : c / total));
}

function stringShares(profile: CategoricalProfile, column: Extract<Column, { type: 'string' }>): number[] {
  const perCode = new Float64Array(column.dictionary.length);
  let missing = 0;
  for (let i = 0; i < column.codes.length; i++) {
    const code = column.codes[i];
    if (code < 0) missing++;
    else perCode[code]++;
  }
  const counts = new Map<string, number>();
  column.dictionary.forEach((value, code) => counts.set(value, (counts.get(value) ?? 0) + perCode[code]));
  const shares = countShares(profile, counts);
  const rows = column.codes.length;
  if (rows === 0) return shares;
  // countShares spreads over the non-missing rows; rescale to all rows and add the missing share.
  const present = (rows - missing) / rows;
  return [...shares.slice(0, -1).map((s) => s * present), missing / rows];
}

/** A batch column's shares over its profile's bins. */
export function columnShares(profile: FeatureProfile, column: Column): number[] {
  if (profile.kind === 'numeric') {
    if (column.type === 'string') throw new DriftInputError(`column ${profile.name} holds text in the batch but numbers at training`, profile.name);
    return numericShares(column.values, Float64Array.from(profile.edges));
  }
  if (column.type !== 'string') throw new DriftInputError(`column ${profile.name} holds numbers in the batch but text at training`, profile.name);
  return stringShares(profile, column);
}

/** PSI of every profiled feature of a batch table, in the profile's order. */
export function featurePsi(profiles: readonly FeatureProfile[], table: Table): { feature: string; psi: number }[] {
  return profiles.map((profile) => {
    const column = findColumn(table, profile.name);
    if (column === undefined) throw new DriftInputError(`the batch has no column ${profile.name}, a feature of the model`, profile.name);
    return { feature: profile.name, psi: psi(expectedShares(profile), columnShares(profile, column)) };
  });
}

/** A predictions column's shares over the training target's bins: class labels by their text, numbers by the target's bins. */
export function predictionShares(target: FeatureProfile, column: Column): number[] {
  if (target.kind === 'numeric' || column.type === 'string') return columnShares(target, column);
  const counts = new Map<string, number>();
  for (let i = 0; i < column.values.length; i++) {
    const v = column.values[i];
    if (Number.isNaN(v)) continue;
    const label = column.type === 'boolean' ? String(v === 1) : String(v);
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return countShares(target, counts);
}
