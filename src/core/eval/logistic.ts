/**
 * Small linear learners for the learned pair baseline: L2-regularised logistic
 * regression fitted by Newton's method (IRLS), ridge regression by its normal
 * equations, and least-absolute-deviation regression by reweighted ridge (IRLS). Features are standardised with the training mean and standard
 * deviation; the intercept is not penalised. A few dozen features and a few hundred
 * thousand rows: a d x d Cholesky solve per Newton step is the whole cost.
 */

/** Row-major design matrix. */
export interface Design {
  x: Float32Array | Float64Array;
  rows: number;
  cols: number;
}

export interface LinearModel {
  mean: Float64Array;
  std: Float64Array;
  /** Weights on standardised features. */
  w: Float64Array;
  b: number;
  iterations: number;
  converged: boolean;
}

function standardisation(d: Design): { mean: Float64Array; std: Float64Array } {
  const mean = new Float64Array(d.cols);
  const sq = new Float64Array(d.cols);
  for (let i = 0; i < d.rows; i++) for (let j = 0; j < d.cols; j++) mean[j] += d.x[i * d.cols + j];
  for (let j = 0; j < d.cols; j++) mean[j] /= Math.max(d.rows, 1);
  for (let i = 0; i < d.rows; i++)
    for (let j = 0; j < d.cols; j++) sq[j] += (d.x[i * d.cols + j] - mean[j]) ** 2;
  const std = Float64Array.from(sq, (s) => {
    const v = Math.sqrt(s / Math.max(d.rows, 1));
    return v > 1e-12 ? v : 1; // constant column: leave it at 0 after centring
  });
  return { mean, std };
}

/** Solve A x = b for symmetric positive definite A (n x n, row-major) by Cholesky; A is not modified. */
export function choleskySolve(A: Float64Array, b: Float64Array, n: number): Float64Array {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(s > 0)) throw new Error(`eval/logistic: matrix not positive definite at pivot ${i} (${s})`);
        L[i * n + i] = Math.sqrt(s);
      } else L[i * n + j] = s / L[j * n + j];
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * n + k] * y[k];
    y[i] = s / L[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * x[k];
    x[i] = s / L[i * n + i];
  }
  return x;
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/**
 * Minimise sum_i logloss(y_i, b + w.z_i) + (l2 / 2) |w|^2 over standardised z by
 * Newton steps (at most `maxIter`, stop when the largest step is below `tol`).
 */
export function fitLogistic(
  d: Design,
  y: ArrayLike<number>,
  opts: { l2?: number; maxIter?: number; tol?: number } = {},
): LinearModel {
  if (y.length !== d.rows) throw new Error(`eval/logistic: ${d.rows} rows but ${y.length} labels`);
  const l2 = opts.l2 ?? 1;
  const maxIter = opts.maxIter ?? 25;
  const tol = opts.tol ?? 1e-8;
  const { mean, std } = standardisation(d);
  const m = d.cols + 1; // last coordinate: intercept
  const beta = new Float64Array(m);
  const z = new Float64Array(m);
  let it = 0;
  let converged = false;
  for (; it < maxIter && !converged;) {
    it++;
    const H = new Float64Array(m * m);
    const g = new Float64Array(m);
    for (let i = 0; i < d.rows; i++) {
      for (let j = 0; j < d.cols; j++) z[j] = (d.x[i * d.cols + j] - mean[j]) / std[j];
      z[m - 1] = 1;
      let eta = 0;
      for (let j = 0; j < m; j++) eta += beta[j] * z[j];
      const p = sigmoid(eta);
      const r = p - (y[i] > 0.5 ? 1 : 0);
      const wgt = Math.max(p * (1 - p), 1e-12);
      for (let j = 0; j < m; j++) {
        if (z[j] === 0) continue;
        g[j] += r * z[j];
        const wz = wgt * z[j];
        for (let k = 0; k <= j; k++) H[j * m + k] += wz * z[k];
      }
    }
    for (let j = 0; j < m; j++) for (let k = 0; k < j; k++) H[k * m + j] = H[j * m + k];
    for (let j = 0; j < m - 1; j++) {
      g[j] += l2 * beta[j];
      H[j * m + j] += l2;
    }
    H[(m - 1) * m + (m - 1)] += 1e-9;
    const step = choleskySolve(H, g, m);
    let big = 0;
    for (let j = 0; j < m; j++) {
      beta[j] -= step[j];
      big = Math.max(big, Math.abs(step[j]));
    }
    if (big < tol) converged = true;
  }
  return { mean, std, w: beta.slice(0, m - 1), b: beta[m - 1], iterations: it, converged };
}

/** Ridge regression: minimise sum (t_i - b - w.z_i)^2 + l2 |w|^2 over standardised z. */
export function fitRidge(d: Design, t: ArrayLike<number>, opts: { l2?: number } = {}): LinearModel {
  if (t.length !== d.rows) throw new Error(`eval/logistic: ${d.rows} rows but ${t.length} targets`);
  const { mean, std } = standardisation(d);
  const beta = weightedRidge(d, t, undefined, opts.l2 ?? 1, mean, std);
  return { mean, std, w: beta.slice(0, d.cols), b: beta[d.cols], iterations: 1, converged: true };
}

/** [w; b] minimising sum v_i (t_i - b - w.z_i)^2 + l2 |w|^2 (v_i = 1 when `v` is omitted). */
function weightedRidge(
  d: Design,
  t: ArrayLike<number>,
  v: Float64Array | undefined,
  l2: number,
  mean: Float64Array,
  std: Float64Array,
): Float64Array {
  const m = d.cols + 1;
  const A = new Float64Array(m * m);
  const c = new Float64Array(m);
  const z = new Float64Array(m);
  for (let i = 0; i < d.rows; i++) {
    const vi = v ? v[i] : 1;
    for (let j = 0; j < d.cols; j++) z[j] = (d.x[i * d.cols + j] - mean[j]) / std[j];
    z[m - 1] = 1;
    for (let j = 0; j < m; j++) {
      const vz = vi * z[j];
      c[j] += t[i] * vz;
      for (let k = 0; k <= j; k++) A[j * m + k] += vz * z[k];
    }
  }
  for (let j = 0; j < m; j++) for (let k = 0; k < j; k++) A[k * m + j] = A[j * m + k];
  for (let j = 0; j < m - 1; j++) A[j * m + j] += l2;
  A[(m - 1) * m + (m - 1)] += 1e-9;
  return choleskySolve(A, c, m);
}

/**
 * Least-absolute-deviation regression: minimise sum |t_i - b - w.z_i| + l2 |w|^2 over
 * standardised z, the linear predictor fitted for the metric weights are scored on
 * (MAE; ridge fits their mean, this their median). Iteratively reweighted least
 * squares from the ridge fit, weights 1 / max(|residual|, eps), until an iteration
 * lowers the objective by less than `tol` of it (at most `maxIter`). IRLS approaches
 * the optimum's vertex linearly: at the default `tol` the coefficients are within ~1e-3 of it.
 */
export function fitLad(
  d: Design,
  t: ArrayLike<number>,
  opts: { l2?: number; maxIter?: number; eps?: number; tol?: number } = {},
): LinearModel {
  if (t.length !== d.rows) throw new Error(`eval/logistic: ${d.rows} rows but ${t.length} targets`);
  const l2 = opts.l2 ?? 1;
  const eps = opts.eps ?? 1e-6;
  const tol = opts.tol ?? 1e-8;
  const maxIter = opts.maxIter ?? 100;
  const { mean, std } = standardisation(d);
  const model = (beta: Float64Array): LinearModel => ({ mean, std, w: beta.slice(0, d.cols), b: beta[d.cols], iterations: 0, converged: false });
  const v = new Float64Array(d.rows);
  // objective at beta; fills v with the next IRLS weights
  const objective = (beta: Float64Array): number => {
    const pred = linearPredict(model(beta), d);
    let o = 0;
    for (let i = 0; i < d.rows; i++) {
      const r = Math.abs(t[i] - pred[i]);
      o += r;
      v[i] = 1 / Math.max(r, eps);
    }
    for (let j = 0; j < d.cols; j++) o += l2 * beta[j] * beta[j];
    return o;
  };
  let beta = weightedRidge(d, t, undefined, l2, mean, std);
  let obj = objective(beta);
  let it = 0;
  let converged = false;
  while (it < maxIter && !converged) {
    it++;
    const next = weightedRidge(d, t, v, l2, mean, std);
    const o = objective(next);
    converged = obj - o <= tol * Math.max(obj, 1e-300);
    if (o <= obj) [beta, obj] = [next, o];
  }
  return { ...model(beta), iterations: it, converged };
}

/** b + w.z for each row (the logit for a logistic model, the prediction for ridge). */
export function linearPredict(model: LinearModel, d: Design): Float64Array {
  const out = new Float64Array(d.rows);
  for (let i = 0; i < d.rows; i++) {
    let s = model.b;
    for (let j = 0; j < d.cols; j++) s += (model.w[j] * (d.x[i * d.cols + j] - model.mean[j])) / model.std[j];
    out[i] = s;
  }
  return out;
}

export const logistic = sigmoid;
