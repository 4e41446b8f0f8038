import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { snap } from '../eval/eval-snapshot';
import {
  NUM_PAIR_FEATURES,
  PAIR_FEATURE_SCHEMA,
  PairFeatureContext,
  pairFeatureCard,
  pairFeatureSchemaHash,
  pairFeatures,
} from '../../../src/core/features/pair-features';

// Window of k = 4 weeks ending 2024-01-22; 2024-01-15 is missing (coverage 3/4) and
// 2023-12-25 lies outside the window (its C -> A must not count).
const OLD = snap('2023-12-25', ['A', 'B', 'C'], [['C', 'A', 100]]);
const W0 = snap('2024-01-01', ['A', 'B', 'C', 'D'], [['A', 'B', 1], ['C', 'D', 3], ['D', 'B', 0]]);
const W1 = snap('2024-01-08', ['D', 'C', 'B', 'A'], [['B', 'A', 2], ['C', 'D', 3]]);
const ANCHOR = snap('2024-01-22', ['A', 'B', 'C', 'D', 'E'], [
  ['A', 'B', 4],
  ['C', 'D', 0],
  ['D', 'B', 5],
  ['A', 'C', 1],
  ['C', 'B', 1],
  ['E', 'B', 1],
  ['B', 'B', 7],
  ['A', 'B', 9], // duplicate: the last one gives the weight
]);
const WINDOW = [OLD, W0, W1, ANCHOR];
const I = { A: 0, B: 1, C: 2, D: 3, E: 4 };
const ln = Math.log;

function rows(pairs: [keyof typeof I, keyof typeof I][], k = 4): Record<string, number>[] {
  const P = pairs.length;
  const arr = new Int32Array(2 * P);
  pairs.forEach(([p, q], i) => {
    arr[i] = I[p];
    arr[P + i] = I[q];
  });
  const x = pairFeatures(WINDOW, arr, k);
  assert.equal(x.length, P * NUM_PAIR_FEATURES);
  return pairs.map((_, i) => Object.fromEntries(PAIR_FEATURE_SCHEMA.names.map((name, j) => [name, x[i * NUM_PAIR_FEATURES + j]])));
}

function close(actual: Record<string, number>, expected: Record<string, number>): void {
  for (const [name, v] of Object.entries(expected)) {
    assert.ok(name in actual, `feature ${name} missing`);
    assert.ok(Math.abs(actual[name] - v) < 1e-6, `${name}: expected ${v}, got ${actual[name]}`);
  }
}

test('pair A -> B: presence, weights, memory, flips, degrees, neighbourhood', () => {
  const [ab] = rows([['A', 'B']]);
  close(ab, {
    pq_now: 1,
    qp_now: 0,
    pq_lw: ln(10), // last duplicate (9), not 4
    qp_lw: 0,
    pq_frac: 2 / 4, // 2024-01-01 and the anchor
    qp_frac: 1 / 4, // 2024-01-08
    pq_last_lw: ln(10),
    qp_last_lw: ln(3),
    pq_age: 1,
    qp_age: 0,
    pq_since: 0,
    qp_since: 2,
    flips: 2, // A->B, B->A, (missing week), A->B
    p_out_deg: ln(3), // A -> B, C
    q_in_deg: ln(5), // A, D, C, E -> B; the self-loop B -> B does not count
    p_in_deg: 0,
    q_out_deg: 0,
    common_nbrs: ln(2), // C
    paths_pq: ln(2), // A -> C -> B
    q_top_issuer: 1,
    q_in_deg_growth: ln(5) - ln(3), // in-degree 2 at 2024-01-01 (A, D)
    p_present_frac: 3 / 4,
    q_present_frac: 3 / 4,
    window_coverage: 3 / 4,
    self_pair: 0,
  });
});

test('a zero-weight edge is present but has no weight; the last non-zero weight comes from earlier', () => {
  const [cd, dc] = rows([['C', 'D'], ['D', 'C']]);
  close(cd, { pq_now: 1, pq_lw: 0, pq_frac: 3 / 4, pq_last_lw: ln(4), pq_age: 1, pq_since: 0, qp_since: 5, flips: 0 });
  close(dc, { pq_now: 0, qp_now: 1, qp_frac: 3 / 4, pq_since: 5, qp_age: 1 });
});

test('a new node, an edge outside the window, a self-pair', () => {
  const [ea, ca, bb, ac] = rows([['E', 'A'], ['C', 'A'], ['B', 'B'], ['A', 'C']]);
  close(ea, { pq_now: 0, pq_since: 5, pq_age: 0, p_out_deg: ln(2), q_in_deg: 0, common_nbrs: ln(2), paths_pq: 0, p_present_frac: 1 / 4, q_top_issuer: 0 });
  close(ca, { pq_now: 0, pq_frac: 0, pq_since: 5, qp_now: 1, qp_lw: ln(2) });
  close(bb, { pq_now: 1, pq_lw: ln(8), self_pair: 1, common_nbrs: 0, paths_pq: 0, flips: 0 });
  close(ac, { q_in_deg_growth: ln(2) }); // C: in-degree 1 at the anchor, 0 at 2024-01-01
});

test('the default memory of 8 weeks divides by 8 and marks absence as 9', () => {
  const x = pairFeatures(WINDOW, Int32Array.from([I.A, I.B]));
  const at = (name: string) => x[PAIR_FEATURE_SCHEMA.names.indexOf(name)];
  assert.equal(PAIR_FEATURE_SCHEMA.memoryWeeks, 8);
  assert.equal(at('pq_frac'), 2 / 8);
  assert.equal(at('window_coverage'), Math.fround(4 / 8)); // 2023-12-25 is inside an 8-week window
  const y = pairFeatures(WINDOW, Int32Array.from([I.E, I.A]));
  assert.equal(y[PAIR_FEATURE_SCHEMA.names.indexOf('pq_since')], 9);
});

test('every value is finite on a larger random window', () => {
  const ids = Array.from({ length: 30 }, (_, i) => `n${i}`);
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const weeks = ['2024-01-01', '2024-01-08', '2024-01-15', '2024-01-22'].map((w) =>
    snap(w, ids, Array.from({ length: 80 }, () => [ids[Math.floor(rnd() * 30)], ids[Math.floor(rnd() * 30)], rnd() < 0.1 ? 0 : rnd() * 1e12] as [string, string, number])),
  );
  const pairs = new Int32Array(2 * 900);
  for (let i = 0; i < 900; i++) {
    pairs[i] = Math.floor(i / 30);
    pairs[900 + i] = i % 30;
  }
  const x = new PairFeatureContext(weeks).features(pairs);
  assert.ok(x.every(Number.isFinite));
});

test('common neighbours and two-step paths equal set intersections on a hub-heavy week, in any pair order', () => {
  // Preferential attachment (a few holders and issuers with most links), pairs in shuffled
  // order with repeats, self-pairs and both directions: the counts come from plain Sets.
  const n = 60;
  const ids = Array.from({ length: n }, (_, i) => `n${i}`);
  let seed = 11;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const edges: [string, string, number][] = [];
  const src: number[] = [];
  const dst: number[] = [];
  for (let e = 0; e < 400; e++) {
    const u = e > 0 && rnd() < 0.5 ? src[Math.floor(rnd() * e)] : Math.floor(rnd() * n);
    const v = e > 0 && rnd() < 0.8 ? dst[Math.floor(rnd() * e)] : Math.floor(rnd() * n);
    src.push(u);
    dst.push(v);
    edges.push([ids[u], ids[v], 1 + rnd() * 100]);
  }
  const week = snap('2024-01-22', ids, edges);
  const out = Array.from({ length: n }, () => new Set<number>());
  const inn = Array.from({ length: n }, () => new Set<number>());
  for (let e = 0; e < src.length; e++) {
    if (src[e] === dst[e]) continue;
    out[src[e]].add(dst[e]);
    inn[dst[e]].add(src[e]);
  }
  const und = out.map((o, u) => new Set([...o, ...inn[u]]));
  const common = (a: Set<number>, b: Set<number>, p: number, q: number) => [...a].filter((z) => b.has(z) && z !== p && z !== q).length;
  const P = 3000;
  const pairs = new Int32Array(2 * P);
  for (let i = 0; i < P; i++) {
    pairs[i] = Math.floor(rnd() * n);
    pairs[P + i] = i % 17 === 0 ? pairs[i] : Math.floor(rnd() * n);
  }
  const x = new PairFeatureContext([week]).features(pairs);
  let hubPairs = 0;
  for (let i = 0; i < P; i++) {
    const p = pairs[i];
    const q = pairs[P + i];
    const cn = p === q ? 0 : common(und[p], und[q], p, q);
    const paths = p === q ? 0 : common(out[p], inn[q], p, q);
    assert.equal(x[i * NUM_PAIR_FEATURES + 17], Math.fround(Math.log1p(cn)), `pair ${i} (${p}, ${q}): common neighbours`);
    assert.equal(x[i * NUM_PAIR_FEATURES + 18], Math.fround(Math.log1p(paths)), `pair ${i} (${p}, ${q}): paths p -> z -> q`);
    if (cn >= 5) hubPairs++;
  }
  assert.ok(hubPairs > 100, `the week has pairs among hubs (${hubPairs} with >= 5 common neighbours)`);
});

test('bad windows and pairs are refused with what was expected', () => {
  assert.throws(() => pairFeatures([ANCHOR, W0], Int32Array.from([0, 1])), /week 2024-01-22 is not a week on or before the anchor 2024-01-01/);
  assert.throws(() => pairFeatures([W0, W1], Int32Array.from([0, 9])), /pair 0 \(0, 9\) is outside the anchor week 2024-01-08's 4 nodes/);
  assert.throws(() => pairFeatures([], new Int32Array(0)), /no snapshot/);
  assert.throws(() => pairFeatures([W0, W0], new Int32Array(0)), /appears twice/);
});

test('schema hash is SHA-256 of the canonical JSON of name, version, names, memoryWeeks', () => {
  const canon = `{"memoryWeeks":8,"name":"dexposure-pair-features","names":${JSON.stringify(PAIR_FEATURE_SCHEMA.names)},"version":1}`;
  const want = createHash('sha256').update(canon).digest('hex');
  assert.equal(pairFeatureSchemaHash(), want);
  assert.deepEqual(pairFeatureCard(), { ...PAIR_FEATURE_SCHEMA, names: [...PAIR_FEATURE_SCHEMA.names], hash: want });
  assert.notEqual(pairFeatureSchemaHash({ ...PAIR_FEATURE_SCHEMA, memoryWeeks: 4 }), want);
});
