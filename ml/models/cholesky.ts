/** A Cholesky pivot below this fraction of its diagonal entry means the matrix is numerically singular. */
const PIVOT_TOLERANCE = 1e-12;

/**
 * Solves `a * solution = b` for a symmetric n x n row-major `a` (left untouched) by Cholesky
 * decomposition; undefined when `a` is not numerically positive definite.
 */
export function choleskySolve(a: Float64Array, b: Float64Array, n: number): Float64Array | undefined {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let pivot = a[j * n + j];
    for (let k = 0; k < j; k++) pivot -= l[j * n + k] * l[j * n + k];
    if (!(pivot > PIVOT_TOLERANCE * a[j * n + j])) return undefined;
    const d = Math.sqrt(pivot);
    l[j * n + j] = d;
    for (let i = j + 1; i < n; i++) {
      let v = a[i * n + j];
      for (let k = 0; k < j; k++) v -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = v / d;
    }
  }
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v = b[i];
    for (let k = 0; k < i; k++) v -= l[i * n + k] * z[k];
    z[i] = v / l[i * n + i];
  }
  const solution = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let v = z[i];
    for (let k = i + 1; k < n; k++) v -= l[k * n + i] * solution[k];
    solution[i] = v / l[i * n + i];
  }
  return solution;
}
