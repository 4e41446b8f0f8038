import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  choleskySolve,
  fitLad,
  fitLogistic,
  fitRidge,
  linearPredict,
  logistic,
} from '../../../src/core/eval/logistic';

test('logistic regression with a constant feature: the intercept is logit(mean label)', () => {
  const y = [1, 0, 0, 1, 0, 0, 0, 1];
  const m = fitLogistic({ x: new Float64Array(8).fill(5), rows: 8, cols: 1 }, y);
  assert.ok(m.converged);
  assert.ok(Math.abs(m.b - Math.log(3 / 5)) < 1e-9, `${m.b}`);
});

test('logistic regression: the penalised gradient vanishes at the fit (first-order optimality)', () => {
  let s = 7;
  const rnd = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const rows = 400;
  const cols = 3;
  const x = new Float64Array(rows * cols);
  const y: number[] = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) x[i * cols + j] = 3 * rnd() + j;
    const z = 1.5 * x[i * cols] - 2 * x[i * cols + 1] + 0.5;
    y.push(rnd() < logistic(z) ? 1 : 0);
  }
  const l2 = 2;
  const m = fitLogistic({ x, rows, cols }, y, { l2 });
  const p = linearPredict(m, { x, rows, cols }).map(logistic);
  for (let j = 0; j < cols; j++) {
    let g = l2 * m.w[j];
    for (let i = 0; i < rows; i++) g += (p[i] - y[i]) * ((x[i * cols + j] - m.mean[j]) / m.std[j]);
    assert.ok(Math.abs(g) < 1e-6, `gradient ${j}: ${g}`);
  }
  let g0 = 0;
  for (let i = 0; i < rows; i++) g0 += p[i] - y[i];
  assert.ok(Math.abs(g0) < 1e-6);
  assert.ok(m.w[0] > 0 && m.w[1] < 0, 'recovers the signs of the generating weights');
});

test('ridge regression: one standardised feature has the closed form slope S_xy / (S_xx + l2)', () => {
  const xs = [1, 2, 3, 4, 6];
  const t = [2, 3, 5, 4, 9];
  const l2 = 1.5;
  const m = fitRidge({ x: Float64Array.from(xs), rows: 5, cols: 1 }, t, { l2 });
  const mx = xs.reduce((a, b) => a + b) / 5;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mx) ** 2, 0) / 5);
  const z = xs.map((v) => (v - mx) / sd);
  const mt = t.reduce((a, b) => a + b) / 5;
  const slope = z.reduce((a, v, i) => a + v * (t[i] - mt), 0) / (z.reduce((a, v) => a + v * v, 0) + l2);
  assert.ok(Math.abs(m.w[0] - slope) < 1e-9);
  assert.ok(Math.abs(m.b - mt) < 1e-9);
});

test('Cholesky solve on a hand-made system, and a clear error when the matrix is not positive definite', () => {
  const x = choleskySolve(Float64Array.from([4, 2, 2, 3]), Float64Array.from([2, 1]), 2);
  assert.ok(Math.abs(x[0] - 0.5) < 1e-12 && Math.abs(x[1]) < 1e-12);
  assert.throws(
    () => choleskySolve(Float64Array.from([1, 2, 2, 1]), Float64Array.from([1, 1]), 2),
    /not positive definite/,
  );
});

test('least absolute deviation with a constant feature: the intercept is the median, ridge gives the mean', () => {
  const t = [1, 2, 3, 4, 20];
  const d = { x: new Float64Array(5).fill(7), rows: 5, cols: 1 };
  const lad = fitLad(d, t);
  assert.ok(lad.converged, `${lad.iterations} iterations`);
  assert.ok(Math.abs(lad.b - 3) < 1e-4, `${lad.b}`);
  // ridge: the mean (up to the 1e-9 the intercept's diagonal carries against a singular system)
  assert.ok(Math.abs(fitRidge(d, t).b - 6) < 1e-8);
});

test('least absolute deviation: the line through four points ignores an outlier that pulls least squares', () => {
  // (1,1) (2,2) (3,3) (4,4) (5,50): y = x has absolute error 45; any other line more
  // (moving the slope by δ costs 10|δ| on the first four and saves at most 5|δ| on the last).
  const d = { x: Float64Array.from([1, 2, 3, 4, 5]), rows: 5, cols: 1 };
  const t = [1, 2, 3, 4, 50];
  const lad = fitLad(d, t, { l2: 0 });
  const at = (m: typeof lad, x: number) => linearPredict(m, { x: Float64Array.from([x]), rows: 1, cols: 1 })[0];
  assert.ok(Math.abs(at(lad, 0)) < 1e-4 && Math.abs(at(lad, 10) - 10) < 1e-4, `${at(lad, 0)} ${at(lad, 10)}`);
  // least squares: slope Sxy / Sxx = 100 / 10 = 10, intercept 12 - 3 * 10 = -18
  const ls = fitRidge(d, t, { l2: 0 });
  assert.ok(Math.abs(at(ls, 0) + 18) < 1e-6 && Math.abs(at(ls, 10) - 82) < 1e-6);
  assert.throws(() => fitLad(d, [1, 2]), /5 rows but 2 targets/);
});
