import { createRng, type Rng } from '../ml/random';
import { type Matrix } from '../ml/models/types';

export interface ClassificationData {
  readonly x: Matrix;
  readonly y: Int32Array;
}

export interface MakeClassificationOptions {
  readonly rows: number;
  readonly features: number;
  /** Features that carry the class signal (at most `features`). */
  readonly informative?: number;
  /** Random linear combinations of the informative features. */
  readonly redundant?: number;
  /** Fraction of rows whose class is drawn at random. */
  readonly flip?: number;
  readonly seed?: number;
}

function gaussian(rng: Rng): number {
  // Box-Muller; 1 - next() is in (0, 1], so the log is finite.
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

/**
 * Two classes, each a mixture of two Gaussian clusters at distinct vertices of a hypercube in the
 * informative subspace, each cluster with its own random covariance; then redundant features
 * (linear combinations) and pure noise features. Modelled on scikit-learn's make_classification.
 */
export function makeClassification(options: MakeClassificationOptions): ClassificationData {
  const { rows, features, seed = 0, flip = 0.01 } = options;
  const informative = Math.min(features, options.informative ?? 10);
  const redundant = Math.min(features - informative, options.redundant ?? 2);
  const rng = createRng(seed);
  const clusters = 4;

  const vertices = new Set<number>();
  while (vertices.size < clusters) vertices.add(rng.nextInt(2 ** Math.min(informative, 30)));
  const centroids = [...vertices].map((v) => Array.from({ length: informative }, (_, j) => ((v >>> j) & 1 ? 1 : -1)));
  const mixing = centroids.map(() => Array.from({ length: informative * informative }, () => 2 * rng.next() - 1));
  const combination = Array.from({ length: informative * redundant }, () => 2 * rng.next() - 1);

  const data = new Float64Array(rows * features);
  const y = new Int32Array(rows);
  const z = new Float64Array(informative);
  for (let r = 0; r < rows; r++) {
    const cluster = rng.nextInt(clusters);
    y[r] = cluster % 2;
    for (let j = 0; j < informative; j++) z[j] = gaussian(rng);
    const row = r * features;
    const a = mixing[cluster];
    for (let j = 0; j < informative; j++) {
      let v = centroids[cluster][j];
      for (let i = 0; i < informative; i++) v += z[i] * a[i * informative + j];
      data[row + j] = v;
    }
    for (let k = 0; k < redundant; k++) {
      let v = 0;
      for (let j = 0; j < informative; j++) v += data[row + j] * combination[j * redundant + k];
      data[row + informative + k] = v;
    }
    for (let j = informative + redundant; j < features; j++) data[row + j] = gaussian(rng);
    if (rng.next() < flip) y[r] = rng.nextInt(2);
  }
  return { x: { rows, cols: features, data }, y };
}
