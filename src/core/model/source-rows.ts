/**
 * Directed pairs grouped by source, for the forecast's pair bookkeeping (candidate
 * generation, base log-weights, recent pairs). Every question asked about a pair
 * (p, q) there is asked about one source p at a time, so a pair table is not needed:
 * group the pairs by source with a counting sort, then answer per source with a
 * stamp array over targets (n entries, cache-resident). A hash table over all
 * pairs of a full-scale week (~200k pairs, several MB) missed the cache on nearly
 * every probe.
 */

import { groupBySource } from '../group-by';

/**
 * A set of targets for one source at a time: mark(q) for the current source, then
 * has(q); next source by begin(u). O(1) per operation, no clearing between sources.
 */
export class TargetStamps {
  private readonly stamp: Int32Array;
  private current = -1;
  constructor(n: number) {
    this.stamp = new Int32Array(n).fill(-1);
  }
  begin(source: number): void {
    this.current = source;
  }
  has(q: number): boolean {
    return this.stamp[q] === this.current;
  }
  /** Marks q; true when it was not marked for the current source. */
  add(q: number): boolean {
    if (this.stamp[q] === this.current) return false;
    this.stamp[q] = this.current;
    return true;
  }
}

/**
 * For each query pair (qs[i], qt[i]), the index k of the last edge (from[k], to[k])
 * equal to it, or -1.
 */
export function lastEdgeOf(n: number, from: ArrayLike<number>, to: ArrayLike<number>, qs: ArrayLike<number>, qt: ArrayLike<number>): Int32Array {
  const E = from.length;
  const Q = qs.length;
  const edges = groupBySource(n, from, E);
  const queries = groupBySource(n, qs, Q);
  const edgeAt = new Int32Array(n);
  const marks = new TargetStamps(n);
  const out = new Int32Array(Q).fill(-1);
  for (let u = 0; u < n; u++) {
    const qa = queries.offsets[u];
    const qb = queries.offsets[u + 1];
    const ea = edges.offsets[u];
    const eb = edges.offsets[u + 1];
    if (qa === qb || ea === eb) continue;
    marks.begin(u);
    // in input order, so a repeated edge leaves its last index
    for (let i = ea; i < eb; i++) {
      const k = edges.order[i];
      marks.add(to[k]);
      edgeAt[to[k]] = k;
    }
    for (let i = qa; i < qb; i++) {
      const j = queries.order[i];
      if (marks.has(qt[j])) out[j] = edgeAt[qt[j]];
    }
  }
  return out;
}
