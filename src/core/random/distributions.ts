/**
 * Samplers over an Rng: uniform integers, normal (Box-Muller), lognormal, Pareto
 * (inverse CDF), Poisson (Knuth for small means, normal approximation above 30),
 * Bernoulli and weighted choice (linear scan or a prebuilt alias table, Vose 1991).
 *
 * Deterministic across platforms: only +,-,*,/ and Math.log/sqrt/cos/exp, which V8
 * implements with its own fdlibm port rather than the host libm.
 */
import type { Rng } from './xoshiro';

/** Integer in [0, n). */
export function uniformInt(rng: Rng, n: number): number {
  return Math.floor(rng.next() * n);
}

export function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng.next();
}

export function bernoulli(rng: Rng, p: number): boolean {
  return rng.next() < p;
}

/** Standard normal by Box-Muller; one draw per call (the partner is discarded so a
 *  stream's consumption never depends on call history). */
export function normal(rng: Rng, mean = 0, sd = 1): number {
  let u = rng.next();
  while (u === 0) u = rng.next();
  const v = rng.next();
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export function lognormal(rng: Rng, mu: number, sigma: number): number {
  return Math.exp(normal(rng, mu, sigma));
}

/** Pareto type I with scale xm > 0 and shape alpha > 0: P(X > x) = (xm/x)^alpha. */
export function pareto(rng: Rng, xm: number, alpha: number): number {
  let u = rng.next();
  while (u === 0) u = rng.next();
  return xm / Math.pow(u, 1 / alpha);
}

export function poisson(rng: Rng, lambda: number): number {
  if (!(lambda > 0)) return 0;
  if (lambda > 30) return Math.max(0, Math.round(normal(rng, lambda, Math.sqrt(lambda))));
  const l = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= rng.next();
  } while (p > l);
  return k - 1;
}

/** Index i with probability weights[i] / sum(weights); weights >= 0, not all 0. */
export function weightedIndex(rng: Rng, weights: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i];
  if (!(total > 0)) throw new Error('random/distributions: weightedIndex needs a positive total weight');
  let r = rng.next() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i];
    if (r < 0) return i;
  }
  // Rounding can leave r a hair above 0: return the last positive weight.
  for (let i = weights.length - 1; i >= 0; i--) if (weights[i] > 0) return i;
  return weights.length - 1;
}

/** Vose's alias table: O(n) build, O(1) draws from a fixed discrete distribution. */
export class AliasTable {
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;

  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    if (n === 0) throw new Error('random/distributions: AliasTable needs at least one weight');
    let total = 0;
    for (let i = 0; i < n; i++) {
      if (!(weights[i] >= 0)) throw new Error(`random/distributions: weight ${i} is ${weights[i]}, expected >= 0`);
      total += weights[i];
    }
    if (!(total > 0)) throw new Error('random/distributions: AliasTable needs a positive total weight');
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    const scaled = new Float64Array(n);
    const small: number[] = [];
    const large: number[] = [];
    for (let i = 0; i < n; i++) {
      scaled[i] = (weights[i] * n) / total;
      (scaled[i] < 1 ? small : large).push(i);
    }
    while (small.length && large.length) {
      const s = small.pop()!;
      const l = large.pop()!;
      this.prob[s] = scaled[s];
      this.alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      (scaled[l] < 1 ? small : large).push(l);
    }
    for (const i of large) this.prob[i] = 1;
    for (const i of small) this.prob[i] = 1;
  }

  get size(): number {
    return this.prob.length;
  }

  sample(rng: Rng): number {
    const i = Math.floor(rng.next() * this.prob.length);
    return rng.next() < this.prob[i] ? i : this.alias[i];
  }
}

/** Fisher-Yates shuffle in place. */
export function shuffle<T>(rng: Rng, xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = xs[i];
    xs[i] = xs[j];
    xs[j] = t;
  }
  return xs;
}
