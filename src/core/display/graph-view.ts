/**
 * `graphView(snapshot, opts)`: the exposure graph view (application/vnd.dexposure.graph+json).
 * Protocols become nodes (TVL, category, SIS and rank, PageRank), exposures become
 * directed edges p -> q (p holds tokens issued by q); a forecast snapshot's edges, or
 * those of `opts.predicted`, are marked predicted with their probability. Positions
 * come from ./graph-layout (deterministic, bounded time) and are saved in the payload.
 * Nodes are listed largest TVL first so the renderer's default top-N view is a prefix.
 */
import { sis as computeSis } from '../measures';
import { sisOrder } from '../measures/sis';
import type { Snapshot } from '../snapshot/types';
import { graphMarkdown } from './markdown';
import { makeView, type View } from './displayable';
import { layoutGraph, type LayoutOptions } from './graph-layout';
import { DISPLAY_PROTOCOL_VERSION, type GraphEdge, type GraphNode, type GraphPayload } from './protocol';
import { MIME } from './views';

export interface GraphViewOptions {
  title?: string;
  /** Nodes shown by default, largest TVL first (default 300); the view can show all. */
  topN?: number;
  /** A forecast snapshot whose edges are drawn as predicted (dashed, by probability). */
  predicted?: Snapshot;
  /** Predicted edges below this probability are left out (default 0.5). */
  minProbability?: number;
  /** Attach SIS scores and ranks (default true; computed with src/core/measures). */
  sis?: boolean;
  layout?: LayoutOptions;
  /** Where the data came from, shown in the view. */
  source?: string;
}

/** Coordinates are scaled into [-1000, 1000] and rounded to 0.1: enough for any screen, smaller JSON. */
function normaliseCoords(x: Float64Array, y: Float64Array): void {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]!), Math.abs(y[i]!));
  const k = m > 0 ? 1000 / m : 1;
  for (let i = 0; i < x.length; i++) {
    x[i] = Math.round(x[i]! * k * 10) / 10;
    y[i] = Math.round(y[i]! * k * 10) / 10;
  }
}

function checkSnapshot(s: Snapshot, what: string): void {
  const n = s.ids.length;
  if (s.names.length !== n || s.categories.length !== n || s.tvl.length !== n) throw new Error(`display/graph: ${what} node columns differ in length (ids ${n}, names ${s.names.length}, categories ${s.categories.length}, tvl ${s.tvl.length})`);
  const e = s.edgeSource.length;
  if (s.edgeTarget.length !== e || s.edgeWeight.length !== e) throw new Error(`display/graph: ${what} edge columns differ in length (source ${e}, target ${s.edgeTarget.length}, weight ${s.edgeWeight.length})`);
  for (let k = 0; k < e; k++) {
    const a = s.edgeSource[k]!;
    const b = s.edgeTarget[k]!;
    if (a < 0 || a >= n || b < 0 || b >= n) throw new Error(`display/graph: ${what} edge ${k} points at node ${a < 0 || a >= n ? a : b}, outside 0..${n - 1}`);
  }
}

export function graphPayload(s: Snapshot, opts: GraphViewOptions = {}): GraphPayload {
  checkSnapshot(s, `snapshot ${s.week}`);
  const n = s.ids.length;
  const lay = layoutGraph({ n, tvl: s.tvl, ids: s.ids, edgeSource: s.edgeSource, edgeTarget: s.edgeTarget, edgeWeight: s.edgeWeight }, opts.layout);
  normaliseCoords(lay.x, lay.y);

  let sisScore: Float64Array | undefined;
  let pagerank: Float64Array | undefined;
  const sisRank = new Int32Array(n);
  if (opts.sis !== false && n > 0) {
    const r = computeSis(s);
    sisScore = r.sis;
    pagerank = r.pagerank;
    sisOrder(s, r).forEach((i, rank) => (sisRank[i] = rank + 1));
  }

  const nodes: GraphNode[] = [];
  for (const i of lay.order) {
    const node: GraphNode = { id: s.ids[i]!, name: s.names[i]!, category: s.categories[i]!, tvl: s.tvl[i]!, x: lay.x[i]!, y: lay.y[i]! };
    if (sisScore) {
      node.sis = Math.round(sisScore[i]! * 1e6) / 1e6;
      node.sisRank = sisRank[i]!;
    }
    if (pagerank) node.pagerank = Number(pagerank[i]!.toPrecision(4));
    nodes.push(node);
  }

  const edges: GraphEdge[] = [];
  const ownPredicted = s.edgeProbability !== undefined;
  for (let k = 0; k < s.edgeSource.length; k++) {
    const e: GraphEdge = { source: s.ids[s.edgeSource[k]!]!, target: s.ids[s.edgeTarget[k]!]!, weight: s.edgeWeight[k]! };
    if (ownPredicted) {
      e.kind = 'predicted';
      e.probability = s.edgeProbability![k]!;
    }
    edges.push(e);
  }
  if (opts.predicted) {
    const p = opts.predicted;
    checkSnapshot(p, `predicted snapshot ${p.week}`);
    const present = new Set(s.ids);
    const minP = opts.minProbability ?? 0.5;
    for (let k = 0; k < p.edgeSource.length; k++) {
      const a = p.ids[p.edgeSource[k]!]!;
      const b = p.ids[p.edgeTarget[k]!]!;
      const prob = p.edgeProbability ? p.edgeProbability[k]! : 1;
      // Predicted edges between protocols this week lacks have no place in the picture.
      if (!present.has(a) || !present.has(b) || prob < minP) continue;
      edges.push({ source: a, target: b, weight: p.edgeWeight[k]!, kind: 'predicted', probability: prob });
    }
  }

  const catTvl = new Map<string, number>();
  for (let i = 0; i < n; i++) catTvl.set(s.categories[i]!, (catTvl.get(s.categories[i]!) ?? 0) + s.tvl[i]!);
  const categories = [...catTvl.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([c]) => c);

  const payload: GraphPayload = { version: DISPLAY_PROTOCOL_VERSION, week: s.week, nodes, edges, categories, topN: Math.min(n, opts.topN ?? 300) };
  if (opts.title !== undefined) payload.title = opts.title;
  if (opts.source !== undefined) payload.source = opts.source;
  return payload;
}

/** Interactive WebGL exposure graph: hover, select, search, filters, predicted edges. */
export function graphView(s: Snapshot, opts: GraphViewOptions = {}): View<GraphPayload> {
  const p = graphPayload(s, opts);
  return makeView(MIME.graph, p, graphMarkdown(p));
}
