/**
 * Restricting a Snapshot to a subset of its nodes: by index, by category, by TVL
 * rank, and to the id set two weeks share (the legacy loader in the authors' code,
 * lib/graph/dexposure_temporal.py, restricts week pairs to common ids the same way,
 * data-spec §2). Edges are kept when both endpoints survive; order is preserved.
 */
import { idIndex } from './access';
import type { Snapshot } from './types';

/** The snapshot induced by the given node indices, in the order given. */
export function subgraph(s: Snapshot, nodeIndices: ArrayLike<number>): Snapshot {
  const n = s.ids.length;
  const remap = new Int32Array(n).fill(-1);
  const keep = Array.from(nodeIndices);
  keep.forEach((old, k) => {
    if (!Number.isInteger(old) || old < 0 || old >= n) {
      throw new RangeError(`snapshot/subgraph: node index ${old} is out of range 0..${n - 1} (week ${s.week})`);
    }
    if (remap[old] !== -1) throw new Error(`snapshot/subgraph: node index ${old} is listed twice`);
    remap[old] = k;
  });
  const pick = <T>(col: T[]): T[] => keep.map((i) => col[i]);
  const out: Snapshot = {
    ...s,
    ids: pick(s.ids),
    names: pick(s.names),
    categories: pick(s.categories),
    tvl: Float64Array.from(keep, (i) => s.tvl[i]),
    edgeSource: new Int32Array(0),
    edgeTarget: new Int32Array(0),
    edgeWeight: new Float64Array(0),
  };
  if (s.sectors) out.sectors = pick(s.sectors);
  if (s.chains) out.chains = pick(s.chains);
  if (s.composition) {
    const c = s.composition;
    const offsets = new Uint32Array(keep.length + 1);
    let total = 0;
    keep.forEach((i, k) => {
      total += c.offsets[i + 1] - c.offsets[i];
      offsets[k + 1] = total;
    });
    const tokens: string[] = new Array(total);
    const values = new Float64Array(total);
    keep.forEach((i, k) => {
      let o = offsets[k];
      for (let j = c.offsets[i]; j < c.offsets[i + 1]; j++, o++) {
        tokens[o] = c.tokens[j];
        values[o] = c.values[j];
      }
    });
    out.composition = { offsets, tokens, values };
  }
  const edges: number[] = [];
  for (let e = 0; e < s.edgeSource.length; e++) {
    if (remap[s.edgeSource[e]] >= 0 && remap[s.edgeTarget[e]] >= 0) edges.push(e);
  }
  out.edgeSource = Int32Array.from(edges, (e) => remap[s.edgeSource[e]]);
  out.edgeTarget = Int32Array.from(edges, (e) => remap[s.edgeTarget[e]]);
  out.edgeWeight = Float64Array.from(edges, (e) => s.edgeWeight[e]);
  if (s.edgeProbability) {
    const p = s.edgeProbability;
    out.edgeProbability = Float64Array.from(edges, (e) => p[e]);
  }
  return out;
}

/** Nodes whose category is one of `categories` (exact, case-sensitive match). */
export function subgraphByCategory(s: Snapshot, categories: Iterable<string>): Snapshot {
  const want = new Set(categories);
  const keep: number[] = [];
  for (let i = 0; i < s.ids.length; i++) if (want.has(s.categories[i])) keep.push(i);
  return subgraph(s, keep);
}

/** The k largest nodes by TVL, in descending TVL order (ties: original node order). */
export function topKByTvl(s: Snapshot, k: number): Snapshot {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`snapshot/subgraph: k must be a non-negative integer, got ${k}`);
  const order = Array.from(s.ids.keys()).sort((a, b) => s.tvl[b] - s.tvl[a] || a - b);
  return subgraph(s, order.slice(0, k));
}

/**
 * Both snapshots restricted to the ids they share, in the same node order (the
 * order of `a`), so node i is the same protocol in both results.
 */
export function commonNodes(a: Snapshot, b: Snapshot): [Snapshot, Snapshot] {
  const bIndex = idIndex(b);
  const ka: number[] = [];
  const kb: number[] = [];
  for (let i = 0; i < a.ids.length; i++) {
    const j = bIndex.get(a.ids[i]);
    if (j !== undefined) {
      ka.push(i);
      kb.push(j);
    }
  }
  return [subgraph(a, ka), subgraph(b, kb)];
}
