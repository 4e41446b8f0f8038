/**
 * Table-1-style statistics of a release (paper Table 1; definitions from the
 * authors' code, data-spec §4.5 and §7.1): node overlap is |V_t ∩ V_t+1| / |V_t|
 * (what the paper calls "edge overlap", 98.5%), edge persistence is the same ratio
 * on distinct directed (source, target) id pairs (~50-55% on the real data), both
 * averaged over consecutive week pairs.
 */
import type { Snapshot } from './types';

export interface ReleaseStats {
  weeks: number;
  from: string;
  to: string;
  meanNodes: number;
  meanEdges: number;
  minNodes: number;
  maxNodes: number;
  minEdges: number;
  maxEdges: number;
  /** Mean week-to-week node-id overlap |V_t ∩ V_t+1| / |V_t|. */
  meanNodeOverlap: number;
  /** Mean week-to-week directed-edge persistence |E_t ∩ E_t+1| / |E_t|. */
  meanEdgeOverlap: number;
  /** Distinct categories over all weeks' nodes (including "Unknown" when present). */
  categories: number;
  /** Distinct protocol ids over all weeks. */
  distinctIds: number;
  meanTotalTvl: number;
}

/** Accumulates statistics over snapshots given in week order. */
export class StatsAccumulator {
  private n = 0;
  private from = '';
  private to = '';
  private nodes: number[] = [];
  private edges: number[] = [];
  private tvl: number[] = [];
  private prevIds?: Set<string>;
  private prevEdges?: Set<string>;
  private overlapSum = 0;
  private persistSum = 0;
  private pairs = 0;
  private readonly cats = new Set<string>();
  private readonly allIds = new Set<string>();

  add(s: Snapshot): void {
    if (this.n === 0) this.from = s.week;
    this.to = s.week;
    this.n++;
    this.nodes.push(s.ids.length);
    this.edges.push(s.edgeSource.length);
    let t = 0;
    for (let i = 0; i < s.tvl.length; i++) t += s.tvl[i];
    this.tvl.push(t);
    const ids = new Set(s.ids);
    for (const id of s.ids) this.allIds.add(id);
    for (const c of s.categories) this.cats.add(c);
    const edges = new Set<string>();
    for (let e = 0; e < s.edgeSource.length; e++) edges.add(`${s.ids[s.edgeSource[e]]}\u0000${s.ids[s.edgeTarget[e]]}`);
    if (this.prevIds && this.prevEdges) {
      let common = 0;
      for (const id of this.prevIds) if (ids.has(id)) common++;
      let kept = 0;
      for (const e of this.prevEdges) if (edges.has(e)) kept++;
      this.overlapSum += this.prevIds.size ? common / this.prevIds.size : 1;
      this.persistSum += this.prevEdges.size ? kept / this.prevEdges.size : 1;
      this.pairs++;
    }
    this.prevIds = ids;
    this.prevEdges = edges;
  }

  result(): ReleaseStats {
    const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
    return {
      weeks: this.n,
      from: this.from,
      to: this.to,
      meanNodes: mean(this.nodes),
      meanEdges: mean(this.edges),
      minNodes: this.nodes.length ? Math.min(...this.nodes) : 0,
      maxNodes: this.nodes.length ? Math.max(...this.nodes) : 0,
      minEdges: this.edges.length ? Math.min(...this.edges) : 0,
      maxEdges: this.edges.length ? Math.max(...this.edges) : 0,
      meanNodeOverlap: this.pairs ? this.overlapSum / this.pairs : 1,
      meanEdgeOverlap: this.pairs ? this.persistSum / this.pairs : 1,
      categories: this.cats.size,
      distinctIds: this.allIds.size,
      meanTotalTvl: mean(this.tvl),
    };
  }
}

/** Statistics of snapshots given in week order. */
export function releaseStats(snapshots: Iterable<Snapshot>): ReleaseStats {
  const acc = new StatsAccumulator();
  for (const s of snapshots) acc.add(s);
  return acc.result();
}
