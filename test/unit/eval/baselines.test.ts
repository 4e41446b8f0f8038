import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Snapshot } from '../../../src/core/snapshot/types';
import { adamicAdar, EdgeBank, heuristicScores, persistenceScores } from '../../../src/core/eval/baselines';

function snap(week: string, ids: string[], edges: [string, string, number][]): Snapshot {
  const at = new Map(ids.map((id, i) => [id, i]));
  return {
    week,
    kind: 'observed',
    ids,
    names: ids,
    categories: ids.map(() => 'Unknown'),
    tvl: new Float64Array(ids.length).fill(100),
    edgeSource: Int32Array.from(edges.map((e) => at.get(e[0])!)),
    edgeTarget: Int32Array.from(edges.map((e) => at.get(e[1])!)),
    edgeWeight: Float64Array.from(edges.map((e) => e[2])),
  };
}

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
