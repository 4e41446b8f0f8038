/**
 * Object views over the columnar Snapshot (types.ts) for code that prefers records
 * to columns: notebooks, tables, tests. Hot paths should read the columns directly.
 */
import type { Exposure, Protocol, Snapshot } from './types';

/** One Protocol record per node, in node order. */
export function protocols(s: Snapshot): Protocol[] {
  const out: Protocol[] = new Array(s.ids.length);
  for (let i = 0; i < s.ids.length; i++) out[i] = protocolAt(s, i);
  return out;
}

/** The Protocol record of node i. */
export function protocolAt(s: Snapshot, i: number): Protocol {
  if (!Number.isInteger(i) || i < 0 || i >= s.ids.length) {
    throw new RangeError(`snapshot/access: node index ${i} is out of range 0..${s.ids.length - 1} (week ${s.week})`);
  }
  const p: Protocol = { id: s.ids[i], name: s.names[i], category: s.categories[i], tvl: s.tvl[i] };
  if (s.sectors) p.sector = s.sectors[i];
  const chains = s.chains?.[i];
  if (chains) p.chains = chains;
  if (s.composition) p.composition = compositionOf(s, i);
  return p;
}

/** Token -> USD holdings of node i ({} when the snapshot has no composition). */
export function compositionOf(s: Snapshot, i: number): Record<string, number> {
  const c = s.composition;
  const out: Record<string, number> = {};
  if (!c) return out;
  for (let k = c.offsets[i]; k < c.offsets[i + 1]; k++) out[c.tokens[k]] = c.values[k];
  return out;
}

/** One Exposure record per edge, in edge order, with ids instead of indices. */
export function exposures(s: Snapshot): Exposure[] {
  const out: Exposure[] = new Array(s.edgeSource.length);
  for (let e = 0; e < s.edgeSource.length; e++) {
    const x: Exposure = { source: s.ids[s.edgeSource[e]], target: s.ids[s.edgeTarget[e]], weight: s.edgeWeight[e] };
    if (s.edgeProbability) x.probability = s.edgeProbability[e];
    out[e] = x;
  }
  return out;
}

const indexCache = new WeakMap<Snapshot, Map<string, number>>();

/** id -> node index, built once per snapshot (cached weakly). */
export function idIndex(s: Snapshot): ReadonlyMap<string, number> {
  let m = indexCache.get(s);
  if (!m || m.size !== s.ids.length) {
    m = new Map();
    for (let i = 0; i < s.ids.length; i++) m.set(s.ids[i], i);
    indexCache.set(s, m);
  }
  return m;
}

const rankCache = new WeakMap<Snapshot, { rank: Int32Array; order: Int32Array }>();

/**
 * The ids of `nodes` sorted as strings (as `ids.sort()` sorts them): by each node's
 * rank in the week's sorted ids, ranked once per snapshot (cached weakly), so the
 * stress rounds' id lists are a typed-array sort of integers on every what-if rerun
 * instead of a string sort. Short lists are sorted directly.
 */
export function sortedIdsOf(s: Snapshot, nodes: ArrayLike<number>): string[] {
  const ids = s.ids;
  if (nodes.length < 64) return Array.from(nodes, (i) => ids[i]).sort();
  let r = rankCache.get(s);
  if (!r || r.rank.length !== ids.length) {
    const order = Int32Array.from(ids.keys()).sort((a, b) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : a - b));
    const rank = new Int32Array(ids.length);
    for (let k = 0; k < order.length; k++) rank[order[k]] = k;
    r = { rank, order };
    rankCache.set(s, r);
  }
  const ks = new Int32Array(nodes.length);
  for (let j = 0; j < nodes.length; j++) ks[j] = r.rank[nodes[j]];
  ks.sort();
  const out: string[] = new Array(ks.length);
  for (let j = 0; j < ks.length; j++) out[j] = ids[r.order[ks[j]]];
  return out;
}

/** Node index of a protocol id, or -1 when the week does not have it. */
export function indexOfId(s: Snapshot, id: string): number {
  return idIndex(s).get(id) ?? -1;
}

/** Total TVL of the week, USD. */
export function totalTvl(s: Snapshot): number {
  let t = 0;
  for (let i = 0; i < s.tvl.length; i++) t += s.tvl[i];
  return t;
}
