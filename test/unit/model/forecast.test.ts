import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addWeeks, forecast, forecastDetailed, includedEdges, scoreAnchorPairs, ModelError } from '../../../src/core/model';
import { FIXTURE_MODELS, previousOf, randomSnapshot } from './graph-fixture';

test('includedEdges: expected-degree keeps the K most probable, threshold keeps p >= t (hand-computed)', () => {
  const p = Float64Array.from([0.2, 0.9, 0.5, 0.7, 0.5]);
  assert.deepEqual([...includedEdges(p, { rule: 'expected-degree' }, 3)], [1, 3, 2]);
  assert.deepEqual([...includedEdges(p, { rule: 'expected-degree', scale: 0.5 }, 4)], [1, 3]);
  assert.deepEqual([...includedEdges(p, { rule: 'threshold', threshold: 0.5 }, 99)], [1, 3, 2, 4]);
  assert.throws(() => includedEdges(p, { rule: 'threshold', threshold: 1.5 }, 1), /threshold must be in \[0, 1\]/);
});

test('addWeeks crosses months and years', () => {
  assert.equal(addWeeks('2024-12-30', 1), '2025-01-06');
  assert.equal(addWeeks('2024-02-26', 12), '2024-05-20');
});

test('forecast builds G^(t+h): anchor nodes, |E_t| most probable candidates, weights and TVL from the heads', async () => {
  const s = randomSnapshot(150, 500, 5);
  const prev = previousOf(s);
  const r = await forecastDetailed(s, prev, { horizon: 1, modelsDir: FIXTURE_MODELS });
  const f = r.snapshot;
  assert.equal(f.kind, 'forecast');
  assert.equal(f.week, '2024-03-11');
  assert.deepEqual(f.forecast, { fromWeek: '2024-03-04', horizon: 1, model: 'dexposure-fm-small@h1' });
  assert.deepEqual(f.ids, s.ids);
  assert.equal(f.edgeSource.length, 500, 'expected-degree rule: as many edges as the anchor has');
  const E = f.edgeSource.length;
  assert.equal(f.edgeProbability!.length, E);
  for (let k = 1; k < E; k++) assert.ok(f.edgeProbability![k - 1] >= f.edgeProbability![k], 'sorted by probability');
  // The candidates not kept are all at most as probable as the least probable kept edge.
  const floor = f.edgeProbability![E - 1];
  const n = s.ids.length;
  const inGraph = new Set(Array.from({ length: E }, (_, k) => f.edgeSource[k] * n + f.edgeTarget[k]));
  assert.equal(inGraph.size, E, 'no duplicate edges');
  const P = r.candidateProbability.length;
  for (let i = 0; i < P; i++) {
    if (!inGraph.has(r.candidates.pairs[i] * n + r.candidates.pairs[P + i])) assert.ok(r.candidateProbability[i] <= floor);
  }

  // Cross-check against the link and node heads on exactly these pairs.
  const pairs = new Int32Array(2 * E);
  pairs.set(f.edgeSource, 0);
  pairs.set(f.edgeTarget, E);
  const direct = await scoreAnchorPairs(s, prev, pairs, { horizon: 1, modelsDir: FIXTURE_MODELS });
  for (let k = 0; k < E; k++) {
    assert.ok(Math.abs(direct.score[k] - f.edgeProbability![k]) < 1e-6);
    assert.ok(Math.abs(f.edgeWeight[k] - Math.expm1(Math.max(direct.logWeight[k], 0))) <= 1e-6 * Math.max(1, f.edgeWeight[k]));
    assert.ok(f.edgeWeight[k] >= 0 && Number.isFinite(f.edgeWeight[k]));
  }
  for (let i = 0; i < s.ids.length; i++) {
    const want = Math.max(Math.expm1(Math.log1p(s.tvl[i]) + direct.nodeLogChange[i]), 0);
    assert.ok(Math.abs(f.tvl[i] - want) <= 1e-9 * Math.max(1, want));
  }
});

test('threshold inclusion keeps exactly the candidates at or above it', async () => {
  const s = randomSnapshot(100, 300, 8);
  const r = await forecastDetailed(s, undefined, { horizon: 1, modelsDir: FIXTURE_MODELS, inclusion: { rule: 'threshold', threshold: 0.6 } });
  const want = r.candidateProbability.filter((p) => p >= 0.6).length;
  assert.equal(r.snapshot.edgeSource.length, want);
  for (const p of r.snapshot.edgeProbability!) assert.ok(p >= 0.6);
});

test('a horizon without a model set is a clear error, not a forecast', async () => {
  const s = randomSnapshot(30, 60, 1);
  await assert.rejects(forecast(s, undefined, { horizon: 8, modelsDir: FIXTURE_MODELS }), (e: Error) => e instanceof ModelError && /no model set for horizon 8/.test(e.message));
});

test('includedEdges: the same indices, in the same order, as a full sort by descending probability (ties by index)', () => {
  let seed = 12345;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const q0 = 0.123456789;
  for (const n of [1, 7, 500, 5000]) {
    // Few distinct values, so ties cross the cut.
    const p = Float64Array.from({ length: n }, () => Math.round(rnd() * 20) / 20);
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => p[b] - p[a] || a - b);
    for (const k of [1, Math.floor(n / 3), n, n + 5]) {
      assert.deepEqual([...includedEdges(p, { rule: 'expected-degree' }, k)], order.slice(0, Math.min(n, k)), `n ${n}, k ${k}`);
    }
    assert.deepEqual([...includedEdges(p, { rule: 'threshold', threshold: 0.5 }, 0)], order.filter((i) => p[i] >= 0.5));
    // Continuous values over many binades (every bit of the doubles differs), with repeats,
    // zeros, ones and the smallest subnormal.
    const q = Float64Array.from({ length: n }, (_, i) => (i % 11 === 0 ? [0, 1, 5e-324, 0.5][i % 4] : i % 7 === 0 ? q0 : Math.pow(rnd(), 1 + 40 * rnd())));
    const qOrder = Array.from({ length: n }, (_, i) => i).sort((a, b) => q[b] - q[a] || a - b);
    for (const k of [1, Math.floor(n / 2), n]) assert.deepEqual([...includedEdges(q, { rule: 'expected-degree' }, k)], qOrder.slice(0, Math.min(n, k)), `continuous, n ${n}, k ${k}`);
    assert.deepEqual([...includedEdges(q, { rule: 'threshold', threshold: 1e-9 }, 0)], qOrder.filter((i) => q[i] >= 1e-9));
  }
  assert.deepEqual([...includedEdges(new Float64Array([0.2, 0.9]), { rule: 'expected-degree' }, 0)], []);
});

test('includedEdges: every source of the anchor first keeps its most probable candidate, the rest of K by probability (hand-computed)', () => {
  // candidates 0..5 with sources a=0, a, b=1, b, c=2, c; the anchor has sources a and b only
  const p = Float64Array.from([0.9, 0.8, 0.3, 0.2, 0.7, 0.6]);
  const coverage = { pairSource: [0, 0, 1, 1, 2, 2], anchorSource: Uint8Array.from([1, 1, 0]) };
  // K = 3: by probability alone 0, 1, 4 (b loses both its pairs); with coverage b keeps 2,
  // then the two most probable others: 0 (already a's best, reserved) ... 1 and 4
  assert.deepEqual([...includedEdges(p, { rule: 'expected-degree' }, 3)], [0, 1, 4]);
  assert.deepEqual([...includedEdges(p, { rule: 'expected-degree' }, 3, coverage)], [0, 1, 2]);
  assert.deepEqual([...includedEdges(p, { rule: 'expected-degree' }, 4, coverage)], [0, 1, 4, 2]);
  // K smaller than the anchor's sources: the most probable of their best pairs
  assert.deepEqual([...includedEdges(p, { rule: 'expected-degree' }, 1, coverage)], [0]);
  // keepSources: false is the plain top K; the threshold rule ignores coverage
  assert.deepEqual([...includedEdges(p, { rule: 'expected-degree', keepSources: false }, 3, coverage)], [0, 1, 4]);
  assert.deepEqual([...includedEdges(p, { rule: 'threshold', threshold: 0.65 }, 3, coverage)], [0, 1, 4]);
  // ties by index, reserved or not
  const q = Float64Array.from([0.5, 0.5, 0.5, 0.5]);
  assert.deepEqual([...includedEdges(q, { rule: 'expected-degree' }, 2, { pairSource: [0, 0, 1, 1], anchorSource: Uint8Array.from([0, 1]) })], [0, 2]);
});

test('includedEdges with coverage: the same as the rule written out with full comparator sorts (ties, NaN, K below and above the reserved count)', () => {
  // Park-Miller: reproducible without the library's generator
  let seed = 12345;
  const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const desc = (p: Float64Array) => (a: number, b: number) => p[b] - p[a] || a - b;
  for (let trial = 0; trial < 60; trial++) {
    const n = 1 + Math.floor(next() * 300);
    const sources = 1 + Math.floor(next() * 40);
    const levels = trial % 3 === 0 ? 4 : 1000; // few distinct values: many ties
    const p = Float64Array.from({ length: n }, () => (next() < 0.05 ? NaN : Math.floor(next() * levels) / levels));
    const pairSource = Array.from({ length: n }, () => Math.floor(next() * sources));
    const anchorSource = Uint8Array.from({ length: sources }, () => (next() < 0.6 ? 1 : 0));
    // reference: each anchor source's most probable pair (first of equals), then the rest by probability
    const best = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const s = pairSource[i];
      if (!anchorSource[s] || Number.isNaN(p[i])) continue;
      const b = best.get(s);
      if (b === undefined || p[i] > p[b]) best.set(s, i);
    }
    const reserved = [...best.values()].sort(desc(p));
    const others = [...Array(n).keys()].filter((i) => !Number.isNaN(p[i]) && !reserved.includes(i)).sort(desc(p));
    for (const k of [1, 2, Math.floor(n / 3), reserved.length, reserved.length + 1, n]) {
      if (k < 1) continue;
      const want = k <= reserved.length ? reserved.slice(0, k) : [...reserved, ...others.slice(0, k - reserved.length)].sort(desc(p));
      assert.deepEqual([...includedEdges(p, { rule: 'expected-degree' }, k, { pairSource, anchorSource })], want, `trial ${trial}, n ${n}, k ${k}`);
    }
  }
});
