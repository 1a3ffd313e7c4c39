import { type Table, type Column, findColumn } from '../data/table';
import { quantileThresholds } from '../models/binning';
import { type Targets } from '../models/types';
import { DriftInputError } from './errors';

export const PROFILE_FORMAT = 'ml-pipeline-profile/1';

/**
 * A numeric column as equal-frequency bins learnt on the training rows. `shares` has one entry per
 * value bin (`edges.length + 1`: bin b holds `edges[b-1] < v <= edges[b]`, the last everything
 * above) and, last, the share of missing values: shares are of all rows and sum to 1.
 */
export interface NumericProfile {
  readonly name: string;
  readonly kind: 'numeric';
  readonly edges: number[];
  readonly shares: number[];
  readonly missing: number;
}

/**
 * A string column (or class labels) as the frequencies of its most frequent values; every other
 * value, and values never seen at training, count as `other`. Shares are of all rows: the
 * categories', `other`'s and `missing`'s sum to 1.
 */
export interface CategoricalProfile {
  readonly name: string;
  readonly kind: 'categorical';
  readonly categories: { readonly value: string; readonly share: number }[];
  readonly other: number;
  readonly missing: number;
}

export type FeatureProfile = NumericProfile | CategoricalProfile;

/** What a model version was trained on, stored beside it in the registry, compared with each batch it scores. */
export interface TrainingProfile {
  readonly format: typeof PROFILE_FORMAT;
  /** The training rows profiled. */
  readonly rows: number;
  readonly features: FeatureProfile[];
  /** The training target: class frequencies (classifiers) or numeric bins (regressors). */
  readonly target: FeatureProfile;
  /** The held-out metrics, added when the version is registered. */
  readonly metrics?: Partial<Record<string, number>>;
}

export interface ProfileOptions {
  /** Value bins per numeric feature (fewer when the column has fewer distinct values). */
  readonly bins?: number;
  /** Categories kept per string feature; the rest is `other`. */
  readonly topCategories?: number;
}

const DEFAULT_BINS = 10;
const DEFAULT_TOP = 20;
/** Classes are few; keep them all unless a classifier has very many. */
const TOP_CLASSES = 1_000;

/** The column's values at `rows`, one column at a time so memory stays one column's worth. */
function valuesAt(values: Float64Array, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = values[rows[i]];
  return out;
}

/** Bins `values` with `edges` (missing = NaN last), as shares of all values. */
export function numericShares(values: Float64Array, edges: Float64Array): number[] {
  const counts = new Float64Array(edges.length + 2);
  const missing = edges.length + 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) {
      counts[missing]++;
      continue;
    }
    let lo = 0;
    let hi = edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (v <= edges[mid]) hi = mid;
      else lo = mid + 1;
    }
    counts[lo]++;
  }
  return Array.from(counts, (c) => (values.length === 0 ? 0 : c / values.length));
}

export function profileNumeric(name: string, values: Float64Array, bins: number): NumericProfile {
  const edges = quantileThresholds(values, bins);
  const shares = numericShares(values, edges);
  return { name, kind: 'numeric', edges: Array.from(edges), shares, missing: shares[shares.length - 1] };
}

/** Frequencies of codes (-1 missing) into a categorical profile of the `top` most frequent (ties by text). */
export function profileCodes(name: string, codes: Int32Array, dictionary: readonly string[], top: number): CategoricalProfile {
  const counts = new Float64Array(dictionary.length);
  let missing = 0;
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i];
    if (code < 0) missing++;
    else counts[code]++;
  }
  const total = codes.length;
  const share = (count: number) => (total === 0 ? 0 : count / total);
  const ranked = [...counts.keys()]
    .filter((code) => counts[code] > 0)
    .sort((a, b) => counts[b] - counts[a] || (dictionary[a] < dictionary[b] ? -1 : dictionary[a] > dictionary[b] ? 1 : 0));
  const kept = ranked.slice(0, top);
  const keptCount = kept.reduce((sum, code) => sum + counts[code], 0);
  return {
    name,
    kind: 'categorical',
    categories: kept.map((code) => ({ value: dictionary[code], share: share(counts[code]) })),
    other: share(total - missing - keptCount),
    missing: share(missing),
  };
}

function profileColumn(column: Column, rows: Int32Array, options: Required<ProfileOptions>): FeatureProfile {
  if (column.type === 'string') {
    const codes = new Int32Array(rows.length);
    for (let i = 0; i < rows.length; i++) codes[i] = column.codes[rows[i]];
    return profileCodes(column.name, codes, column.dictionary, options.topCategories);
  }
  return profileNumeric(column.name, valuesAt(column.values, rows), options.bins);
}

/** The target's distribution over the training rows: its classes' frequencies, or its numeric bins. */
export function profileTargets(name: string, targets: Targets, bins: number = DEFAULT_BINS): FeatureProfile {
  if (targets.task === 'classification') return profileCodes(name, targets.y, targets.classes, TOP_CLASSES);
  return profileNumeric(name, targets.y, bins);
}

/**
 * The profile of a table's training rows: each feature column by column (one column's values in
 * memory at a time besides the table), and the training targets (`targets.y[i]` is row `rows[i]`'s).
 */
export function profileTable(table: Table, rows: Int32Array, features: readonly string[], target: { name: string; targets: Targets }, options: ProfileOptions = {}): TrainingProfile {
  const resolved = { bins: options.bins ?? DEFAULT_BINS, topCategories: options.topCategories ?? DEFAULT_TOP };
  const profiles = features.map((name) => {
    const column = findColumn(table, name);
    if (column === undefined) throw new DriftInputError(`feature column ${name} not found`, name);
    return profileColumn(column, rows, resolved);
  });
  return { format: PROFILE_FORMAT, rows: rows.length, features: profiles, target: profileTargets(target.name, target.targets, resolved.bins) };
}
