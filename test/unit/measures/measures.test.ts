import { test } from 'node:test';
import assert from 'node:assert/strict';
import pagerankGraphology from 'graphology-metrics/centrality/pagerank';
import { computeMeasures, giniPositive, hhi, pagerank, sis, spilloverMatrix, tailExposure, topShare, watchlist } from '../../../src/core/measures';
import { graphologyGraph, randomSnapshot, referenceGraphs, referenceSnapshot, snap } from './fixture-snapshot';

function close(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs expected ${expected}`);
}

function closeAll(actual: ArrayLike<number>, expected: number[], tol: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) close(actual[i], expected[i], tol, `${what}[${i}]`);
}

test('pagerank matches NetworkX (parity: last-wins duplicates, self-loops; default: summed, no self-loops)', () => {
  for (const g of referenceGraphs()) {
    const s = referenceSnapshot(g);
    closeAll(pagerank(s, { mode: 'parity' }).scores, g.reference.pagerank_parity, 1e-12, `${g.name} parity`);
    closeAll(pagerank(s).scores, g.reference.pagerank_default, 1e-12, `${g.name} default`);
    // The two conventions really differ on these graphs (duplicates and self-loops present).
    const d = pagerank(s).scores;
    const p = pagerank(s, { mode: 'parity' }).scores;
    assert.ok(d.some((x, i) => Math.abs(x - p[i]) > 1e-6), `${g.name}: conventions should differ`);
  }
});

test('pagerank matches graphology-metrics on a random graph', () => {
  const s = randomSnapshot(300, 1500, 3);
  const graph = graphologyGraph(s);
  const ref = pagerankGraphology(graph, { getEdgeWeight: 'weight' });
  const ours = pagerank(s).scores;
  s.ids.forEach((id, i) => close(ours[i], ref[id], 1e-12, `pagerank ${id}`));
});

test('pagerank hand cases: cycle is uniform, star hub, empty and single-node graphs', () => {
  const cyc = pagerank(snap([['a', 1], ['b', 1], ['c', 1]], [['a', 'b', 5], ['b', 'c', 1], ['c', 'a', 2]])).scores;
  closeAll(cyc, [1 / 3, 1 / 3, 1 / 3], 1e-9, 'cycle');
  // Two leaves point at a hub; the hub is dangling. Stationary solution of
  // x_h = 0.85 (x_1 + x_2 + x_h / 3) + 0.05, x_leaf = 0.85 x_h / 3 + 0.05 (hand-solved).
  const star = pagerank(snap([['h', 1], ['l1', 1], ['l2', 1]], [['l1', 'h', 1], ['l2', 'h', 3]]), { tolerance: 1e-12 }).scores;
  const xh = (0.05 + 0.85 * 0.1) / (1 - 0.85 / 3 - (0.85 * 0.85 * 2) / 3);
  const xl = (0.85 * xh) / 3 + 0.05;
  closeAll(star, [xh, xl, xl], 1e-9, 'star');
  close(star[0] + star[1] + star[2], 1, 1e-12, 'star sum');
  assert.equal(pagerank(snap([], [])).scores.length, 0);
  closeAll(pagerank(snap([['x', 5]], [])).scores, [1], 1e-12, 'single');
});

test('pagerank non-convergence: default throws, parity returns zeros like the authors', () => {
  const s = randomSnapshot(50, 200, 1);
  assert.throws(() => pagerank(s, { maxIterations: 2 }), /measures\/pagerank: did not converge in 2 iterations/);
  const p = pagerank(s, { maxIterations: 2, mode: 'parity' });
  assert.equal(p.converged, false);
  assert.ok(p.scores.every((x) => x === 0));
  const r = sis(s, { maxIterations: 2, mode: 'parity' });
  assert.ok(r.pagerankNorm.every((x) => x === 0));
});

test('SIS components and score match the authors\' formulas (parity fixture)', () => {
  for (const g of referenceGraphs()) {
    const s = referenceSnapshot(g);
    const r = sis(s, { mode: 'parity' });
    closeAll(r.pagerankNorm, g.reference.parity.pagerankNorm, 1e-12, `${g.name} prNorm`);
    closeAll(r.tailExposure, g.reference.parity.tailExposure, 1e-12, `${g.name} tail`);
    closeAll(r.logTvlNorm, g.reference.parity.logTvlNorm, 1e-12, `${g.name} logTvl`);
    closeAll(r.sis, g.reference.parity.sis, 1e-12, `${g.name} sis`);
  }
});

test('tail exposure: top-5 share, 1 with <= 5 creditors-side edges, 0 with none; default merges duplicates', () => {
  const nodes: [string, number][] = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'z'].map((x) => [x, 10]);
  const edges: [string, string, number][] = [1, 2, 3, 4, 5, 6, 7].map((w, i) => ['a', 'bcdefgh'[i], w]);
  edges.push(['b', 'c', 2], ['b', 'd', 3]);
  const s = snap(nodes, edges);
  const t = tailExposure(s);
  close(t[0], 25 / 28, 1e-15, 'a');
  assert.equal(t[1], 1);
  assert.equal(t[8], 0);
  // Six rows to two distinct debtors: parity counts rows (5 of 6 rows), default merges pairs (2 <= 5).
  const dup = snap([['a', 1], ['b', 1], ['c', 1]], [['a', 'b', 1], ['a', 'b', 1], ['a', 'b', 1], ['a', 'c', 1], ['a', 'c', 1], ['a', 'c', 1]]);
  close(tailExposure(dup, { mode: 'parity' })[0], 5 / 6, 1e-15, 'parity rows');
  assert.equal(tailExposure(dup)[0], 1);
});

test('SIS default mode: min-max normalisation and custom weights', () => {
  // a -> b -> c chain: PageRank increases along the chain; c is dangling.
  const s = snap([['a', 0], ['b', 99], ['c', 9999]], [['a', 'b', 1], ['b', 'c', 1]]);
  const r = sis(s, { weights: { pagerank: 0, tail: 0, tvl: 1 } });
  closeAll(r.logTvlNorm, [0, Math.log(100) / Math.log(10000), 1], 1e-12, 'logTvl');
  closeAll(r.sis, [0, 0.5, 1], 1e-12, 'sis = logTvl');
  assert.equal(r.pagerankNorm[0], 0);
  assert.equal(r.pagerankNorm[2], 1);
  const p = sis(s, { mode: 'parity' });
  assert.ok(p.pagerankNorm[0] > 0, 'parity divides by max only, so the minimum stays above 0');
  assert.throws(() => sis(s, { weights: { tail: -1 } }), /measures\/sis: weights.tail must be a finite number >= 0, got -1/);
});

test('watchlist ranks by SIS with id tie-break', () => {
  const s = snap([['b', 10], ['a', 10], ['c', 1000]], []);
  const w = watchlist(s, 2);
  assert.deepEqual(w.map((x) => [x.rank, x.id]), [[1, 'c'], [2, 'a']]);
});

test('concentration statistics on hand-computed vectors', () => {
  close(giniPositive([1, 2, 3, 4]), 0.25, 1e-15, 'gini');
  close(giniPositive([0, 0, 5, 5]), 0, 1e-15, 'gini ignores zeros');
  assert.equal(giniPositive([]), 0);
  close(hhi([1, 1, 2]), 0.375, 1e-15, 'hhi');
  assert.equal(hhi([0, 0]), 0);
  close(topShare([5, 1, 1, 3], 2), 0.8, 1e-15, 'top2');
});

test('spillover matrix and index on a hand-computed 3-sector graph', () => {
  const s = snap(
    [['l1', 1, 'Lending'], ['l2', 1, 'Lending'], ['d1', 1, 'Dexes'], ['b1', 1, 'Bridge']],
    [['l1', 'l2', 7], ['l1', 'd1', 2], ['d1', 'b1', 1], ['b1', 'l2', 1], ['l2', 'd1', 2], ['b1', 'b1', 9]],
  );
  const d = spilloverMatrix(s);
  assert.deepEqual(d.sectors, ['Bridge', 'Dexes', 'Lending']);
  assert.deepEqual(d.matrix, [[0, 0, 1], [1, 0, 0], [0, 4, 7]]);
  assert.equal(d.total, 6);
  close(d.index, (1 + 1 + 16) / 36, 1e-15, 'index');
  const p = spilloverMatrix(s, { mode: 'parity' });
  assert.deepEqual(p.matrix, [[0, 0, 1], [1, 0, 0], [0, 4, 0]]);
  assert.equal(p.index, d.index);
  assert.throws(() => spilloverMatrix(s, { by: 'sector' }), /has no sectors column/);
});

test('network metrics match the authors\' compute_network_risk_metrics (parity fixture)', () => {
  for (const g of referenceGraphs()) {
    const m = computeMeasures(referenceSnapshot(g), { mode: 'parity' });
    const ref = g.reference.parity.metrics;
    for (const k of Object.keys(ref)) close((m as unknown as Record<string, number>)[k], ref[k], 1e-12, `${g.name} ${k}`);
    assert.equal(m.protocols.length, g.ids.length);
    assert.equal(m.protocols[0].rank, 1);
    for (let i = 1; i < m.protocols.length; i++) assert.ok(m.protocols[i - 1].sis >= m.protocols[i].sis);
  }
});

test('default measures: distinct pairs for density, spillover with diagonal (Python reference)', () => {
  for (const g of referenceGraphs()) {
    const s = referenceSnapshot(g);
    const m = computeMeasures(s);
    const pairs = new Set(g.edges.filter((e) => e[0] !== e[1] && e[2] > 0).map((e) => `${e[0]},${e[1]}`));
    close(m.density, pairs.size / (g.ids.length * (g.ids.length - 1)), 1e-15, 'density');
    close(m.spilloverTotal, g.reference.default.spillover.total, 1e-12, 'spillover total');
    close(m.spilloverIndex, g.reference.default.spillover.index, 1e-12, 'spillover index');
    assert.ok(m.protocols.every((p) => p.sis >= 0 && p.sis <= 1 + 1e-12));
  }
});

test('measures on degenerate graphs: empty, single node, zero TVL', () => {
  const e = computeMeasures(snap([], []));
  assert.equal(e.nodes, 0);
  assert.equal(e.density, 0);
  assert.equal(e.tvlHHI, 0);
  assert.deepEqual(e.protocols, []);
  const one = computeMeasures(snap([['x', 0]], []));
  assert.equal(one.density, 0);
  assert.equal(one.giniTVL, 0);
  assert.equal(one.protocols[0].sis, 0);
});

test('invalid snapshots are rejected with the node or edge named', () => {
  const bad = snap([['a', 1], ['b', 1]], [['a', 'b', 1]]);
  bad.tvl[1] = Number.NaN;
  assert.throws(() => computeMeasures(bad), /node 1 \("b"\): tvl must be a finite number >= 0, got NaN/);
  const bad2 = snap([['a', 1], ['b', 1]], [['a', 'b', 1]]);
  bad2.edgeTarget[0] = 5;
  assert.throws(() => pagerank(bad2), /edge 0: node index out of range \[0, 2\)/);
  const bad3 = snap([['a', 1], ['b', 1]], [['a', 'b', -2]]);
  assert.throws(() => pagerank(bad3), /edge 0 \(a -> b\): weight must be a finite number >= 0, got -2/);
});
