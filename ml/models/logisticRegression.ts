import { type LogisticRegressionParams } from '../../contract/params';
import { classWeights } from './classWeights';
import { FeatureMismatchError, ModelFormatError } from './errors';
import { lossAndGradient, softmaxRow } from './softmax';
import { columnScaling, standardize } from './standardize';
import { checkClassificationData } from './trainingData';
import { type Matrix, type ProgressCallback, type SerializedModel, type Targets, type TrainedModel } from './types';

const MOMENTUM = 0.9;

export interface LogisticRegressionState {
  /** `coefficients[c * featureCount + j]`: weight of feature j in the logit of class c (raw features). */
  readonly coefficients: number[];
  readonly intercepts: number[];
  readonly iterations: number;
  readonly loss: number;
}

/** Multinomial (softmax) logistic regression; two classes is the binary case. */
export class LogisticRegressionModel implements TrainedModel {
  readonly type = 'logistic_regression';

  constructor(
    readonly featureCount: number,
    readonly classes: readonly string[],
    private readonly coefficients: Float64Array,
    private readonly intercepts: Float64Array,
    /** Iterations run and the final penalised loss, for reporting. */
    readonly iterations: number,
    readonly loss: number,
  ) {}

  /** Class probabilities, row-major (`classes.length` per row). */
  predictProba(x: Matrix): Float64Array {
    if (x.cols !== this.featureCount) {
      throw new FeatureMismatchError(`the model was trained on ${this.featureCount} features, got ${x.cols}`);
    }
    const k = this.classes.length;
    const out = new Float64Array(x.rows * k);
    for (let r = 0; r < x.rows; r++) softmaxRow(x.data, r * x.cols, x.cols, this.coefficients, this.intercepts, out, r * k);
    return out;
  }

  predict(x: Matrix): Int32Array {
    const k = this.classes.length;
    const proba = this.predictProba(x);
    const labels = new Int32Array(x.rows);
    for (let r = 0; r < x.rows; r++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (proba[r * k + c] > proba[r * k + best]) best = c;
      labels[r] = best;
    }
    return labels;
  }

  serialize(): SerializedModel {
    const state: LogisticRegressionState = {
      coefficients: Array.from(this.coefficients),
      intercepts: Array.from(this.intercepts),
      iterations: this.iterations,
      loss: this.loss,
    };
    return { type: this.type, featureCount: this.featureCount, classes: [...this.classes], state };
  }

  static fromSerialized(serialized: SerializedModel): LogisticRegressionModel {
    const { featureCount, classes } = serialized;
    const state = serialized.state as Partial<LogisticRegressionState> | null;
    const k = classes?.length ?? 0;
    const numbers = (v: unknown, n: number): v is number[] =>
      Array.isArray(v) && v.length === n && v.every((e) => typeof e === 'number' && Number.isFinite(e));
    if (!classes || k < 2 || !state || !numbers(state.coefficients, k * featureCount) || !numbers(state.intercepts, k)) {
      throw new ModelFormatError(`logistic regression state must hold ${k} x ${featureCount} coefficients and ${k} intercepts`);
    }
    return new LogisticRegressionModel(
      featureCount,
      classes,
      Float64Array.from(state.coefficients),
      Float64Array.from(state.intercepts),
      state.iterations ?? 0,
      state.loss ?? NaN,
    );
  }
}

/**
 * Full-batch training on internally standardized features (the L2 penalty applies to the
 * coefficients of standardized features; the stored model works on raw ones).
 */
export async function trainLogisticRegression(
  params: LogisticRegressionParams,
  x: Matrix,
  targets: Targets,
  onProgress?: ProgressCallback,
): Promise<LogisticRegressionModel> {
  const { y, classes } = checkClassificationData('logistic_regression', x, targets);
  const { rows, cols } = x;
  const k = classes.length;
  const scaling = columnScaling(x);
  const data = standardize(x, scaling);
  const size = k * (cols + 1);
  let current = new Float64Array(size);
  let candidate = new Float64Array(size);
  let gradient = new Float64Array(size);
  let candidateGradient = new Float64Array(size);
  const velocity = new Float64Array(size);
  const proba = new Float64Array(k);
  const weights = classWeights(params.classWeight, y, classes);
  const evaluate = (at: Float64Array, into: Float64Array): number =>
    lossAndGradient(data, rows, cols, y, k, params.l2, at, into, proba, weights);

  // Heavy-ball momentum, restarted with a halved step when the loss rises: converges far faster than plain descent and cannot diverge.
  let learningRate = params.learningRate;
  let loss = evaluate(current, gradient);
  const total = params.maxIterations;
  const progressEvery = Math.max(1, Math.ceil(total / 10));
  let iteration = 0;
  while (iteration < total) {
    iteration++;
    for (let i = 0; i < size; i++) {
      velocity[i] = MOMENTUM * velocity[i] - learningRate * gradient[i];
      candidate[i] = current[i] + velocity[i];
    }
    const candidateLoss = evaluate(candidate, candidateGradient);
    let converged: boolean;
    if (!(candidateLoss <= loss)) {
      velocity.fill(0);
      learningRate /= 2;
      converged = learningRate < Number.EPSILON * params.learningRate;
    } else {
      converged = loss - candidateLoss < params.tolerance;
      [current, candidate] = [candidate, current];
      [gradient, candidateGradient] = [candidateGradient, gradient];
      loss = candidateLoss;
    }
    if (converged) break;
    if (onProgress && iteration % progressEvery === 0 && iteration < total) await onProgress(iteration, total);
  }
  if (onProgress) await onProgress(total, total);

  const coefficients = new Float64Array(k * cols);
  const intercepts = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let shift = current[k * cols + c];
    for (let j = 0; j < cols; j++) {
      const w = current[c * cols + j] / scaling.scale[j];
      coefficients[c * cols + j] = w;
      shift -= w * scaling.mean[j];
    }
    intercepts[c] = shift;
  }
  return new LogisticRegressionModel(cols, classes, coefficients, intercepts, iteration, loss);
}
