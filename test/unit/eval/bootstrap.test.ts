import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  aurocFromBins,
  auprcFromBins,
  blockBootstrapCounts,
  bootstrapIntervals,
  quantile,
  scoreBins,
} from '../../../src/core/eval/bootstrap';
import { auprc, auroc } from '../../../src/core/eval/metrics';

/** Binomial CDF by summing the pmf. */
function binomialQuantile(n: number, p: number, q: number): number {
  let c = 0;
  let pmf = (1 - p) ** n;
  for (let k = 0; k <= n; k++) {
    c += pmf;
    if (c >= q) return k;
    pmf *= ((n - k) / (k + 1)) * (p / (1 - p));
  }
  return n;
}

test('bootstrap of a mean over weeks with values 0/1 and blocks of one: the binomial quantiles', () => {
  // 20 weeks, half with error 1 and half with 0, one unit each: a resampled mean is Binomial(20, 1/2) / 20
  const rows = Array.from({ length: 20 }, (_, i) => Float64Array.from([i % 2, 1]));
  const ci = bootstrapIntervals(rows, [20], (s) => ({ mae: s[0] / s[1] }), {
    replicates: 20000,
    blockLength: 1,
    seed: 1,
  });
  assert.equal(binomialQuantile(20, 0.5, 0.025), 6); // P(X <= 5) = 0.021, P(X <= 6) = 0.058
  assert.equal(binomialQuantile(20, 0.5, 0.975), 14);
  assert.deepEqual(ci.mae, [6 / 20, 14 / 20]);
  // constant weeks: a degenerate interval at the value
  const flat = bootstrapIntervals(
    Array.from({ length: 9 }, () => Float64Array.from([3, 2])),
    [9],
    (s) => ({ m: s[0] / s[1] }),
    { replicates: 200 },
  );
  assert.deepEqual(flat.m, [1.5, 1.5]);
  // one week pair per history cannot be resampled: no interval rather than a zero-width one
  assert.deepEqual(bootstrapIntervals([Float64Array.from([1, 1]), Float64Array.from([0, 1])], [1, 1], (s) => ({ m: s[0] / s[1] })), {});
});

test('block bootstrap: every replicate draws exactly as many units as each stratum has, in contiguous blocks', () => {
  const { counts, units, replicates } = blockBootstrapCounts([7, 3], {
    replicates: 50,
    blockLength: 4,
    seed: 5,
  });
  assert.equal(units, 10);
  for (let b = 0; b < replicates; b++) {
    const row = counts.subarray(b * units, (b + 1) * units);
    assert.equal(
      row.subarray(0, 7).reduce((s, x) => s + x, 0),
      7,
    );
    assert.equal(
      row.subarray(7).reduce((s, x) => s + x, 0),
      3,
    );
    // a stratum of 3 with blocks of 4: the whole stratum once
    assert.deepEqual([...row.subarray(7)], [1, 1, 1]);
  }
});

test('circular blocks draw every week pair once per replicate on average: the hand-computed law of 3 week pairs in blocks of 2', () => {
  // m = 3, L = 2: a block of 2 from a uniform start s in {0, 1, 2} covering s and s+1 (mod 3),
  // then one cut block holding the unit at a uniform start s'. Each unit's count is
  // [covered by the first block] + [s' is it]: 0 w.p. 1/3 * 2/3 = 2/9, 2 w.p. 2/3 * 1/3 = 2/9,
  // 1 w.p. 5/9; mean 1 for every unit. (Blocks stopping at the last unit drew the last
  // unit w.p. 1/2 once and never twice: mean 1/2.)
  const B = 18000;
  const { counts, units } = blockBootstrapCounts([3], { replicates: B, blockLength: 2, seed: 3 });
  for (let u = 0; u < units; u++) {
    const freq = [0, 0, 0];
    for (let b = 0; b < B; b++) freq[counts[b * units + u]]++;
    // binomial standard error of a frequency near 2/9 at B = 18000 is 0.0031
    [2 / 9, 5 / 9, 2 / 9].forEach((p, c) =>
      assert.ok(Math.abs(freq[c] / B - p) < 0.015, `unit ${u}: P(count = ${c}) = ${freq[c] / B}, expected ${p.toFixed(4)}`),
    );
  }
  // the interval of a ratio whose numerator sits in the last week pair: the point 1/3 is
  // the mean of replicates worth 0 (2/9), 1/3 (5/9) and 2/3 (2/9), so [0, 2/3]
  const rows = [Float64Array.from([0, 1]), Float64Array.from([0, 1]), Float64Array.from([1, 1])];
  const ci = bootstrapIntervals(rows, [3], (s) => ({ share: s[0] / s[1] }), { replicates: 2000, blockLength: 2, seed: 9 });
  assert.deepEqual(ci.share, [0, 2 / 3]);
});

test('a metric that drifts over the hold-out keeps its point estimate inside its interval', () => {
  // 12 week pairs whose error rises linearly; blocks of 4. Moving blocks that stop at the
  // last week pair underweighted both ends and, with the rise concentrated at the end,
  // centred the replicates below the point.
  const rows = Array.from({ length: 12 }, (_, i) => Float64Array.from([i < 10 ? 0 : 10 * (i - 9), 100]));
  const point = rows.reduce((t, r) => t + r[0], 0) / 1200; // (10 + 20) / 1200 = 0.025
  const ci = bootstrapIntervals(rows, [12], (s) => ({ m: s[0] / s[1] }), { replicates: 4000, blockLength: 4, seed: 2 });
  assert.ok(ci.m[0] <= point && point <= ci.m[1], `interval ${ci.m} leaves out the point ${point}`);
  // and the replicates are centred on it: each week pair's expected multiplicity is 1
  const { counts, units, replicates } = blockBootstrapCounts([12], { replicates: 4000, blockLength: 4, seed: 2 });
  for (let u = 0; u < units; u++) {
    let c = 0;
    for (let b = 0; b < replicates; b++) c += counts[b * units + u];
    assert.ok(Math.abs(c / replicates - 1) < 0.05, `week pair ${u} drawn ${c / replicates} times per replicate`);
  }
});

test('quantile: the smallest value whose empirical CDF reaches q', () => {
  assert.equal(quantile([4, 1, 3, 2], 0.25), 1);
  assert.equal(quantile([4, 1, 3, 2], 0.26), 2);
  assert.equal(quantile([4, 1, 3, 2], 1), 4);
  assert.ok(Number.isNaN(quantile([NaN], 0.5)));
});

test('binned AUROC/AUPRC equal the exact ones for discrete scores, and approximate them for continuous ones', () => {
  const labels = [1, 0, 1, 1, 0, 0, 0, 1, 0, 0];
  const scores = [2, 2, 1, 2, 0, 1, 0, 0, 1, 0];
  const { bin, bins } = scoreBins(scores);
  assert.equal(bins, 3);
  const pos = new Float64Array(bins);
  const neg = new Float64Array(bins);
  labels.forEach((l, i) => (l ? pos : neg)[bin[i]]++);
  assert.ok(Math.abs(aurocFromBins(pos, neg) - auroc(labels, scores)) < 1e-12);
  assert.ok(Math.abs(auprcFromBins(pos, neg) - auprc(labels, scores)) < 1e-12);
  // continuous scores with 200 quantile bins
  let x = 1;
  const rnd = () => (x = (x * 48271) % 2147483647) / 2147483647;
  const L: number[] = [];
  const S: number[] = [];
  for (let i = 0; i < 5000; i++) {
    const y = rnd() < 0.2 ? 1 : 0;
    L.push(y);
    S.push(rnd() + 0.8 * y);
  }
  const b2 = scoreBins(S, 200);
  const p2 = new Float64Array(b2.bins);
  const n2 = new Float64Array(b2.bins);
  L.forEach((l, i) => (l ? p2 : n2)[b2.bin[i]]++);
  assert.ok(Math.abs(aurocFromBins(p2, n2) - auroc(L, S)) < 0.005);
  assert.ok(Math.abs(auprcFromBins(p2, n2) - auprc(L, S)) < 0.01);
});
