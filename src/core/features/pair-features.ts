/**
 * Pair features: what the last k weeks say about a directed pair (p, q) of an anchor
 * week t (docs/TRAINING-SET.md "Pair features"). Exposure p -> q: p holds tokens
 * issued by q. One implementation, used by the training-set export and by inference;
 * the Python trainer reads the exported matrix and never recomputes it.
 *
 * The window is the k calendar weeks t-(k-1) .. t. A week of the window that the
 * caller has no snapshot for counts as a week where nothing was present (and lowers
 * `window_coverage`), so an early anchor of a history is told it sees little history.
 * Presence means the directed edge is listed (any weight, zero included); weights are
 * ln(1 + max(w, 0)), the last duplicate of a pair in a week winning (the export's rule).
 * Degrees count distinct neighbours, self-loops left out.
 */
import { groupBySource } from '../group-by';
import { createHash } from 'node:crypto';
import type { Snapshot } from '../snapshot/types';
import { canonicalJson } from './schema';
import { dayNumber } from '../weeks';

export interface PairFeatureSchema {
  name: 'dexposure-pair-features';
  version: number;
  names: string[];
  memoryWeeks: number;
}

/** The schema as a model card and index.json record it: the schema plus its hash. */
export interface PairFeatureCard extends PairFeatureSchema {
  hash: string;
}

export const PAIR_FEATURE_SCHEMA: Readonly<PairFeatureSchema> = Object.freeze({
  name: 'dexposure-pair-features',
  version: 1,
  memoryWeeks: 8,
  names: Object.freeze([
    'pq_now', // 1 if p -> q is an edge at t
    'qp_now', // 1 if q -> p is an edge at t
    'pq_lw', // ln(1 + w_t(p, q)), 0 if absent
    'qp_lw',
    'pq_frac', // fraction of the k window weeks with p -> q
    'qp_frac',
    'pq_last_lw', // the most recent non-zero ln weight of p -> q in the window, else 0
    'qp_last_lw',
    'pq_age', // consecutive weeks with p -> q ending at t (0 if absent at t; at most k)
    'qp_age',
    'pq_since', // weeks since p -> q was last present (0 if present at t; k + 1 if never in the window)
    'qp_since',
    'flips', // direction changes of the pair over the window's one-way weeks (below)
    'p_out_deg', // ln(1 + distinct out-neighbours of p at t)
    'q_in_deg', // ln(1 + distinct in-neighbours of q at t)
    'p_in_deg',
    'q_out_deg',
    'common_nbrs', // ln(1 + |N(p) ∩ N(q)|), N = undirected neighbours at t, p and q excluded
    'paths_pq', // ln(1 + #{z : p -> z -> q at t}), z not p or q
    'q_top_issuer', // 1 if q's in-degree at t is >= the T-th largest (T = max(8, ceil(N/100))) and > 0
    'q_in_deg_growth', // ln(1 + in-degree of q at t) - ln(1 + its in-degree at the window's first available week)
    'p_present_frac', // fraction of the k window weeks in which p is a node
    'q_present_frac',
    'window_coverage', // fraction of the k window weeks the caller had a snapshot for
    'self_pair', // 1 if p = q
  ]) as unknown as string[],
});

/** Number of pair features per pair (K). */
export const NUM_PAIR_FEATURES = PAIR_FEATURE_SCHEMA.names.length;

/** SHA-256 hex of the canonical JSON of {name, version, names, memoryWeeks}. */
export function pairFeatureSchemaHash(schema: PairFeatureSchema = PAIR_FEATURE_SCHEMA): string {
  const { name, version, names, memoryWeeks } = schema;
  return createHash('sha256').update(canonicalJson({ name, version, names, memoryWeeks })).digest('hex');
}

/** The schema with its hash, as written into index.json and link.card.json. */
export function pairFeatureCard(): PairFeatureCard {
  const { name, version, names, memoryWeeks } = PAIR_FEATURE_SCHEMA;
  return { name, version, names: [...names], memoryWeeks, hash: pairFeatureSchemaHash() };
}

/** Sorted distinct neighbour lists, CSR. */
interface Csr {
  offsets: Int32Array;
  nbr: Int32Array;
}

/** Rows of distinct neighbours in ascending order (grouped by row, then each row sorted and deduplicated in place). */
function csr(n: number, from: ArrayLike<number>, to: ArrayLike<number>, count: number): Csr {
  const rows = groupBySource(n, from, count);
  const raw = new Int32Array(count);
  for (let j = 0; j < count; j++) raw[j] = to[rows.order[j]];
  const offsets = new Int32Array(n + 1);
  let w = 0;
  for (let u = 0; u < n; u++) {
    const row = raw.subarray(rows.offsets[u], rows.offsets[u + 1]).sort();
    for (let j = 0; j < row.length; j++) if (j === 0 || row[j] !== row[j - 1]) raw[w++] = row[j];
    offsets[u + 1] = w;
  }
  return { offsets, nbr: raw.slice(0, w) };
}

/** ln(1 + c) for the small counts most pairs have (the same doubles as Math.log1p). */
const LN1P_SMALL = Float64Array.from({ length: 1024 }, (_, c) => Math.log1p(c));

/**
 * For every pair i (p = pairs[i], q = pairs[P + i], p !== q): |a(p) ∩ b(q) \ {p, q}|, written
 * as ln(1 + count) into x[i * K + col] (0 for a self-pair). The longer of the two lists is
 * marked once per distinct endpoint (pairs grouped by it with a counting sort) and the
 * shorter one is walked against the marks, so a week's pairs cost the sum of their
 * shorter lists plus one pass over each long list, with no search: candidate pairs
 * cluster on a few hubs, where a search per element dominated the forecast.
 */
function countCommon(a: Csr, b: Csr, pairs: Int32Array, n: number, x: Float32Array, K: number, col: number): void {
  const P = pairs.length / 2;
  const { offsets: start, order } = groupBySource(2 * n, markedEnds(a, b, pairs, n), P);
  const mark = new Int32Array(n).fill(-1);
  for (let k = 0; k < 2 * n; k++) {
    if (start[k] === start[k + 1]) continue;
    const marked = k < n ? a : b;
    const walked = k < n ? b : a;
    const u = k < n ? k : k - n;
    for (let j = marked.offsets[u]; j < marked.offsets[u + 1]; j++) mark[marked.nbr[j]] = k;
    const { offsets, nbr } = walked;
    for (let t = start[k]; t < start[k + 1]; t++) {
      const i = order[t];
      const p = pairs[i];
      const q = pairs[P + i];
      // The rows hold no self-loops (bothWays): p is never in a(p) nor q in b(q), so a
      // neighbour that is both marked and walked is neither p nor q.
      const c = p === q ? 0 : countMarked(offsets, nbr, k < n ? q : p, mark, k);
      x[i * K + col] = c < LN1P_SMALL.length ? LN1P_SMALL[c] : Math.log1p(c);
    }
  }
}

/** Per pair, which list countCommon marks: p (< n) when a(p) is the longer, else n + q for b(q). */
function markedEnds(a: Csr, b: Csr, pairs: Int32Array, n: number): Int32Array {
  const P = pairs.length / 2;
  const key = new Int32Array(P);
  for (let i = 0; i < P; i++) {
    const p = pairs[i];
    const q = pairs[P + i];
    key[i] = a.offsets[p + 1] - a.offsets[p] >= b.offsets[q + 1] - b.offsets[q] ? p : n + q;
  }
  return key;
}

/** How many of row v's neighbours carry mark k. */
function countMarked(offsets: Int32Array, nbr: Int32Array, v: number, mark: Int32Array, k: number): number {
  let c = 0;
  for (let j = offsets[v], end = offsets[v + 1]; j < end; j++) if (mark[nbr[j]] === k) c++;
  return c;
}

/**
 * Everything about the window that does not depend on the pairs, built once per
 * anchor week and reused for every set of pairs scored or exported at that anchor.
 */
export class PairFeatureContext {
  readonly anchor: Snapshot;
  readonly memoryWeeks: number;
  private readonly n: number;
  /**
   * The window's distinct directed pairs in anchor index space, as rows by source: the
   * pairs of source u are the slots rowStart[u] .. rowStart[u + 1], slotTarget their
   * targets. A pair's lookup is one source at a time (features()), with no table.
   */
  private readonly rowStart: Int32Array;
  private readonly slotTarget: Int32Array;
  /** Per slot: bit j set when the edge is present j weeks before t. */
  private readonly mask: Uint16Array;
  /** Per slot and window week j: ln weight (slot * k + j). */
  private readonly lw: Float32Array;
  private readonly coverage: number;
  private readonly out: Csr;
  private readonly inn: Csr;
  private readonly und: Csr;
  /** Per node, the values of the node-level features (the same doubles the per-pair formulas give). */
  private readonly lnOut: Float64Array;
  private readonly lnIn: Float64Array;
  private readonly topIssuer: Uint8Array;
  private readonly inGrowth: Float64Array;
  private readonly presentFrac: Float64Array;

  /**
   * `window`: snapshots of weeks <= the anchor, the anchor last (weeks outside the
   * k-week window are ignored; absent weeks count as empty).
   */
  constructor(window: readonly Snapshot[], memoryWeeks = PAIR_FEATURE_SCHEMA.memoryWeeks) {
    if (window.length === 0) throw new Error('features/pair-features: the window holds no snapshot (the anchor week must be last)');
    if (!Number.isInteger(memoryWeeks) || memoryWeeks < 1 || memoryWeeks > 16) {
      throw new Error(`features/pair-features: memoryWeeks must be an integer in [1, 16], got ${memoryWeeks}`);
    }
    const k = memoryWeeks;
    this.memoryWeeks = k;
    const anchor = window[window.length - 1];
    this.anchor = anchor;
    const n = anchor.ids.length;
    this.n = n;
    const day0 = dayNumber(anchor.week);
    const local = new Map<string, number>();
    anchor.ids.forEach((id, i) => local.set(id, i));
    const nodePresent = new Uint8Array(n); // weeks present per anchor node
    const seenWeeks = new Set<number>();
    let firstWeek: { j: number; snap: Snapshot; toAnchor: Int32Array } | undefined;
    // every window edge between anchor nodes, in window then edge order: source, target, week, ln weight
    const weeks: { j: number; snap: Snapshot; toAnchor: Int32Array }[] = [];
    let total = 0;
    for (const s of window) {
      const diff = day0 - dayNumber(s.week);
      if (diff < 0 || diff % 7 !== 0) {
        throw new Error(`features/pair-features: window week ${s.week} is not a week on or before the anchor ${anchor.week}`);
      }
      const j = diff / 7;
      if (j >= k) continue;
      if (seenWeeks.has(j)) throw new Error(`features/pair-features: week ${s.week} appears twice in the window`);
      seenWeeks.add(j);
      const toAnchor = s === anchor ? Int32Array.from(anchor.ids, (_, i) => i) : Int32Array.from(s.ids, (id) => local.get(id) ?? -1);
      const week = { j, snap: s, toAnchor };
      if (!firstWeek || j > firstWeek.j) firstWeek = week;
      for (let i = 0; i < toAnchor.length; i++) if (toAnchor[i] >= 0) nodePresent[toAnchor[i]]++;
      weeks.push(week);
      total += s.edgeSource.length;
    }
    if (!seenWeeks.has(0)) throw new Error(`features/pair-features: the anchor ${anchor.week} must be the last snapshot of the window`);
    this.coverage = seenWeeks.size / k;
    const edges = new WindowEdges(total);
    for (const { j, snap: s, toAnchor } of weeks) edges.add(s, j, toAnchor);
    const slots = windowSlots(n, k, edges);
    this.rowStart = slots.rowStart;
    this.slotTarget = slots.slotTarget;
    this.mask = slots.mask;
    this.lw = slots.lw;

    // the anchor's edges without self-loops, then again reversed: out rows, in rows, undirected rows
    const { from, to } = bothWays(anchor.edgeSource, anchor.edgeTarget);
    const half = from.length / 2;
    this.out = csr(n, from, to, half);
    this.inn = csr(n, to, from, half);
    this.und = csr(n, from, to, 2 * half);
    const inDeg = (u: number) => this.inn.offsets[u + 1] - this.inn.offsets[u];
    const T = Math.max(8, Math.ceil(n / 100));
    const sorted = Array.from({ length: n }, (_, i) => inDeg(i)).sort((a, b) => b - a);
    const topThreshold = n === 0 ? Infinity : Math.max(sorted[Math.min(T, n) - 1], 1);

    // in-degrees at the window's first available week, in anchor index space
    const inDegFirst = firstWeek ? inDegreesIn(firstWeek.snap, firstWeek.toAnchor, n) : new Int32Array(n);
    const nodes = nodeColumns(this.out.offsets, this.inn.offsets, topThreshold, inDegFirst, nodePresent, k);
    this.lnOut = nodes.lnOut;
    this.lnIn = nodes.lnIn;
    this.topIssuer = nodes.topIssuer;
    this.inGrowth = nodes.inGrowth;
    this.presentFrac = nodes.presentFrac;
  }

  /**
   * For each pair i, the slot of (from[i], to[i]) in the window's pairs, or -1: the
   * pairs grouped by `from`, each source's row of targets stamped once.
   */
  private slots(from: Int32Array, to: Int32Array): Int32Array {
    const n = this.n;
    const P = from.length;
    const out = new Int32Array(P).fill(-1);
    const byFrom = groupBySource(n, from, P);
    const stamp = new Int32Array(n).fill(-1);
    const at = new Int32Array(n);
    const { rowStart, slotTarget } = this;
    for (let u = 0; u < n; u++) {
      const a = byFrom.offsets[u];
      const b = byFrom.offsets[u + 1];
      if (a === b || rowStart[u] === rowStart[u + 1]) continue;
      for (let s = rowStart[u]; s < rowStart[u + 1]; s++) {
        stamp[slotTarget[s]] = u;
        at[slotTarget[s]] = s;
      }
      for (let t = a; t < b; t++) {
        const i = byFrom.order[t];
        if (stamp[to[i]] === u) out[i] = at[to[i]];
      }
    }
    return out;
  }

  /** Float32 [P, K] row-major for pairs[0..P) sources, pairs[P..2P) targets (anchor index space). */
  features(pairs: Int32Array): Float32Array {
    const n = this.n;
    const K = NUM_PAIR_FEATURES;
    if (pairs.length % 2) throw new Error(`features/pair-features: pairs has odd length ${pairs.length} (expected 2 x P)`);
    const P = pairs.length / 2;
    const bad = firstOutside(pairs, n);
    if (bad >= 0) throw new Error(`features/pair-features: pair ${bad} (${pairs[bad]}, ${pairs[P + bad]}) is outside the anchor week ${this.anchor.week}'s ${n} nodes`);
    const x = new Float32Array(P * K);
    const sources = pairs.subarray(0, P);
    const targets = pairs.subarray(P);
    this.pairRows(pairs, this.slots(sources, targets), this.slots(targets, sources), x);
    countCommon(this.und, this.und, pairs, n, x, K, 17);
    countCommon(this.out, this.inn, pairs, n, x, K, 18);
    return x;
  }

  /** The columns of x that each pair's own entries give (all but the neighbour counts 17 and 18). */
  private pairRows(pairs: Int32Array, slotPq: Int32Array, slotQp: Int32Array, x: Float32Array): void {
    const P = pairs.length / 2;
    const K = NUM_PAIR_FEATURES;
    const k = this.memoryWeeks;
    const { mask, lw, lnOut, lnIn, topIssuer, inGrowth, presentFrac, coverage } = this;
    for (let i = 0; i < P; i++) {
      const p = pairs[i];
      const q = pairs[P + i];
      const sp = slotPq[i];
      const sq = slotQp[i];
      const mp = sp < 0 ? 0 : mask[sp];
      const mq = sq < 0 ? 0 : mask[sq];
      const r = i * K;
      x[r] = mp & 1;
      x[r + 1] = mq & 1;
      x[r + 2] = mp & 1 ? lw[sp * k] : 0;
      x[r + 3] = mq & 1 ? lw[sq * k] : 0;
      x[r + 4] = popcount(mp) / k;
      x[r + 5] = popcount(mq) / k;
      x[r + 6] = lastNonZero(lw, sp, mp, k);
      x[r + 7] = lastNonZero(lw, sq, mq, k);
      x[r + 8] = age(mp, k);
      x[r + 9] = age(mq, k);
      x[r + 10] = since(mp, k);
      x[r + 11] = since(mq, k);
      x[r + 12] = mp | mq ? flips(mp, mq, k) : 0;
      x[r + 13] = lnOut[p];
      x[r + 14] = lnIn[q];
      x[r + 15] = lnIn[p];
      x[r + 16] = lnOut[q];
      // r + 17 (common neighbours) and r + 18 (paths p -> z -> q): countCommon below
      x[r + 19] = topIssuer[q];
      x[r + 20] = inGrowth[q];
      x[r + 21] = presentFrac[p];
      x[r + 22] = presentFrac[q];
      x[r + 23] = coverage;
      x[r + 24] = p === q ? 1 : 0;
    }
  }
}

/** Edges u -> v with u !== v in order, followed by the same edges reversed (v -> u). */
function bothWays(source: Int32Array, target: Int32Array): { from: Int32Array; to: Int32Array } {
  let m = 0;
  for (let e = 0; e < source.length; e++) if (source[e] !== target[e]) m++;
  const from = new Int32Array(2 * m);
  const to = new Int32Array(2 * m);
  let i = 0;
  for (let e = 0; e < source.length; e++) {
    if (source[e] === target[e]) continue;
    from[i] = to[m + i] = source[e];
    to[i] = from[m + i] = target[e];
    i++;
  }
  return { from, to };
}

/** The first pair with an end outside [0, n), or -1. */
function firstOutside(pairs: Int32Array, n: number): number {
  const P = pairs.length / 2;
  for (let i = 0; i < P; i++) {
    const p = pairs[i];
    const q = pairs[P + i];
    if (!(p >= 0 && p < n && q >= 0 && q < n)) return i;
  }
  return -1;
}

/** Every window edge between anchor nodes, in window then edge order: source, target, week, ln weight. */
class WindowEdges {
  readonly u: Int32Array;
  readonly v: Int32Array;
  readonly j: Uint8Array;
  readonly w: Float32Array;
  count = 0;
  constructor(capacity: number) {
    this.u = new Int32Array(capacity);
    this.v = new Int32Array(capacity);
    this.j = new Uint8Array(capacity);
    this.w = new Float32Array(capacity);
  }
  add(s: Snapshot, week: number, toAnchor: Int32Array): void {
    const { u, v, j, w } = this;
    let m = this.count;
    for (let e = 0; e < s.edgeSource.length; e++) {
      const a = toAnchor[s.edgeSource[e]];
      const b = toAnchor[s.edgeTarget[e]];
      if (a < 0 || b < 0) continue;
      u[m] = a;
      v[m] = b;
      j[m] = week;
      w[m++] = Math.log1p(Math.max(s.edgeWeight[e], 0));
    }
    this.count = m;
  }
}

/** The window's distinct (u, v) as slots in rows by source: a stable grouping by u, then a stamp over targets. */
function windowSlots(n: number, k: number, edges: WindowEdges): { rowStart: Int32Array; slotTarget: Int32Array; mask: Uint16Array; lw: Float32Array } {
  const m = edges.count;
  const ev = edges.v;
  const rows = groupBySource(n, edges.u, m);
  const slotOf = new Int32Array(m);
  const stamp = new Int32Array(n).fill(-1);
  const at = new Int32Array(n);
  const rowStart = new Int32Array(n + 1);
  let S = 0;
  for (let u = 0; u < n; u++) {
    for (let t = rows.offsets[u]; t < rows.offsets[u + 1]; t++) {
      const v = ev[rows.order[t]];
      if (stamp[v] !== u) {
        stamp[v] = u;
        at[v] = S++;
      }
      slotOf[t] = at[v];
    }
    rowStart[u + 1] = S;
  }
  const slotTarget = new Int32Array(S);
  const mask = new Uint16Array(S);
  const lw = new Float32Array(S * k);
  // in input order within each source, so the last duplicate of a pair in a week wins
  for (let t = 0; t < m; t++) {
    const e = rows.order[t];
    const slot = slotOf[t];
    const j = edges.j[e];
    slotTarget[slot] = ev[e];
    mask[slot] |= 1 << j;
    lw[slot * k + j] = edges.w[e];
  }
  return { rowStart, slotTarget, mask, lw };
}

/** In-degrees of week `s` (distinct sources, no self-loops), in anchor index space. */
function inDegreesIn(s: Snapshot, toAnchor: Int32Array, n: number): Int32Array {
  const out = new Int32Array(n);
  const ns = s.ids.length;
  const byTarget = groupBySource(ns, s.edgeTarget);
  const seen = new Int32Array(ns).fill(-1);
  for (let b = 0; b < ns; b++) {
    const v = toAnchor[b];
    for (let t = byTarget.offsets[b]; t < byTarget.offsets[b + 1]; t++) {
      const a = s.edgeSource[byTarget.order[t]];
      if (a === b || seen[a] === b) continue;
      seen[a] = b;
      if (v >= 0) out[v]++;
    }
  }
  return out;
}

/** Per node, the node-level features: the same doubles the per-pair formulas gave. */
function nodeColumns(outOffsets: Int32Array, inOffsets: Int32Array, topThreshold: number, inDegFirst: Int32Array, nodePresent: Uint8Array, k: number) {
  const n = inDegFirst.length;
  const lnOut = new Float64Array(n);
  const lnIn = new Float64Array(n);
  const topIssuer = new Uint8Array(n);
  const inGrowth = new Float64Array(n);
  const presentFrac = new Float64Array(n);
  for (let u = 0; u < n; u++) {
    const inDeg = inOffsets[u + 1] - inOffsets[u];
    lnOut[u] = Math.log1p(outOffsets[u + 1] - outOffsets[u]);
    lnIn[u] = Math.log1p(inDeg);
    topIssuer[u] = inDeg >= topThreshold ? 1 : 0;
    inGrowth[u] = Math.log1p(inDeg) - Math.log1p(inDegFirst[u]);
    presentFrac[u] = nodePresent[u] / k;
  }
  return { lnOut, lnIn, topIssuer, inGrowth, presentFrac };
}

function popcount(m: number): number {
  let c = 0;
  for (; m; m &= m - 1) c++;
  return c;
}

function lastNonZero(lw: Float32Array, slot: number, m: number, k: number): number {
  if (slot < 0) return 0;
  for (let j = 0; j < k; j++) if (m & (1 << j) && lw[slot * k + j] > 0) return lw[slot * k + j];
  return 0;
}

function age(m: number, k: number): number {
  let a = 0;
  while (a < k && m & (1 << a)) a++;
  return a;
}

function since(m: number, k: number): number {
  for (let j = 0; j < k; j++) if (m & (1 << j)) return j;
  return k + 1;
}

/**
 * Direction flips: over the window's weeks from oldest to newest, keep the weeks where
 * exactly one direction is present and count how often the direction differs from
 * the previous such week (p->q, q->p, both, q->p, p->q gives 2).
 */
function flips(mp: number, mq: number, k: number): number {
  let last = 0;
  let c = 0;
  for (let j = k - 1; j >= 0; j--) {
    const a = (mp >> j) & 1;
    const b = (mq >> j) & 1;
    if (a === b) continue;
    const d = a ? 1 : 2;
    if (last && d !== last) c++;
    last = d;
  }
  return c;
}

/** One-shot form: the pair features of `pairs` at the last snapshot of `window`. */
export function pairFeatures(window: readonly Snapshot[], pairs: Int32Array, memoryWeeks = PAIR_FEATURE_SCHEMA.memoryWeeks): Float32Array {
  return new PairFeatureContext(window, memoryWeeks).features(pairs);
}
