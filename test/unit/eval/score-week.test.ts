/**
 * Per-week scoring on its own (accumulateWeek): one hand-made week sample and a
 * forecaster's fixed scores, every statistic it adds worked out by hand.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accumulateWeek, newPool, type Forecaster } from '../../../src/core/eval/evaluate';
import { KIND_POSITIVE, kindCode, type WeekSample } from '../../../src/core/eval/negatives';
import { snap } from './eval-snapshot';

const close = (a: readonly number[], b: readonly number[], what: string) => {
  assert.equal(a.length, b.length, what);
  a.forEach((x, i) => assert.ok(Math.abs(x - b[i]) < 1e-9, `${what}[${i}]: ${x} vs ${b[i]}`));
};

test('one week: weight errors, persisting vs new, calibration bins, existence, direction and node errors', () => {
  const anchor = snap('2024-03-04', ['a', 'b', 'c'], [['a', 'b', 5]]);
  const R = kindCode('random');
  // P = 4 directed pairs, positives first: a->b (persists), b->c (new); negatives c->a, a->c.
  const s: WeekSample = {
    anchor,
    horizon: 1,
    pairs: Int32Array.from([0, 1, 2, 0, /* targets */ 1, 2, 0, 2]),
    label: Uint8Array.from([1, 1, 0, 0]),
    kind: Uint8Array.from([KIND_POSITIVE, KIND_POSITIVE, R, R]),
    yLw: Float32Array.from([2, 1, 0, 0]),
    reverseLabel: Uint8Array.from([0, 0, 0, 0]),
    atAnchor: Uint8Array.from([1, 0, 0, 0]),
    numPositives: 2,
    nodeTarget: Float32Array.from([0.25, -0.5, 0]),
    nodeMask: Uint8Array.from([1, 1, 0]),
  };
  // Forward scores of the four pairs, then of their reverses (b->a, c->b, a->c, c->a).
  const r = { score: Float64Array.from([0.9, 0.6, 0.3, 0.05, 0.2, 0.8, 0.4, 0.7]), logWeight: Float64Array.from([1.5, 1.5, 0, 0, 0, 0, 0, 0]) };
  const f: Forecaster = { name: 'fixed', probabilities: true, score: () => r };
  const pool = newPool();
  accumulateWeek(pool, f, s, r, 4);

  assert.equal(pool.units.length, 1);
  const u = pool.units[0];
  assert.deepEqual([...pool.score.view()], [0.9, 0.6, 0.3, 0.05]);
  assert.deepEqual([...pool.unit.view()], [0, 0, 0, 0]);
  // Weight errors of the positives: 1.5 - 2 = -0.5 and 1.5 - 1 = 0.5.
  close(u.w, [1, 0.5, 2], 'w');
  close(u.wWeighted, [0.5 * Math.expm1(2) + 0.5 * Math.expm1(1), Math.expm1(2) + Math.expm1(1)], 'wWeighted');
  close(u.persisting, [0.5, 1], 'persisting');
  close(u.fresh, [0.5, 1], 'fresh');
  // Calibration: the positives and random negatives in tenths: 0.9 -> bin 9, 0.6 -> 6, 0.3 -> 3, 0.05 -> 0.
  const bins = (b: number) => u.ece.slice(3 * b, 3 * b + 3);
  close(bins(9), [1, 0.9, 1], 'bin 9');
  close(bins(6), [1, 0.6, 1], 'bin 6');
  close(bins(3), [1, 0.3, 0], 'bin 3');
  close(bins(0), [1, 0.05, 0], 'bin 0');
  assert.equal(u.ece.reduce((a, x, i) => a + (i % 3 === 0 ? x : 0), 0), 4);
  // Existence: each unordered pair once ({c, a} and {a, c} are one), scored by its larger direction.
  close([...pool.eScore.view()], [0.9, 0.8, 0.4], 'eScore');
  assert.deepEqual([...pool.eLabel.view()], [1, 1, 0]);
  // Direction, on the pairs that exist one way only: a->b beats b->a (0.9 > 0.2), b->c loses to c->b (0.6 < 0.8).
  close(u.direction, [1, 2], 'direction');
  // Nodes a and b exist at t+h; no predicted change: errors -0.25 and 0.5.
  close(u.node, [0.75, 0.3125, 2], 'node');
  close(u.nodePos, [0.75, 0.3125, 2], 'nodePos (TVL > 0)');
  close(u.mrr, [0, 0], 'no MRR queries');
});

test('one week: a non-finite score or a probability outside [0, 1] is refused naming the forecaster and the week', () => {
  const anchor = snap('2024-03-04', ['a', 'b'], [['a', 'b', 5]]);
  const s: WeekSample = {
    anchor,
    horizon: 1,
    pairs: Int32Array.from([0, 1]),
    label: Uint8Array.from([1]),
    kind: Uint8Array.from([KIND_POSITIVE]),
    yLw: Float32Array.from([1]),
    reverseLabel: Uint8Array.from([0]),
    atAnchor: Uint8Array.from([1]),
    numPositives: 1,
    nodeTarget: Float32Array.from([0, 0]),
    nodeMask: Uint8Array.from([0, 0]),
  };
  const f: Forecaster = { name: 'odd', probabilities: true, score: () => ({ score: new Float64Array(2), logWeight: new Float64Array(2) }) };
  assert.throws(() => accumulateWeek(newPool(), f, s, { score: Float64Array.from([Number.NaN, 0]), logWeight: new Float64Array(2) }, 1), /^Error: eval\/evaluate: odd gave score NaN for pair 0 of anchor 2024-03-04$/);
  assert.throws(() => accumulateWeek(newPool(), f, s, { score: Float64Array.from([1.5, 0]), logWeight: new Float64Array(2) }, 1), /^Error: eval\/evaluate: odd says it gives probabilities but scored 1.5$/);
});
