import { type ModelType } from '../../contract/params';

/** A dense row-major matrix of features. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** Targets: class indices into `classes` for classifiers, numbers for regressors. */
export type Targets =
  | { readonly task: 'classification'; readonly classes: readonly string[]; readonly y: Int32Array }
  | { readonly task: 'regression'; readonly y: Float64Array };

/** Called between units of training work (a tree, a batch of iterations); awaiting it yields the event loop. */
export type ProgressCallback = (done: number, total: number) => Promise<void>;

/** A trained model as JSON-safe data, so it can be stored, loaded and used to predict. */
export interface SerializedModel {
  readonly type: ModelType;
  readonly featureCount: number;
  /** Present for classifiers: the label of each class index. */
  readonly classes?: readonly string[];
  readonly state: unknown;
}

export interface TrainedModel {
  readonly type: ModelType;
  /** Class indices (classifiers) or values (regressors), one per row. */
  predict(x: Matrix): Int32Array | Float64Array;
  serialize(): SerializedModel;
}
