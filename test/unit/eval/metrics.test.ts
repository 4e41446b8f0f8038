import { test } from 'node:test';
import assert from 'node:assert/strict';
import { auprc, auroc, calibration, errors, meanReciprocalRank, ScoreCounts, weightedMae } from '../../../src/core/eval/metrics';
import { rng } from '../xorshift';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);

test('AUROC and AUPRC match scikit-learn on its documented example', () => {
  // sklearn docs: roc_auc_score -> 0.75, average_precision_score -> 0.8333...
  const y = [0, 0, 1, 1];
  const s = [0.1, 0.4, 0.35, 0.8];
  close(auroc(y, s), 0.75);
  close(auprc(y, s), 0.8333333333333333);
});

test('ties: binary scores use average ranks and one threshold per distinct score', () => {
  // pairs (pos, neg): pos scored 1 vs negs (1,0,0) -> 0.5+1+1; pos scored 0 vs (1,0,0) -> 0+0.5+0.5
  const y = [1, 1, 0, 0, 0];
  const s = [1, 0, 1, 0, 0];
  close(auroc(y, s), 3.5 / 6);
  // threshold 1: P=1/2, R=1/2; threshold 0: P=2/5, R=1  ->  0.5*0.5 + 0.5*0.4
  close(auprc(y, s), 0.45);
  // input order never matters
  close(auroc([0, 0, 0, 1, 1], [1, 0, 0, 1, 0]), 3.5 / 6);
  close(auprc([0, 0, 0, 1, 1], [1, 0, 0, 1, 0]), 0.45);
  close(auroc([1, 0], [0.5, 0.5]), 0.5);
  close(auprc([1, 0], [0.5, 0.5]), 0.5);
});

test('ScoreCounts: counts per distinct score give exactly the pooled AUROC and AUPRC', () => {
  // the hand case above: two groups
  const c = new ScoreCounts();
  [[1, 1], [0, 1], [1, 0], [0, 0], [0, 0]].forEach(([score, y]) => c.add(score, y === 1));
  close(c.auroc(), 3.5 / 6);
  close(c.auprc(), 0.45);
  // generated cases with many ties (0/1 baselines, a few distinct values) and with none: bit-identical
  for (const [seed, distinct] of [[1, 2], [2, 5], [3, 40], [4, 0]] as const) {
    const r = rng(seed);
    const y: number[] = [];
    const s: number[] = [];
    const counts = new ScoreCounts();
    for (let i = 0; i < 5000; i++) {
      const score = distinct ? Math.floor(r() * distinct) / distinct : r();
      const label = r() < 0.2 + 0.5 * score ? 1 : 0;
      y.push(label);
      s.push(score);
      counts.add(score, label === 1);
    }
    assert.equal(counts.auroc(), auroc(y, s), `AUROC, seed ${seed}`);
    assert.equal(counts.auprc(), auprc(y, s), `AUPRC, seed ${seed}`);
  }
  const one = new ScoreCounts();
  one.add(0.3, true);
  assert.ok(Number.isNaN(one.auroc()));
  assert.ok(Number.isNaN(new ScoreCounts().auprc()));
  assert.throws(() => one.add(Number.NaN, false), /finite/);
});

test('perfect and inverted rankings; single-class input is NaN', () => {
  close(auroc([1, 1, 0], [3, 2, 1]), 1);
  close(auprc([1, 1, 0], [3, 2, 1]), 1);
  close(auroc([1, 1, 0], [1, 2, 3]), 0);
  assert.ok(Number.isNaN(auroc([1, 1], [0.2, 0.3])));
  assert.ok(Number.isNaN(auprc([0, 0], [0.2, 0.3])));
  assert.throws(() => auroc([1, 0], [0.1, NaN]), /auroc scores\[1\] is NaN/);
  assert.throws(() => auprc([1, 0], [0.1]), /2 labels but 1 scores/);
});

test('errors and weighted MAE, with a mask', () => {
  const e = errors([1, 2, 3, 4], [2, 2, 5, 0], [1, 1, 1, 0]);
  close(e.mae, 1);
  close(e.rmse, Math.sqrt(5 / 3));
  assert.equal(e.n, 3);
  // weights expm1(ln 2) = 1 and expm1(ln 4) = 3: (1*1 + 3*2) / 4
  close(weightedMae([Math.log(2), Math.log(4)], [Math.log(2) + 1, Math.log(4) - 2]), 7 / 4);
  assert.ok(Number.isNaN(errors([1], [1], [0]).mae));
});

test('expected calibration error over 10 equal-width bins', () => {
  const c = calibration([0, 1, 1, 1], [0.05, 0.15, 0.95, 1.0]);
  // bin 0: |0.05-0|, bin 1: |0.15-1|, bin 9: |0.975-1| weighted 1/4, 1/4, 2/4
  close(c.ece, 0.25 * 0.05 + 0.25 * 0.85 + 0.5 * 0.025);
  assert.equal(c.bins.length, 10);
  assert.equal(c.bins[9].count, 2);
  close(c.bins[9].meanPredicted, 0.975);
  assert.ok(Number.isNaN(c.bins[5].meanPredicted));
  close(calibration([0, 1], [0, 1]).ece, 0);
  assert.throws(() => calibration([1], [1.2]), /probability 0 is 1.2/);
});

test('MRR counts tied negatives as half above', () => {
  // q0: one negative above -> rank 2; q1: two tied -> rank 1 + 1 = 2
  close(meanReciprocalRank([0.9, 0.5], [0.95, 0.1, 0.5, 0.5, 0.2], [0, 2, 5]), 0.5);
  close(meanReciprocalRank([0.9, 0.5], [0.95, 0.1, 0.4], [0, 2, 3]), 0.75);
  // a binary scorer that gives everything 1 ranks the positive in the middle
  close(meanReciprocalRank([1], [1, 1, 1, 1], [0, 4]), 1 / 3);
  assert.throws(() => meanReciprocalRank([1], [1], [0]), /need 2 offsets/);
});
