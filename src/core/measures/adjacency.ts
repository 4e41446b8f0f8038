/**
 * Compact adjacency (CSR, both directions) of a snapshot's exposure edges, built once
 * per snapshot and convention and cached in a WeakMap, so every measure and every
 * stress run on the same week shares one O(E) build.
 *
 * Conventions (docs/MEASURES.md):
 * - `sum-noself` (default mode): duplicate (p, q) rows are summed, self-loops and
 *   non-positive weights dropped; a protocol is not its own creditor.
 * - `last-self` (parity, SIS): a NetworkX DiGraph built by `add_edge` on w > 0 rows, so a
 *   duplicate keeps the LAST positive weight (at its first position) and self-loops stay.
 * - `sum-self` (parity, contagion): `exposures_in[dst][src] += w` over w > 0 rows, so
 *   duplicates are summed and self-loops stay.
 * - `rows` (parity, TailExposure): every w > 0 row as its own entry, duplicates and
 *   self-loops included (the authors append each row's weight to a per-source list).
 * Within a node's list, neighbours keep the order of their first edge row (Python dict
 * insertion order in the authors' code).
 */
import type { Snapshot } from '../snapshot/types';

export type AdjacencyConvention = 'sum-noself' | 'last-self' | 'sum-self' | 'rows';

export interface Adjacency {
  n: number;
  /** Distinct (p, q) pairs kept (every row for `rows`). */
  edgeCount: number;
  /** Out-CSR: p's debtors q (p holds q's tokens) in outTarget[outStart[p] .. outStart[p+1]). */
  outStart: Int32Array;
  outTarget: Int32Array;
  outWeight: Float64Array;
  /** In-CSR: q's creditors p in inSource[inStart[q] .. inStart[q+1]). */
  inStart: Int32Array;
  inSource: Int32Array;
  inWeight: Float64Array;
  /** Total outgoing (held) and incoming (issued-to-others) exposure per node. */
  outSum: Float64Array;
  inSum: Float64Array;
}

const cache = new WeakMap<Snapshot, Map<AdjacencyConvention, Adjacency>>();

/** Check the snapshot's columns once (lengths, index ranges, finite non-negative numbers). */
export function validateSnapshot(s: Snapshot, module: string): void {
  const n = s.ids.length;
  const where = `${module}: snapshot ${s.week || '(no week)'}`;
  if (s.tvl.length !== n || s.names.length !== n || s.categories.length !== n) {
    throw new Error(`${where}: node columns disagree in length (ids ${n}, names ${s.names.length}, categories ${s.categories.length}, tvl ${s.tvl.length})`);
  }
  const e = s.edgeSource.length;
  if (s.edgeTarget.length !== e || s.edgeWeight.length !== e) {
    throw new Error(`${where}: edge columns disagree in length (edgeSource ${e}, edgeTarget ${s.edgeTarget.length}, edgeWeight ${s.edgeWeight.length})`);
  }
  for (let i = 0; i < n; i++) {
    const t = s.tvl[i];
    if (!Number.isFinite(t) || t < 0) throw new Error(`${where}: node ${i} ("${s.ids[i]}"): tvl must be a finite number >= 0, got ${t}`);
  }
  for (let k = 0; k < e; k++) {
    const a = s.edgeSource[k];
    const b = s.edgeTarget[k];
    const w = s.edgeWeight[k];
    if (a < 0 || a >= n || b < 0 || b >= n) throw new Error(`${where}: edge ${k}: node index out of range [0, ${n}) (source ${a}, target ${b})`);
    if (!Number.isFinite(w) || w < 0) throw new Error(`${where}: edge ${k} (${s.ids[a]} -> ${s.ids[b]}): weight must be a finite number >= 0, got ${w}`);
  }
}

const validated = new WeakSet<Snapshot>();

/** Validate a snapshot once per object (cached). */
export function ensureValid(s: Snapshot, module: string): void {
  if (validated.has(s)) return;
  validateSnapshot(s, module);
  validated.add(s);
}

/** The cached adjacency of `s` under `convention`. */
export function adjacency(s: Snapshot, convention: AdjacencyConvention = 'sum-noself'): Adjacency {
  let perSnap = cache.get(s);
  if (!perSnap) {
    ensureValid(s, 'measures/adjacency');
    perSnap = new Map();
    cache.set(s, perSnap);
  }
  let a = perSnap.get(convention);
  if (!a) {
    a = buildAdjacency(s, convention);
    perSnap.set(convention, a);
  }
  return a;
}

function buildAdjacency(s: Snapshot, convention: AdjacencyConvention): Adjacency {
  const n = s.ids.length;
  const e = s.edgeSource.length;
  const keepSelf = convention !== 'sum-noself';
  const last = convention === 'last-self';
  const merge = convention !== 'rows';
  // Distinct pairs in first-occurrence order.
  const pairIndex = new Map<number, number>();
  const src = new Int32Array(e);
  const dst = new Int32Array(e);
  const w = new Float64Array(e);
  let m = 0;
  for (let k = 0; k < e; k++) {
    const wk = s.edgeWeight[k];
    if (!(wk > 0)) continue;
    const a = s.edgeSource[k];
    const b = s.edgeTarget[k];
    if (a === b && !keepSelf) continue;
    const key = a * n + b;
    const at = merge ? pairIndex.get(key) : undefined;
    if (at === undefined) {
      if (merge) pairIndex.set(key, m);
      src[m] = a;
      dst[m] = b;
      w[m] = wk;
      m++;
    } else if (last) w[at] = wk;
    else w[at] += wk;
  }
  const outStart = new Int32Array(n + 1);
  const inStart = new Int32Array(n + 1);
  for (let k = 0; k < m; k++) {
    outStart[src[k] + 1]++;
    inStart[dst[k] + 1]++;
  }
  for (let i = 0; i < n; i++) {
    outStart[i + 1] += outStart[i];
    inStart[i + 1] += inStart[i];
  }
  const outTarget = new Int32Array(m);
  const outWeight = new Float64Array(m);
  const inSource = new Int32Array(m);
  const inWeight = new Float64Array(m);
  const outFill = outStart.slice(0, n);
  const inFill = inStart.slice(0, n);
  const outSum = new Float64Array(n);
  const inSum = new Float64Array(n);
  // Stable counting sort: each list keeps first-occurrence order.
  for (let k = 0; k < m; k++) {
    const a = src[k];
    const b = dst[k];
    const o = outFill[a]++;
    outTarget[o] = b;
    outWeight[o] = w[k];
    const i = inFill[b]++;
    inSource[i] = a;
    inWeight[i] = w[k];
    outSum[a] += w[k];
    inSum[b] += w[k];
  }
  return { n, edgeCount: m, outStart, outTarget, outWeight, inStart, inSource, inWeight, outSum, inSum };
}
