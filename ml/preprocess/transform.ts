import { type DatetimePart, type DatetimeSource } from './datetime';

/** The fill of missing categories under `categoricalImpute: 'missing_category'` (a category of its own). */
export const MISSING_CATEGORY = '__missing__';
/** Output column name suffix shared by categories pooled beyond `maxCategories`, and by unseen ones. */
export const OTHER_CATEGORY = '__other__';

export interface NumericFeature {
  readonly name: string;
  /** Booleans are numbers 0/1 and take the same steps. */
  readonly type: 'number' | 'integer' | 'boolean';
  /** The fill of a missing value. */
  readonly fill: number;
  /** Output = (filled value - center) / scale. */
  readonly center: number;
  readonly scale: number;
}

export interface CategoricalFeature {
  readonly name: string;
  readonly type: 'string';
  /** The category a missing value takes. */
  readonly fill: string;
  readonly encoding: 'one_hot' | 'ordinal';
  /** Sorted. one_hot: one output column each; ordinal: the code of a category is its index. */
  readonly categories: string[];
  /**
   * one_hot: an extra last column `name=__other__` holds the categories left out by
   * `maxCategories` and those never seen in training; ordinal (forests): the code
   * `categories.length` holds them. Without it an unseen category is all zeros (one_hot) or -1 (ordinal).
   */
  readonly other: boolean;
}

/** One number derived from a datetime column, imputed and scaled like a numeric feature. */
export interface DatetimePartTransform {
  readonly part: DatetimePart;
  readonly fill: number;
  readonly center: number;
  readonly scale: number;
}

/**
 * A datetime column as numbers: the parts that varied in the training rows (year, month, day of
 * month, day of week, hour) and always the days since 1970-01-01. A cell that spells no datetime
 * is missing, so it takes each part's fill.
 */
export interface DatetimeFeature {
  readonly name: string;
  readonly type: 'datetime';
  readonly source: DatetimeSource;
  /** In output order. */
  readonly parts: DatetimePartTransform[];
}

export type FeatureTransform = NumericFeature | CategoricalFeature | DatetimeFeature;

/** Feature transforms learnt from the training rows, as JSON-safe data stored with the model. */
export interface FittedTransform {
  readonly version: 1;
  /** The input features with their training types, in input order. */
  readonly features: FeatureTransform[];
  /** The output columns, e.g. `sepal_length`, `color=red`, `color=__other__`, `date.month`. */
  readonly featureNames: string[];
}

export function outputNames(feature: FeatureTransform): string[] {
  if (feature.type === 'datetime') return feature.parts.map(({ part }) => `${feature.name}.${part}`);
  if (feature.type !== 'string' || feature.encoding === 'ordinal') return [feature.name];
  const names = feature.categories.map((category) => `${feature.name}=${category}`);
  if (feature.other) names.push(`${feature.name}=${OTHER_CATEGORY}`);
  return names;
}
