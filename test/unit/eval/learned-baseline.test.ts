import { test } from 'node:test';
import assert from 'node:assert/strict';
import { snap as weekOf } from './eval-snapshot';
import { PairFeatureModel, learnedPairForecasters } from '../../../src/core/eval/learned-baseline';

const snap = (week: string, ids: string[], edges: [string, string, number][], categories?: string[]) => weekOf(week, ids, edges, { tvl: (i) => i, categories: categories ?? ids.map(() => 'Dexs') });

const pairsOf = (list: [number, number][]) =>
  Int32Array.from([...list.map((p) => p[0]), ...list.map((p) => p[1])]);

test('pair features by hand: lagged presence and weight both ways, ever seen, degrees, Adamic-Adar, TVL, categories', () => {
  const m = new PairFeatureModel({ lags: 2, maxCategories: 2 });
  m.observe(
    snap(
      '2024-01-01',
      ['a', 'b', 'c'],
      [
        ['b', 'a', Math.E - 1],
        ['c', 'a', 1],
      ],
    ),
  );
  m.observe(snap('2024-01-08', ['a', 'b', 'c'], [['a', 'b', 1]]));
  const anchor = snap(
    '2024-01-15',
    ['c', 'a', 'b'],
    [
      ['a', 'b', 3],
      ['c', 'b', 1],
    ],
    ['Lending', 'Dexs', 'Dexs'],
  );
  m.observe(anchor);
  // the category vocabulary comes from the first training week: Dexs (2), Lending (1)
  m.learn(anchor, pairsOf([[1, 2]]), [1], [0]);
  assert.equal(m.width, 4 * 2 + 2 + 7 + 2 * 3);
  const x = m.features(
    anchor,
    pairsOf([
      [1, 2],
      [2, 1],
      [0, 1],
    ]),
  );
  const row = (i: number) => Array.from(x.subarray(i * m.width, (i + 1) * m.width)).map((v) => +v.toFixed(6));
  const r = (v: number) => +v.toFixed(6);
  // a -> b: lag 0 (week 15) a->b w=3; lag 1 (week 8) a->b w=1; ever a->b yes, b->a yes (week 1)
  assert.deepEqual(row(0), [
    1,
    0,
    r(Math.log(4)),
    0,
    1,
    0,
    r(Math.log(2)),
    0,
    1,
    1,
    // structure: a out 1, in 0; b out 0, in 2; Adamic-Adar of a,b (no common neighbour); TVL a = 1, b = 2
    r(Math.log(2)),
    0,
    0,
    r(Math.log(3)),
    0,
    r(Math.log(2)),
    r(Math.log(3)),
    // categories: a Dexs, b Dexs
    1,
    0,
    0,
    1,
    0,
    0,
  ]);
  // b -> a: the mirror of the history columns
  assert.deepEqual(row(1).slice(0, 10), [0, 1, 0, r(Math.log(4)), 0, 1, 0, r(Math.log(2)), 1, 1]);
  // c -> a: not connected in the last two weeks; c -> a seen at week 1; c and a share b (degree 2): AA = 1 / ln 2
  assert.deepEqual(row(2).slice(0, 10), [0, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
  assert.equal(row(2)[14], r(1 / Math.log(2)));
  assert.deepEqual(row(2).slice(17), [0, 1, 0, 1, 0, 0]); // c Lending, a Dexs
  assert.throws(
    () => m.features(snap('2024-01-22', ['a'], []), pairsOf([])),
    /asked before that week was observed/,
  );
});

test('the learned baseline separates pairs that history separates, and refuses to fit without both classes', () => {
  const m = new PairFeatureModel({ lags: 1 });
  const ids = Array.from({ length: 12 }, (_, i) => `p${i}`);
  const edges: [string, string, number][] = ids.slice(0, 6).map((id, i) => [id, ids[i + 6], 10]);
  const week = snap('2024-01-01', ids, edges);
  m.observe(week);
  const positives: [number, number][] = edges.map((_, i) => [i, i + 6]);
  const negatives: [number, number][] = edges.map((_, i) => [i + 6, (i + 1) % 6]);
  const pairs = pairsOf([...positives, ...negatives]);
  assert.throws(() => new PairFeatureModel().fit(), /no training week pair/);
  m.learn(
    week,
    pairs,
    [...positives.map(() => 1), ...negatives.map(() => 0)],
    Float32Array.from([...positives.map(() => Math.log(11)), ...negatives.map(() => 0)]),
  );
  const p = m.predict(week, pairs);
  for (let i = 0; i < 6; i++) assert.ok(p.score[i] > 0.5 && p.score[6 + i] < 0.5);
  assert.ok(Math.abs(p.logWeight[0] - Math.log(11)) < 0.2, 'the ridge recovers the persisting weight');
});

test('pair-lad shares pair-logreg\'s model and existence score; its weight is the median where ridge gives the mean', () => {
  // Five disjoint edges of equal weight between nodes of equal TVL and category: every
  // positive has the same feature row, so each magnitude fit is its intercept alone.
  const ids = Array.from({ length: 10 }, (_, i) => `p${i}`);
  const edges: [string, string, number][] = ids.slice(0, 5).map((id, i) => [id, ids[i + 5], 10]);
  const week = weekOf('2024-01-01', ids, edges, { tvl: () => 100, categories: ids.map(() => 'Dexs') });
  const [logreg, lad] = learnedPairForecasters({ lags: 1 });
  assert.deepEqual([logreg.name, lad.name], ['pair-logreg', 'pair-lad']);
  for (const f of [logreg, lad]) f.observe?.(week);
  const positives: [number, number][] = edges.map((_, i) => [i, i + 5]);
  const negatives: [number, number][] = edges.map((_, i) => [i + 5, (i + 1) % 5]);
  const pairs = pairsOf([...positives, ...negatives]);
  const y = [1, 2, 3, 4, 20];
  logreg.learn!(week, pairs, Uint8Array.from([1, 1, 1, 1, 1, 0, 0, 0, 0, 0]), Float32Array.from([...y, 0, 0, 0, 0, 0]), 1);
  const a = logreg.score(week, undefined, pairs, 1) as { score: Float64Array; logWeight: Float64Array };
  const b = lad.score(week, undefined, pairs, 1) as { score: Float64Array; logWeight: Float64Array };
  assert.deepEqual(Array.from(b.score), Array.from(a.score));
  for (let i = 0; i < 5; i++) {
    assert.ok(Math.abs(a.logWeight[i] - 6) < 1e-6, `ridge ${a.logWeight[i]}`);
    assert.ok(Math.abs(b.logWeight[i] - 3) < 1e-4, `lad ${b.logWeight[i]}`);
  }
  assert.throws(() => new PairFeatureModel({ lags: 1 }).predict(week, pairs, 'lad'), /no training week pair/);
});
