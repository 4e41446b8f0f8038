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
