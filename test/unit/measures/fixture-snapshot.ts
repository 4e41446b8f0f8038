/**
 * Hand-made snapshots for the measures, stress and warnings tests (and the benchmarks):
 * a tiny builder from id lists, the reference graphs of
 * test/fixtures/reference/measures-reference.json, and seeded random graphs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Snapshot } from '../../../src/core/snapshot/types';
import { lognormal, rngFromSeed, uniformInt } from '../../../src/core/random';
import Graph from 'graphology';

export type NodeSpec = [id: string, tvl: number, category?: string];
export type EdgeSpec = [source: string, target: string, weight: number];

/** Build a snapshot from nodes [id, tvl, category?] and edges [creditor, debtor, USD]. */
export function snap(nodes: NodeSpec[], edges: EdgeSpec[], week = '2024-01-01'): Snapshot {
  const index = new Map(nodes.map(([id], i) => [id, i]));
  const at = (id: string): number => {
    const i = index.get(id);
    if (i === undefined) throw new Error(`fixture: unknown node ${id}`);
    return i;
  };
  return {
    week,
    kind: 'observed',
    ids: nodes.map((n) => n[0]),
    names: nodes.map((n) => `Protocol ${n[0]}`),
    categories: nodes.map((n) => n[2] ?? 'Unknown'),
    tvl: Float64Array.from(nodes, (n) => n[1]),
    edgeSource: Int32Array.from(edges, (e) => at(e[0])),
    edgeTarget: Int32Array.from(edges, (e) => at(e[1])),
    edgeWeight: Float64Array.from(edges, (e) => e[2]),
  };
}

export interface ReferenceGraph {
  name: string;
  ids: string[];
  names: string[];
  categories: string[];
  tvl: number[];
  edges: [number, number, number][];
  reference: {
    pagerank_parity: number[];
    pagerank_default: number[];
    parity: {
      pagerankNorm: number[];
      tailExposure: number[];
      logTvlNorm: number[];
      sis: number[];
      metrics: Record<string, number>;
      contagion: Record<string, { totalLoss: number; systemLossPct: number; distressed: number; depth: number; losses: Record<string, number> }>;
    };
    default: {
      spillover: { total: number; index: number };
      contagion: Record<string, { totalLoss: number; systemLossPct: number; distressed: number; affected: number; depth: number; losses: Record<string, number> }>;
    };
  };
}

export function referenceGraphs(): ReferenceGraph[] {
  const file = join(__dirname, '..', '..', 'fixtures', 'reference', 'measures-reference.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { graphs: ReferenceGraph[] }).graphs;
}

export function referenceSnapshot(g: ReferenceGraph): Snapshot {
  return {
    week: '2024-01-01',
    kind: 'observed',
    ids: g.ids,
    names: g.names,
    categories: g.categories,
    tvl: Float64Array.from(g.tvl),
    edgeSource: Int32Array.from(g.edges, (e) => e[0]),
    edgeTarget: Int32Array.from(g.edges, (e) => e[1]),
    edgeWeight: Float64Array.from(g.edges, (e) => e[2]),
  };
}

const CATEGORIES = ['Lending', 'Dexes', 'Bridge', 'CDP', 'Yield', 'Liquid Staking', 'Derivatives', 'Services'];

/** A seeded random snapshot with heavy-tailed TVLs and weights and preferential targets. */
export function randomSnapshot(n: number, e: number, seed: number, week = '2024-01-01'): Snapshot {
  const rng = rngFromSeed(seed);
  const tvl = new Float64Array(n);
  for (let i = 0; i < n; i++) tvl[i] = uniformInt(rng, 20) === 0 ? 0 : lognormal(rng, 14, 2.5);
  const src = new Int32Array(e);
  const dst = new Int32Array(e);
  const w = new Float64Array(e);
  for (let k = 0; k < e; k++) {
    src[k] = uniformInt(rng, n);
    // Debtors concentrate on a few issuers (quadratic skew towards low indices).
    const u = uniformInt(rng, n);
    dst[k] = Math.floor((u * u) / n);
    w[k] = lognormal(rng, 11, 2.2);
  }
  return {
    week,
    kind: 'observed',
    ids: Array.from({ length: n }, (_, i) => `p${i}`),
    names: Array.from({ length: n }, (_, i) => `Protocol ${i}`),
    categories: Array.from({ length: n }, (_, i) => CATEGORIES[i % CATEGORIES.length]),
    tvl,
    edgeSource: src,
    edgeTarget: dst,
    edgeWeight: w,
  };
}

/**
 * The snapshot as a directed graphology graph for reference computations: parallel
 * exposures summed into one edge's `weight`, self-loops left out (as our measures count).
 */
export function graphologyGraph(s: Snapshot): Graph {
  const g = new Graph({ type: 'directed' });
  s.ids.forEach((id) => g.addNode(id));
  for (let k = 0; k < s.edgeSource.length; k++) {
    const a = s.ids[s.edgeSource[k]];
    const b = s.ids[s.edgeTarget[k]];
    if (a === b) continue;
    const e = g.edge(a, b);
    if (e) g.updateEdgeAttribute(e, 'weight', (w: number | undefined) => (w ?? 0) + s.edgeWeight[k]);
    else g.addEdge(a, b, { weight: s.edgeWeight[k] });
  }
  return g;
}
