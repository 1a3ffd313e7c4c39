import { type LinearRegressionParams } from '../../contract/params';
import { FeatureMismatchError, ModelFormatError, SingularMatrixError } from './errors';
import { choleskySolve } from './cholesky';
import { columnScaling } from './standardize';
import { checkRegressionData } from './trainingData';
import { type Matrix, type ProgressCallback, type SerializedModel, type Targets, type TrainedModel } from './types';

/** Added in turn to the unit diagonal of the standardized system while it is singular (e.g. collinear one-hot columns). */
const JITTERS = [0, 1e-10, 1e-8, 1e-6];

export interface LinearRegressionState {
  readonly coefficients: number[];
  readonly intercept: number;
}

export class LinearRegressionModel implements TrainedModel {
  readonly type = 'linear_regression';

  constructor(
    readonly featureCount: number,
    readonly coefficients: Float64Array,
    readonly intercept: number,
  ) {}

  predict(x: Matrix): Float64Array {
    if (x.cols !== this.featureCount) {
      throw new FeatureMismatchError(`the model was trained on ${this.featureCount} features, got ${x.cols}`);
    }
    const out = new Float64Array(x.rows);
    for (let r = 0; r < x.rows; r++) {
      let v = this.intercept;
      for (let j = 0; j < x.cols; j++) v += this.coefficients[j] * x.data[r * x.cols + j];
      out[r] = v;
    }
    return out;
  }

  serialize(): SerializedModel {
    const state: LinearRegressionState = { coefficients: Array.from(this.coefficients), intercept: this.intercept };
    return { type: this.type, featureCount: this.featureCount, state };
  }

  static fromSerialized(serialized: SerializedModel): LinearRegressionModel {
    const state = serialized.state as Partial<LinearRegressionState> | null;
    const c = state?.coefficients;
    if (
      !Array.isArray(c) ||
      c.length !== serialized.featureCount ||
      !c.every((v) => typeof v === 'number' && Number.isFinite(v)) ||
      typeof state?.intercept !== 'number' ||
      !Number.isFinite(state.intercept)
    ) {
      throw new ModelFormatError(`linear regression state must hold ${serialized.featureCount} coefficients and an intercept`);
    }
    return new LinearRegressionModel(serialized.featureCount, Float64Array.from(c), state.intercept);
  }
}

/**
 * Minimises |y - intercept - X w|^2 + l2 |w|^2 through the normal equations. Columns are centred
 * (so the intercept is not penalised) and scaled to unit variance (so the Gram matrix is well
 * conditioned and the jitter is relative) before the Cholesky solve.
 */
export async function trainLinearRegression(
  params: LinearRegressionParams,
  x: Matrix,
  targets: Targets,
  onProgress?: ProgressCallback,
): Promise<LinearRegressionModel> {
  const { y } = checkRegressionData('linear_regression', x, targets);
  const { rows, cols, data } = x;
  const { mean, scale, constant } = columnScaling(x);
  let yMean = 0;
  for (let r = 0; r < rows; r++) yMean += y[r];
  yMean /= rows;

  // Gram matrix and right-hand side of the standardized problem, divided by `rows`.
  const gram = new Float64Array(cols * cols);
  const rhs = new Float64Array(cols);
  const z = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) z[j] = constant[j] ? 0 : (data[r * cols + j] - mean[j]) / scale[j];
    const t = y[r] - yMean;
    for (let j = 0; j < cols; j++) {
      rhs[j] += z[j] * t;
      for (let k = 0; k <= j; k++) gram[j * cols + k] += z[j] * z[k];
    }
  }
  for (let j = 0; j < cols; j++) {
    rhs[j] /= rows;
    for (let k = 0; k <= j; k++) {
      gram[j * cols + k] /= rows;
      gram[k * cols + j] = gram[j * cols + k];
    }
    // The penalty l2 |w|^2 on raw coefficients w = w' / scale, divided by rows like the rest.
    gram[j * cols + j] += params.l2 / (rows * scale[j] * scale[j]);
    // A constant column cannot explain anything: an identity row gives it coefficient 0.
    if (constant[j]) gram[j * cols + j] = 1;
  }

  let solution: Float64Array | undefined;
  for (const jitter of JITTERS) {
    const system = gram.slice();
    for (let j = 0; j < cols; j++) system[j * cols + j] += jitter;
    solution = choleskySolve(system, rhs, cols);
    if (solution) break;
  }
  if (!solution) {
    throw new SingularMatrixError(
      `X^T X is singular even with a ${JITTERS[JITTERS.length - 1]} relative ridge: some features are exact copies or combinations of others; drop them or set l2 > 0`,
    );
  }

  const coefficients = new Float64Array(cols);
  let intercept = yMean;
  for (let j = 0; j < cols; j++) {
    coefficients[j] = solution[j] / scale[j];
    intercept -= coefficients[j] * mean[j];
  }
  if (onProgress) await onProgress(1, 1);
  return new LinearRegressionModel(cols, coefficients, intercept);
}
