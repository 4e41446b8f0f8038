/**
 * Deterministic layout of an exposure graph for the graph view, computed once on the
 * kernel side and saved with the output (so reopening is instant and stable).
 *
 * ForceAtlas2 (Jacomy et al., "ForceAtlas2, a continuous graph layout algorithm",
 * PLoS ONE 2014; graphology-layout-forceatlas2 implementation) on the `layoutNodes`
 * largest protocols by TVL, started from a golden-angle spiral by TVL rank, so the
 * result depends only on the input (FA2 itself draws no random numbers). The
 * remaining protocols (the long tail: thousands of tiny nodes) are placed cheaply
 * next to their strongest already-placed neighbour, with a seeded jitter, or on an
 * outer spiral when they have none. This bounds the time at full scale (~5,700
 * nodes) to the FA2 run on the top set.
 */
import Graph from 'graphology';
import forceAtlas2 from 'graphology-layout-forceatlas2';
import { rngFromSeed } from '../random';

export interface LayoutInput {
  n: number;
  tvl: ArrayLike<number>;
  /** Ids, for deterministic tie-breaks between equal TVLs. */
  ids: readonly string[];
  edgeSource: ArrayLike<number>;
  edgeTarget: ArrayLike<number>;
  edgeWeight: ArrayLike<number>;
}

export interface LayoutOptions {
  /** Protocols laid out by ForceAtlas2 (default 1,000); the rest are placed by neighbour. */
  layoutNodes?: number;
  /** FA2 iterations (default: scaled down with the top set's size, 60..300). */
  iterations?: number;
  seed?: number;
}

export interface Layout {
  x: Float64Array;
  y: Float64Array;
  /** Node indices by TVL, largest first (ties by id). */
  order: Int32Array;
}

const GOLDEN_ANGLE = Math.PI * (3 - Math.sqrt(5));

/** Node indices sorted by TVL descending, ties by id ascending. */
export function tvlOrder(tvl: ArrayLike<number>, ids: readonly string[]): Int32Array {
  const order = Int32Array.from({ length: ids.length }, (_, i) => i);
  order.sort((a, b) => tvl[b]! - tvl[a]! || (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0));
  return order;
}

export function layoutGraph(g: LayoutInput, opts: LayoutOptions = {}): Layout {
  const { n } = g;
  const order = tvlOrder(g.tvl, g.ids);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const placed = new Uint8Array(n);
  const top = Math.min(n, opts.layoutNodes ?? 1000);

  // ForceAtlas2 on the top set, edges merged per unordered pair, log-weighted so the
  // few billion-dollar exposures do not collapse everything onto one point.
  const fa = new Graph({ type: 'undirected', multi: false, allowSelfLoops: false });
  for (let r = 0; r < top; r++) {
    const i = order[r]!;
    const rad = 10 * Math.sqrt(r + 0.5);
    fa.addNode(String(i), { x: rad * Math.cos(r * GOLDEN_ANGLE), y: rad * Math.sin(r * GOLDEN_ANGLE) });
    placed[i] = 1;
  }
  for (let e = 0; e < g.edgeSource.length; e++) {
    const s = g.edgeSource[e]!;
    const t = g.edgeTarget[e]!;
    if (s === t || !placed[s] || !placed[t]) continue;
    const w = Math.log1p(Math.max(0, g.edgeWeight[e]!) / 1000);
    const key = s < t ? `${s}-${t}` : `${t}-${s}`;
    if (fa.hasEdge(key)) fa.updateEdgeAttribute(key, 'weight', (v: number | undefined) => (v ?? 0) + w);
    else fa.addEdgeWithKey(key, String(s), String(t), { weight: w });
  }
  if (top > 1) {
    const iterations = opts.iterations ?? Math.max(60, Math.min(300, Math.round(120_000 / top)));
    forceAtlas2.assign(fa, {
      iterations,
      getEdgeWeight: 'weight',
      settings: { ...forceAtlas2.inferSettings(fa), barnesHutOptimize: top > 400, gravity: 1, scalingRatio: 10, edgeWeightInfluence: 0.5 },
    });
  }
  let extent = 1;
  fa.forEachNode((key, a) => {
    const i = Number(key);
    x[i] = a.x as number;
    y[i] = a.y as number;
    extent = Math.max(extent, Math.hypot(x[i]!, y[i]!));
  });

  // The tail: next to the strongest placed neighbour (in TVL order, so a tail node can
  // anchor the smaller ones after it), else on a spiral outside the laid-out disc.
  const adjStart = new Int32Array(n + 1);
  for (let e = 0; e < g.edgeSource.length; e++) {
    adjStart[g.edgeSource[e]! + 1]!++;
    adjStart[g.edgeTarget[e]! + 1]!++;
  }
  for (let i = 0; i < n; i++) adjStart[i + 1]! += adjStart[i]!;
  const adjNode = new Int32Array(adjStart[n]!);
  const adjW = new Float64Array(adjStart[n]!);
  const fill = adjStart.slice(0, n);
  for (let e = 0; e < g.edgeSource.length; e++) {
    const s = g.edgeSource[e]!;
    const t = g.edgeTarget[e]!;
    const w = g.edgeWeight[e]!;
    adjNode[fill[s]!] = t;
    adjW[fill[s]!++] = w;
    adjNode[fill[t]!] = s;
    adjW[fill[t]!++] = w;
  }
  const rng = rngFromSeed(opts.seed ?? 1);
  const jitter = extent * 0.04;
  let ring = 0;
  for (let r = top; r < n; r++) {
    const i = order[r]!;
    let best = -1;
    let bestW = -1;
    for (let k = adjStart[i]!; k < adjStart[i + 1]!; k++) {
      const j = adjNode[k]!;
      if (placed[j] && j !== i && adjW[k]! > bestW) {
        best = j;
        bestW = adjW[k]!;
      }
    }
    if (best >= 0) {
      const a = rng.next() * 2 * Math.PI;
      const d = jitter * (0.3 + 0.7 * rng.next());
      x[i] = x[best]! + d * Math.cos(a);
      y[i] = y[best]! + d * Math.sin(a);
    } else {
      const rad = extent * (1.1 + 0.25 * Math.sqrt(ring / Math.max(1, n - top)));
      x[i] = rad * Math.cos(ring * GOLDEN_ANGLE);
      y[i] = rad * Math.sin(ring * GOLDEN_ANGLE);
      ring++;
    }
    placed[i] = 1;
  }
  return { x, y, order };
}
