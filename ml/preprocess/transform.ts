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

export type FeatureTransform = NumericFeature | CategoricalFeature;

/** Feature transforms learnt from the training rows, as JSON-safe data stored with the model. */
export interface FittedTransform {
  readonly version: 1;
  /** The input features with their training types, in input order. */
  readonly features: FeatureTransform[];
  /** The output columns, e.g. `sepal_length`, `color=red`, `color=__other__`. */
  readonly featureNames: string[];
}

export function outputNames(feature: FeatureTransform): string[] {
  if (feature.type !== 'string' || feature.encoding === 'ordinal') return [feature.name];
  const names = feature.categories.map((category) => `${feature.name}=${category}`);
  if (feature.other) names.push(`${feature.name}=${OTHER_CATEGORY}`);
  return names;
}
