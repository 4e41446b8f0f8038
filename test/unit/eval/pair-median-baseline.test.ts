import { test } from 'node:test';
import assert from 'node:assert/strict';
import { snap } from './eval-snapshot';
import { fitPairMedianRule, pairMedianForecaster, predictPairMedian, RecentWeights, type PairHistory } from '../../../src/core/eval/pair-median-baseline';
import { median } from '../../../src/core/median';

const pairsOf = (list: [number, number][]) => Int32Array.from([...list.map((p) => p[0]), ...list.map((p) => p[1])]);
// a USD weight whose ln(1 + w) is x
const w = (x: number) => Math.expm1(x);

test('median by hand: odd, even, empty', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
});

test('a pair\'s window: median and last ln(1 + w) over the last k weeks it was linked, by ids whatever their order, last duplicate winning', () => {
  const r = new RecentWeights(3);
  r.observe(snap('2024-01-01', ['a', 'b'], [['a', 'b', w(9)]])); // falls out of the 3-week window
  r.observe(snap('2024-01-08', ['b', 'a', 'c'], [['a', 'b', w(1)], ['b', 'a', w(5)]]));
  r.observe(snap('2024-01-15', ['a', 'b', 'c'], [['a', 'b', w(3)], ['c', 'a', w(4)]]));
  const anchor = snap('2024-01-22', ['c', 'b', 'a'], [['a', 'b', w(7)], ['a', 'b', w(2)], ['c', 'a', w(6)]]);
  r.observe(anchor);
  const [ab, ba, ca, cb] = r.histories(anchor, pairsOf([[2, 1], [1, 2], [0, 2], [0, 1]]));
  // a -> b: 1, 3 and 2 (the week's last duplicate), not the 9 of four weeks back
  assert.equal(ab.weeks, 3);
  assert.ok(Math.abs(ab.median - 2) < 1e-12 && Math.abs(ab.last - 2) < 1e-12);
  // b -> a: linked two weeks back only
  assert.equal(ba.weeks, 1);
  assert.ok(Math.abs(ba.median - 5) < 1e-12);
  assert.ok(Number.isNaN(ba.last));
  // c -> a: 4 then 6, median 5
  assert.equal(ca.weeks, 2);
  assert.ok(Math.abs(ca.median - 5) < 1e-12 && Math.abs(ca.last - 6) < 1e-12);
  assert.deepEqual([cb.weeks, Number.isNaN(cb.median), Number.isNaN(cb.last)], [0, true, true]);
  // each with its reverse's window, where the reverse was linked in it
  assert.equal(ab.reverse?.weeks, 1);
  assert.ok(Math.abs(ab.reverse!.median - 5) < 1e-12 && Number.isNaN(ab.reverse!.last));
  assert.equal(ba.reverse?.weeks, 3);
  assert.ok(Math.abs(ba.reverse!.median - 2) < 1e-12 && Math.abs(ba.reverse!.last - 2) < 1e-12);
  assert.equal(ca.reverse, undefined);
  assert.equal(cb.reverse, undefined);
  assert.throws(() => r.histories(snap('2024-01-15', ['a'], []), pairsOf([])), /pairs of 2024-01-15 asked while the last observed week is 2024-01-22/);
  assert.throws(() => new RecentWeights(0), /k must be a positive integer, got 0/);
});

test('the rule by hand: per group the predictor with the lowest training MAE, drifts as median residuals, empty groups the linked pairs\' median', () => {
  const k = 3;
  const rows: PairHistory[] = [];
  const y: number[] = [];
  const add = (median: number, last: number, weeks: number, target: number) => {
    rows.push({ median, last, weeks });
    y.push(target);
  };
  // not linked at t: always the median of y, here 3
  add(NaN, NaN, 0, 1);
  add(4, NaN, 2, 5);
  add(NaN, NaN, 0, 3);
  // linked in 1 of 3 weeks: median = last, y - median = 2 for both: median + 2, error 0 (ties go to median)
  add(2, 2, 1, 4);
  add(5, 5, 1, 7);
  // linked in all 3 weeks, a steady level: y - median = 1, 1, 1 (error 0); y - last = -1, 3, -1
  // (drift -1: errors 0, 3, 0); the constant 5: errors 0, 2, 3
  add(4, 6, 3, 5);
  add(2, 0, 3, 3);
  add(7, 9, 3, 8);
  const rule = fitPairMedianRule(rows, y, k);
  assert.deepEqual(rule.groups[0], { use: 'constant', value: 3 });
  assert.deepEqual(rule.groups[1], { use: 'median', drift: 2 });
  // no row linked in 2 of 3 weeks: the median of the rows linked at t (4, 7, 5, 3, 8)
  assert.deepEqual(rule.groups[2], { use: 'constant', value: 5 });
  assert.deepEqual(rule.groups[3], { use: 'median', drift: 1 });
  // no row with only its reverse linked at t: the median of every y (1, 5, 3, 4, 7, 5, 3, 8)
  assert.deepEqual(rule.groups[4], { use: 'constant', value: 4.5 });
  assert.equal(rule.groups.length, k + 2);
  assert.equal(predictPairMedian(rule, { median: 10, last: 12, weeks: 3 }), 11);
  assert.equal(predictPairMedian(rule, { median: 10, last: 12, weeks: 2 }), 5);
  assert.equal(predictPairMedian(rule, { median: 10, last: NaN, weeks: 2 }), 3);
  // drifts below zero are cut at ln(1 + 0)
  assert.equal(predictPairMedian({ groups: [{ use: 'constant', value: 3 }, { use: 'last', drift: -5 }, { use: 'constant', value: 3 }] }, { median: 1, last: 1, weeks: 1 }), 0);

  // a ramping position: y - last = 1, 1, 1 (error 0) against y - median = 3, 4, 2 (drift 3: errors 0, 1, 1)
  const ramp = fitPairMedianRule(
    [{ median: 1, last: 3, weeks: 2 }, { median: 2, last: 5, weeks: 2 }, { median: 0, last: 1, weeks: 2 }],
    [4, 6, 2],
    2,
  );
  assert.deepEqual(ramp.groups[2], { use: 'last', drift: 1 });
  // no unlinked row: their constant is the median of every y
  assert.deepEqual(ramp.groups[0], { use: 'constant', value: 4 });
  assert.deepEqual(ramp.groups[3], { use: 'constant', value: 4 });

  // a position that turned around: not linked at t, its reverse is. y - reverse's last = -1, -1, -1
  // (error 0) against y - reverse's median = 1, 0, 1 (drift 1: errors 0, 1, 0); a pair whose
  // reverse was linked only before t is an ordinary unlinked pair
  const rev = (median: number, last: number): PairHistory => ({ median: NaN, last: NaN, weeks: 0, reverse: { median, last, weeks: 2 } });
  const flipped = fitPairMedianRule([rev(9, 11), rev(5, 6), rev(2, 4), rev(3, NaN)], [10, 5, 3, 1], 2);
  assert.deepEqual(flipped.groups[3], { use: 'last', drift: -1 });
  assert.deepEqual(flipped.groups[0], { use: 'constant', value: 1 });
  assert.equal(predictPairMedian(flipped, rev(20, 30)), 29);
  assert.throws(() => fitPairMedianRule([], [], 2), /no training positives/);
});

test('pair-median as a forecaster: learns from training positives only, predicts from the window, scores by the share of weeks linked', () => {
  const f = pairMedianForecaster({ k: 2 });
  const ids = ['a', 'b', 'c'];
  f.observe!(snap('2024-01-01', ids, [['a', 'b', w(2)]]));
  const t1 = snap('2024-01-08', ids, [['a', 'b', w(4)], ['b', 'c', w(1)]]);
  f.observe!(t1);
  // training pairs of anchor t1: a -> b (held 2 weeks, median 3, y 5), b -> c (1 week, 1, y 2),
  // c -> a (not linked, y 6); the negative b -> a is ignored
  f.learn!(t1, pairsOf([[0, 1], [1, 2], [2, 0], [1, 0]]), Uint8Array.from([1, 1, 1, 0]), Float32Array.from([5, 2, 6, 9]), 1);
  const t2 = snap('2024-01-15', ids, [['a', 'b', w(6)], ['b', 'c', w(3)]]);
  f.observe!(t2);
  const r = f.score(t2, t1, pairsOf([[0, 1], [1, 2], [2, 0], [1, 0]]), 1) as { score: Float64Array; logWeight: Float64Array };
  // a -> b: window 4, 6: median 5 + drift 2; b -> c: 1, 3: median 2 + 2 (group 2 again); c -> a: 6;
  // b -> a (its reverse linked at t, a group without training rows): the median of every y, 5
  const round = (x: number) => Math.round(x * 1e9) / 1e9;
  assert.deepEqual(f.rule().groups.map((g) => (g.use === 'constant' ? { ...g, value: round(g.value) } : { ...g, drift: round(g.drift) })), [
    { use: 'constant', value: 6 },
    { use: 'median', drift: 1 },
    { use: 'median', drift: 2 },
    { use: 'constant', value: 5 },
  ]);
  assert.deepEqual(Array.from(r.logWeight, round), [7, 4, 6, 5]);
  assert.deepEqual(Array.from(r.score), [1, 1, 0, 0]);
  assert.throws(() => f.learn!(t2, pairsOf([[0, 1]]), Uint8Array.from([1]), Float32Array.from([1]), 1), /learn\(\) after the rule was fitted/);
});
