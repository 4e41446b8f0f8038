import { test } from 'node:test';
import assert from 'node:assert/strict';
import { snap as weekOf } from './eval-snapshot';
import { adamicAdar, combinedScores, EdgeBank, heuristicScores, persistenceScores, popularityScores, UndirectedEdgeBank, undirectedPersistenceScores } from '../../../src/core/eval/baselines';

const snap = (week: string, ids: string[], edges: [string, string, number][]) => weekOf(week, ids, edges, { tvl: () => 100 });

const pairsOf = (list: [number, number][]) => Int32Array.from([...list.map((p) => p[0]), ...list.map((p) => p[1])]);

test('persistence: binary score and ln(1+w) of the anchor edge, last duplicate wins', () => {
  const s = snap('2024-01-01', ['a', 'b', 'c'], [['a', 'b', 9], ['a', 'b', 99], ['b', 'c', 0]]);
  const r = persistenceScores(s, pairsOf([[0, 1], [1, 0], [1, 2], [2, 0]]));
  assert.deepEqual([...r.score], [1, 0, 1, 0]);
  assert.deepEqual([...r.logWeight], [Math.log(100), 0, 0, 0]);
});

test('EdgeBank remembers every past edge by id, with its latest weight', () => {
  const bank = new EdgeBank();
  bank.add(snap('2024-01-01', ['a', 'b', 'c'], [['a', 'b', 1], ['c', 'a', 3]]));
  bank.add(snap('2024-01-08', ['a', 'b', 'c'], [['a', 'b', 7]]));
  // anchor with a different node order: ids, not indices, identify edges
  const anchor = snap('2024-01-15', ['c', 'a', 'b', 'd'], [['b', 'd', 1]]);
  bank.add(anchor);
  const r = bank.scores(anchor, pairsOf([[1, 2], [0, 1], [2, 3], [3, 0], [2, 1]]));
  assert.deepEqual([...r.score], [1, 1, 1, 0, 0]);
  assert.deepEqual([...r.logWeight], [Math.log(8), Math.log(4), Math.log(2), 0, 0]);
  assert.throws(() => bank.add(snap('2024-01-08', ['a'], [])), /weeks must increase/);
  assert.throws(() => bank.scores(snap('2024-02-01', ['a'], []), pairsOf([])), /holds weeks up to 2024-01-15/);
});

test('Adamic-Adar on the undirected graph, hand-computed', () => {
  // undirected: a-c, b-c, a-d, b-d, d-e; deg c = 2, deg d = 3
  const s = snap('2024-01-01', ['a', 'b', 'c', 'd', 'e'], [['a', 'c', 1], ['c', 'b', 1], ['a', 'd', 1], ['d', 'b', 1], ['e', 'd', 1], ['e', 'e', 5]]);
  const aa = adamicAdar(s, pairsOf([[0, 1], [0, 4], [2, 3], [4, 4]]));
  assert.ok(Math.abs(aa[0] - (1 / Math.log(2) + 1 / Math.log(3))) < 1e-12);
  assert.ok(Math.abs(aa[1] - 1 / Math.log(3)) < 1e-12);
  assert.ok(Math.abs(aa[2] - 2 / Math.log(2)) < 1e-12); // c and d share a and b, both of degree 2
  assert.ok(Math.abs(aa[3] - 1 / Math.log(3)) < 1e-12); // e with itself: its only neighbour d
  // a self-pair whose protocol has a leaf neighbour (degree 1): finite, the leaf adds nothing
  const star = snap('2024-01-01', ['hub', 'leaf', 'x', 'y'], [['leaf', 'hub', 1], ['hub', 'x', 1], ['y', 'x', 1], ['hub', 'hub', 2]]);
  const self = adamicAdar(star, pairsOf([[0, 0]]));
  assert.ok(Number.isFinite(self[0]));
  assert.ok(Math.abs(self[0] - 1 / Math.log(2)) < 1e-12); // only x (degree 2) counts
});

test('heuristic: existing edges outrank new ones; new edges ordered by Adamic-Adar', () => {
  const s = snap('2024-01-01', ['a', 'b', 'c', 'd', 'e'], [['a', 'c', Math.E - 1], ['c', 'b', 1], ['a', 'd', 1], ['d', 'b', 1], ['e', 'd', 1]]);
  const r = heuristicScores(s, pairsOf([[0, 2], [0, 1], [0, 4], [1, 4]]));
  assert.ok(r.score[0] >= 1);
  assert.ok(r.score[1] < 0.5 && r.score[1] > r.score[2] && r.score[2] > 0);
  assert.ok(r.score[2] === r.score[3]); // a-e and b-e share only d
  assert.ok(Math.abs(r.logWeight[0] - 1) < 1e-12);
  // b has one incoming edge, from c, weight 1 -> ln 2; e has none -> global mean
  assert.ok(Math.abs(r.logWeight[1] - Math.log(2)) < 1e-12);
  const globalMean = (1 + 4 * Math.log(2)) / 5;
  assert.ok(Math.abs(r.logWeight[2] - globalMean) < 1e-12);
});

test('undirected persistence: 2 for an anchor edge u -> v, 1 when only v -> u exists, weight of u -> v', () => {
  const s = snap('2024-01-01', ['a', 'b', 'c', 'd'], [['a', 'b', 9], ['c', 'a', 1], ['b', 'd', Math.E - 1], ['d', 'b', 3]]);
  const r = undirectedPersistenceScores(s, pairsOf([[0, 1], [1, 0], [0, 2], [2, 0], [1, 3], [3, 1], [0, 3]]));
  assert.deepEqual([...r.score], [2, 1, 1, 2, 2, 2, 0]);
  assert.deepEqual([...r.logWeight].map((x) => +x.toFixed(12)), [Math.log(10), 0, 0, Math.log(2), 1, Math.log(4), 0].map((x) => +x.toFixed(12)));
});

test('undirected EdgeBank: any week so far, either direction; 2 for the same direction, 1 for the reverse only', () => {
  const bank = new UndirectedEdgeBank();
  bank.add(snap('2024-01-01', ['a', 'b', 'c'], [['a', 'b', 1]]));
  bank.add(snap('2024-01-08', ['a', 'b', 'c'], [['c', 'b', 2]]));
  const anchor = snap('2024-01-15', ['a', 'b', 'c', 'd'], [['d', 'a', 1]]);
  bank.add(anchor);
  const r = bank.scores(anchor, pairsOf([[0, 1], [1, 0], [1, 2], [2, 1], [0, 3], [3, 0], [0, 2]]));
  assert.deepEqual([...r.score], [2, 1, 1, 2, 1, 2, 0]);
});

test('popularity: ln(1 + out-degree of u) + ln(1 + in-degree of v), distinct neighbours, self-loops ignored', () => {
  // out: a -> b, a -> c, a -> c (duplicate), d -> c, c -> c (self-loop)
  const s = snap('2024-01-01', ['a', 'b', 'c', 'd'], [['a', 'b', 1], ['a', 'c', 1], ['a', 'c', 2], ['d', 'c', 1], ['c', 'c', 5]]);
  const r = popularityScores(s, pairsOf([[0, 2], [3, 1], [1, 0], [2, 3]]));
  const close = (x: number, y: number) => assert.ok(Math.abs(x - y) < 1e-12, `${x} vs ${y}`);
  close(r.score[0], Math.log(3) + Math.log(3)); // a: 2 out; c: 2 in (a, d)
  close(r.score[1], Math.log(2) + Math.log(2)); // d: 1 out; b: 1 in
  close(r.score[2], 0); // b: no out; a: no in
  close(r.score[3], 0); // c's self-loop does not count
  // weights: the anchor edge's when it exists, else the mean incoming log-weight of v
  close(r.logWeight[0], Math.log(3));
  close(r.logWeight[1], Math.log(2));
});

test('combined: persistence-u before edgebank-u before popularity + Adamic-Adar', () => {
  const bank = new UndirectedEdgeBank();
  bank.add(snap('2024-01-01', ['a', 'b', 'c', 'd', 'e'], [['a', 'e', 1]]));
  // at t: a -> b, c -> a, d -> b; a and d share b
  const anchor = snap('2024-01-08', ['a', 'b', 'c', 'd', 'e'], [['a', 'b', 1], ['c', 'a', 1], ['d', 'b', 1]]);
  bank.add(anchor);
  const pairs = pairsOf([[0, 1], [0, 2], [4, 0], [0, 4], [3, 0], [0, 3], [2, 4]]);
  const r = combinedScores(anchor, bank, pairs);
  const s = [...r.score];
  // a->b: 4*2 + 2 + x/(1+x), a->c (reverse at t): 4*1 + 1 + ..., e->a (reverse, earlier week): 0 + 1 + ...
  const pop = popularityScores(anchor, pairs).score;
  const aa = adamicAdar(anchor, pairs);
  const sq = (i: number) => (pop[i] + aa[i]) / (1 + pop[i] + aa[i]);
  const expected = [10 + sq(0), 5 + sq(1), 1 + sq(2), 2 + sq(3), sq(4), sq(5), sq(6)];
  for (let i = 0; i < s.length; i++) assert.ok(Math.abs(s[i] - expected[i]) < 1e-12, `pair ${i}: ${s[i]} vs ${expected[i]}`);
  assert.ok(s[0] > s[1] && s[1] > s[3] && s[3] > s[2] && s[2] > s[5]);
  // d and a share b: Adamic-Adar 1 / ln 2 (b has degree 2) lifts d -> a above c -> e
  assert.ok(Math.abs(aa[4] - 1 / Math.log(2)) < 1e-12);
});
