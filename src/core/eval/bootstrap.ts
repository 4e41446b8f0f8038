/**
 * Week-block bootstrap for pooled evaluation metrics.
 *
 * The unit of resampling is a week pair (anchor t, target t+h): pairs of one week
 * share the anchor graph, and neighbouring week pairs overlap in time, so weeks are
 * resampled in blocks of `blockLength` consecutive week pairs, within each history
 * separately when several are pooled (stratified). The blocks are circular (Politis &
 * Romano 1992): a block may start at any week pair and wraps past the last one to the
 * first, so every week pair is drawn once per replicate on average, as the point
 * estimate counts it. Moving blocks that stop at the last week pair (Künsch 1989) drew
 * the first and last week pairs of a 12-week hold-out a quarter as often as the middle
 * ones (1/3 against 4/3 draws per replicate in blocks of 4), so the replicates measured
 * a reweighted statistic and some intervals left out their own point estimate when the
 * metric drifted over the hold-out. Every metric
 * is a function of per-week additive statistics (sums of errors, counts, score
 * histograms), so a replicate is a weighted sum of week rows and the metric of it.
 * Intervals are percentile intervals (the smallest value whose empirical CDF
 * reaches the level: "inverted CDF" quantiles). Histories of a single week pair
 * (e.g. h = 12 on a 13-week hold-out) give no interval.
 */
import { rngFromKey } from '../random/xoshiro';

export interface BootstrapOptions {
  replicates?: number;
  blockLength?: number;
  level?: number;
  seed?: number;
}

/**
 * Multiplicity of each unit in each replicate: replicates x units, row-major. Per
 * stratum of m units, ceil(m / L) circular blocks of L = min(blockLength, m) units with
 * uniform starts, the last one cut so that a replicate holds m units: each unit's
 * expected multiplicity is exactly 1.
 */
export function blockBootstrapCounts(
  strata: readonly number[],
  opts: BootstrapOptions = {},
): { counts: Uint16Array; units: number; replicates: number } {
  const B = opts.replicates ?? 1000;
  const L = Math.max(1, opts.blockLength ?? 4);
  const units = strata.reduce((s, m) => s + m, 0);
  const counts = new Uint16Array(B * units);
  const rng = rngFromKey(`bootstrap|${opts.seed ?? 42}`);
  for (let b = 0; b < B; b++) {
    let base = 0;
    for (const m of strata) {
      if (m > 0) {
        const len = Math.min(L, m);
        let filled = 0;
        while (filled < m) {
          const start = Math.floor(rng.next() * m);
          for (let k = 0; k < len && filled < m; k++, filled++) counts[b * units + base + ((start + k) % m)]++;
        }
      }
      base += m;
    }
  }
  return { counts, units, replicates: B };
}

/** The smallest x with empirical CDF >= q (NaNs ignored; NaN when nothing is left). */
export function quantile(values: ArrayLike<number>, q: number): number {
  const v = Array.from(values)
    .filter((x) => !Number.isNaN(x))
    .sort((a, b) => a - b);
  if (!v.length) return NaN;
  const k = Math.max(0, Math.ceil(q * v.length) - 1);
  return v[Math.min(k, v.length - 1)];
}

export type Interval = [number, number];

/**
 * Percentile intervals of every metric that `metrics` computes from the summed
 * statistics of a replicate. `rows[u]` is unit u's statistics vector (all the same
 * length); `strata` gives how many consecutive units belong to each history. `shift`
 * (per metric) is added to both ends: the exact pooled value minus the value that
 * `metrics` gives on all units, for metrics computed on binned statistics.
 */
export function bootstrapIntervals(
  rows: readonly Float64Array[],
  strata: readonly number[],
  metrics: (sum: Float64Array) => Record<string, number>,
  opts: BootstrapOptions & { shift?: Record<string, number> } = {},
): Record<string, Interval> {
  const units = rows.length;
  if (strata.reduce((s, m) => s + m, 0) !== units)
    throw new Error(`eval/bootstrap: strata cover ${strata.reduce((s, m) => s + m, 0)} units, rows ${units}`);
  // a history with one week pair cannot be resampled: with no history of two or more, no interval
  if (units === 0 || !strata.some((m) => m >= 2)) return {};
  const L = rows[0].length;
  const { counts, replicates } = blockBootstrapCounts(strata, opts);
  const sum = new Float64Array(L);
  const draws: Record<string, number[]> = {};
  for (let b = 0; b < replicates; b++) {
    sum.fill(0);
    for (let u = 0; u < units; u++) {
      const c = counts[b * units + u];
      if (!c) continue;
      const r = rows[u];
      for (let j = 0; j < L; j++) sum[j] += c * r[j];
    }
    for (const [k, v] of Object.entries(metrics(sum))) (draws[k] ??= []).push(v);
  }
  const level = opts.level ?? 0.95;
  const out: Record<string, Interval> = {};
  for (const [k, v] of Object.entries(draws)) {
    const s = opts.shift?.[k] ?? 0;
    out[k] = [quantile(v, (1 - level) / 2) + s, quantile(v, 1 - (1 - level) / 2) + s];
  }
  return out;
}

/**
 * Bin index per score, ascending: one bin per distinct value when there are at most
 * `maxBins` of them (exact for discrete scorers), else quantile bins of the rank of
 * each value's first occurrence (ties always share a bin).
 */
export function scoreBins(scores: ArrayLike<number>, maxBins = 200): { bin: Uint16Array; bins: number } {
  const n = scores.length;
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  idx.sort((a, b) => scores[a] - scores[b]);
  let distinct = 0;
  for (let i = 0; i < n; i++) if (i === 0 || scores[idx[i]] !== scores[idx[i - 1]]) distinct++;
  const bin = new Uint16Array(n);
  if (distinct <= maxBins) {
    let b = -1;
    for (let i = 0; i < n; i++) {
      if (i === 0 || scores[idx[i]] !== scores[idx[i - 1]]) b++;
      bin[idx[i]] = b;
    }
    return { bin, bins: Math.max(distinct, 1) };
  }
  let first = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0 && scores[idx[i]] !== scores[idx[i - 1]]) first = i;
    bin[idx[i]] = Math.min(maxBins - 1, Math.floor((first * maxBins) / n));
  }
  return { bin, bins: maxBins };
}

/** AUROC from per-bin positive and negative counts (bins ascending; within a bin = tied). */
export function aurocFromBins(pos: ArrayLike<number>, neg: ArrayLike<number>): number {
  let below = 0;
  let acc = 0;
  let P = 0;
  let N = 0;
  for (let b = 0; b < pos.length; b++) {
    acc += pos[b] * (below + neg[b] / 2);
    below += neg[b];
    P += pos[b];
    N += neg[b];
  }
  return P > 0 && N > 0 ? acc / (P * N) : NaN;
}

/** Step-wise average precision from per-bin counts, one threshold per bin (descending). */
export function auprcFromBins(pos: ArrayLike<number>, neg: ArrayLike<number>): number {
  let P = 0;
  for (let b = 0; b < pos.length; b++) P += pos[b];
  if (P <= 0) return NaN;
  let tp = 0;
  let fp = 0;
  let ap = 0;
  for (let b = pos.length - 1; b >= 0; b--) {
    if (pos[b] === 0 && neg[b] === 0) continue;
    tp += pos[b];
    fp += neg[b];
    ap += (pos[b] / P) * (tp / (tp + fp));
  }
  return ap;
}
