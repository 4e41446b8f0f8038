/**
 * The sector overview of an exposure graph: one node per category (its protocols, TVL
 * and the exposure inside it), one edge per ordered pair of categories carrying the
 * summed USD exposure between their protocols. A week of 5,000-11,000 protocols is a
 * hairball; its ~16 sectors and their aggregated exposures read at first sight, and a
 * sector expands into its protocols in the view. Observed exposures are aggregated;
 * a forecast with no observed edges aggregates its predicted ones (weight times
 * probability, their expected exposure). Rare categories can be grouped into one
 * sector. Sectors sit on a circle of radius 1000,
 * largest TVL first, clockwise from the top, so the big sectors are where the eye starts.
 */
import Graph from 'graphology';
import type { GraphPayload } from './protocol';

export interface SectorNode {
  /** The category, or the group's name when several categories are grouped. */
  category: string;
  /** The categories it stands for (one, unless grouped). */
  members: string[];
  protocols: number;
  tvl: number;
  /** Exposure between protocols of this sector (USD); not drawn as an edge. */
  internal: number;
  x: number;
  y: number;
}

export interface SectorEdge {
  source: string;
  target: string;
  /** Summed exposure, USD. */
  weight: number;
  /** Protocol-level exposures aggregated. */
  count: number;
}

export interface SectorOverview {
  sectors: SectorNode[];
  edges: SectorEdge[];
  /** Whether predicted exposures (expected USD) were aggregated, for want of observed ones. */
  predicted: boolean;
}

/**
 * `group` maps a category to its sector (default: itself), so that rare categories can
 * share one "Other" sector as they share one colour; exposures inside a group count as
 * internal to it.
 */
export function sectorOverview(p: Pick<GraphPayload, 'nodes' | 'edges'>, group: (category: string) => string = (c) => c): SectorOverview {
  const catOf = new Map<string, string>();
  const members = new Map<string, Set<string>>();
  const g = new Graph<{ protocols: number; tvl: number; internal: number }, { weight: number; count: number }>({ type: 'directed', multi: false, allowSelfLoops: false });
  for (const n of p.nodes) {
    const sector = group(n.category);
    catOf.set(n.id, sector);
    if (!g.hasNode(sector)) g.addNode(sector, { protocols: 0, tvl: 0, internal: 0 });
    g.updateNodeAttributes(sector, (a) => ({ ...a, protocols: a.protocols + 1, tvl: a.tvl + n.tvl }));
    (members.get(sector) ?? members.set(sector, new Set()).get(sector)!).add(n.category);
  }
  const predicted = p.edges.length > 0 && p.edges.every((e) => e.kind === 'predicted');
  for (const e of p.edges) {
    if ((e.kind === 'predicted') !== predicted) continue;
    const a = catOf.get(e.source);
    const b = catOf.get(e.target);
    if (a === undefined || b === undefined) continue;
    const w = predicted ? e.weight * (e.probability ?? 1) : e.weight;
    if (a === b) g.updateNodeAttribute(a, 'internal', (v) => (v ?? 0) + w);
    else if (g.hasEdge(a, b)) g.updateEdgeAttributes(a, b, (x) => ({ weight: x.weight + w, count: x.count + 1 }));
    else g.addDirectedEdge(a, b, { weight: w, count: 1 });
  }
  const order = g.nodes().sort((a, b) => g.getNodeAttribute(b, 'tvl') - g.getNodeAttribute(a, 'tvl') || (a < b ? -1 : 1));
  const k = order.length;
  const r = k > 1 ? 1000 : 0;
  const sectors: SectorNode[] = order.map((c, i) => {
    const a = g.getNodeAttributes(c);
    const angle = Math.PI / 2 - (2 * Math.PI * i) / Math.max(1, k);
    return { category: c, members: [...members.get(c)!].sort(), protocols: a.protocols, tvl: a.tvl, internal: a.internal, x: Math.round(r * Math.cos(angle) * 10) / 10, y: Math.round(r * Math.sin(angle) * 10) / 10 };
  });
  const edges: SectorEdge[] = g.mapEdges((_e, a, s, t) => ({ source: s, target: t, weight: a.weight, count: a.count }));
  edges.sort((x, y) => y.weight - x.weight || (x.source < y.source ? -1 : x.source > y.source ? 1 : x.target < y.target ? -1 : 1));
  return { sectors, edges, predicted };
}
