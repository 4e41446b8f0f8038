/**
 * Candidate pairs for building G^(t+h) without scoring all N^2 ordered pairs
 * (docs/MODEL.md "Candidate pairs"). Exposure p -> q: p holds tokens issued by q.
 * The candidates are
 *   - the anchor week's edges (persistence: most of G^(t+h) is G_t), all of them;
 *   - reciprocal pairs q -> p of every anchor edge p -> q (mutual holdings: LP and
 *     vault tokens held both ways; and a weakly trained head scores a held issuer
 *     and its holder alike in both directions, since [h_p*h_q; |h_p-h_q|] is
 *     symmetric), all of them;
 *   - hub rows: the few nodes with the highest out-degree, and the few with the
 *     highest in-degree, as sources paired with every node (the model spreads a
 *     hub's probability over many small counterparties; these rows are where its
 *     best new pairs concentrate on the synthetic and sample weeks), and the first
 *     few of the caller's extra sources (forecast(): the nodes the model scores highest
 *     as holders): where the largest protocols by TVL are not the degree hubs (the
 *     sample's giants hold few tokens) the model's best new pairs sit on their rows,
 *     which a per-source budget cut to 16 (recall of the exhaustive top new pairs on
 *     sample weeks 2022-05-23 / 2022-10-10 / 2023-02-27 / 2023-07-10: 0.75 / 0.81 /
 *     0.83 / 0.64 without these rows, 0.90 / 0.93 / 0.93 / 0.87 with them);
 *   - then, per source, at most `perSource` new pairs, taken in this order:
 *     1. popular issuers: the targets with the highest in-degree at t (the release
 *        grows by preferential attachment to a few large issuers: stablecoins,
 *        LSTs; new holders start with them);
 *     2. caller-supplied targets (forecast() passes the targets the model scores
 *        highest for the mean active source);
 *     3. 2-hop exposures p -> r for p -> q -> r (wrapped and LP tokens route
 *        holders to the underlying issuers);
 *     4. co-holdings p -> r for p -> q <- s -> r (holders of the same token tend to
 *        hold the same other tokens: collaborative filtering on the exposure matrix);
 *     5. embedding neighbours: the heaviest targets of p's nearest sources in the
 *        model's link space (the per-node linear part W_a h_p of the link head's
 *        first layer), found on a seeded Gaussian random projection to a few
 *        dimensions (Johnson-Lindenstrauss) over the top sources by out-degree.
 *   Between 2 and 3, when the caller passes them (forecast() does, from the week
 *   before the anchor): recent pairs, p -> q an edge in either direction last week but
 *   not at t. Within the same per-source budget they recover more realised new edges
 *   than the 2-hop, co-holding and embedding pairs they displace (bench/forecast-recall.ts
 *   on prior and evaluation histories: new-edge recall of the candidates 5.28% -> 5.43%,
 *   9.41% -> 9.48%, 2.00% -> 2.08%); put before the popular and model targets they lost
 *   on two of the three.
 *   "Active" sources (an outgoing edge at t) and the caller's extra sources (forecast()
 *   passes the nodes the model scores highest as holders of the mean held token)
 *   get all five; any other node gets only the top `popularForAll` issuers.
 * Self-loops are proposed only where they exist at t. The total is at most
 * 2 E_t + (2 hubRows + modelHubRows) x N + N x perSource, not N^2. The recall of this set against
 * exhaustive scoring is checked in test/unit/model/candidates.test.ts.
 * The budgets follow what each generator yields on held-out weeks of the full-scale
 * history (bench/forecast-recall.ts, docs/MODEL.md): realised new edges come almost
 * only from reciprocal pairs, the model's own top new pairs from hub rows, popular
 * and model-popular targets; 2-hop, co-holding and embedding pairs, once 70% of all
 * candidates, recovered a few dozen realised edges per week, so they get 2 each.
 */
import type { Snapshot } from '../snapshot/types';
import { normal, rngFromSeed } from '../random';
import { IntList, PairIndex } from './pair-index';

export interface CandidateOptions {
  /** New (non-anchor-edge) candidates per active source, over generators 1-5 (default 16). */
  perSource?: number;
  /** Highest in-degree targets offered to every active source (default 8). */
  popularTargets?: number;
  /** Highest in-degree targets offered to every other node (default 4). */
  popularForAll?: number;
  /** Nodes with the highest out-degree, and as many with the highest in-degree, paired as sources with every node (default 4 + 4). */
  hubRows?: number;
  /** The first of the caller's extra sources (forecast(): the model's top holders) paired with every node too (default 4). */
  modelHubRows?: number;
  /** Propose q -> p for every anchor edge p -> q (default true). */
  reciprocal?: boolean;
  /** Max 2-hop candidates per source (default 2). */
  twoHop?: number;
  /** Max co-holding candidates per source (default 2). */
  coHolding?: number;
  /** Co-holders visited per held target, the largest first (default 16). */
  coHoldersPerTarget?: number;
  /** Nearest sources in link space whose targets are offered (default 2; 0 disables). */
  embeddingNeighbours?: number;
  /** Targets taken from each neighbour, the heaviest first (default 2). */
  targetsPerNeighbour?: number;
  /** Sources taking part in the neighbour search, by out-degree (default 256). */
  maxNeighbourSources?: number;
  /** Random projection dimension for the neighbour search (default 16). */
  projectionDim?: number;
  /** forecast(): recent candidates come from this many weeks up to the anchor, the anchor included (default 2: the previous week's pairs). */
  recentWeeks?: number;
}

export interface CandidateSet {
  /** pairs[0..P) sources, pairs[P..2P) targets, anchor index space, no duplicates. */
  pairs: Int32Array;
  /** How many pairs each generator added (after deduplication, in the order listed above). */
  counts: { existing: number; reciprocal: number; hubRows: number; popular: number; extra: number; twoHop: number; coHolding: number; embedding: number; recent: number };
  /** Per pair, the generator that added it: its index in GENERATORS. */
  origin: Uint8Array;
}

/** The generators, in the order of CandidateSet.counts (CandidateSet.origin holds indices into this). */
export const GENERATORS = ['existing', 'reciprocal', 'hubRows', 'popular', 'extra', 'twoHop', 'coHolding', 'embedding', 'recent'] as const;
const G_RECENT = 8;
const G_POPULAR = 3;
const G_EXTRA = 4;
const G_TWOHOP = 5;
const G_COHOLDING = 6;
const G_EMBEDDING = 7;

/** Per-node link-space vectors, row-major [N, width]. */
export interface LinkSpace {
  values: Float32Array;
  width: number;
}

interface Adjacency {
  offsets: Int32Array;
  nbr: Int32Array;
  weight: Float64Array;
}

/** CSR adjacency, neighbours sorted by descending weight (deduplicated, max weight kept). */
function adjacency(n: number, from: Int32Array, to: Int32Array, w: Float64Array): Adjacency {
  const E = from.length;
  const index = new PairIndex(n, E);
  const U = new Int32Array(E);
  const V = new Int32Array(E);
  const W = new Float64Array(E);
  let m = 0;
  for (let k = 0; k < E; k++) {
    const j = index.get(from[k], to[k]);
    if (j < 0) {
      index.set(from[k], to[k], m);
      U[m] = from[k];
      V[m] = to[k];
      W[m] = w[k];
      m++;
    } else if (w[k] > W[j]) W[j] = w[k];
  }
  const deg = new Int32Array(n + 1);
  for (let i = 0; i < m; i++) deg[U[i] + 1]++;
  for (let i = 0; i < n; i++) deg[i + 1] += deg[i];
  const fill = deg.slice(0, n);
  const nbr = new Int32Array(m);
  const weight = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const j = fill[U[i]]++;
    nbr[j] = V[i];
    weight[j] = W[i];
  }
  // each row: heaviest first, ties by ascending neighbour
  const before = (x: number, y: number): boolean => weight[x] > weight[y] || (weight[x] === weight[y] && nbr[x] < nbr[y]);
  for (let u = 0; u < n; u++) {
    const a = deg[u];
    const b = deg[u + 1];
    if (b - a < 2) continue;
    if (b - a <= 16) {
      for (let i = a + 1; i < b; i++) {
        const nb = nbr[i];
        const wt = weight[i];
        let j = i - 1;
        while (j >= a && (wt > weight[j] || (wt === weight[j] && nb < nbr[j]))) {
          nbr[j + 1] = nbr[j];
          weight[j + 1] = weight[j];
          j--;
        }
        nbr[j + 1] = nb;
        weight[j + 1] = wt;
      }
      continue;
    }
    const idx = Array.from({ length: b - a }, (_, i) => a + i).sort((x, y) => (before(x, y) ? -1 : before(y, x) ? 1 : 0));
    const nb = idx.map((i) => nbr[i]);
    const wt = idx.map((i) => weight[i]);
    nbr.set(nb, a);
    weight.set(wt, a);
  }
  return { offsets: deg, nbr, weight };
}

class PairCollector {
  private readonly seen: PairIndex;
  readonly src = new IntList();
  readonly dst = new IntList();
  readonly origin = new IntList();
  /** Generator index recorded for the pairs added next. */
  from = 0;
  constructor(n: number, expected: number) {
    this.seen = new PairIndex(n, expected);
  }
  add(u: number, v: number): boolean {
    if (!this.seen.add(u, v)) return false;
    this.src.push(u);
    this.dst.push(v);
    this.origin.push(this.from);
    return true;
  }
  get size(): number {
    return this.src.length;
  }
}

export interface ExtraCandidates {
  /** Targets offered to every active and extra source. */
  targets?: ArrayLike<number>;
  /** Sources (typically without holdings at t) offered the popular and extra targets. */
  sources?: ArrayLike<number>;
  /** Recent pairs (recentPairs()), offered first within each source's budget. */
  recent?: Int32Array;
}

/**
 * Directed pairs p -> q, p != q, that were an edge in either direction in one of
 * `earlier` (weeks before the anchor) and are not an edge at the anchor, in anchor
 * index space, the most recent week first (ties in first-seen order): both
 * orientations of a pair, since a position that pauses may return either way.
 */
export function recentPairs(anchor: Snapshot, earlier: readonly Snapshot[]): Int32Array {
  const n = anchor.ids.length;
  const at = new Map<string, number>();
  anchor.ids.forEach((id, i) => at.set(id, i));
  const atT = new PairIndex(n, anchor.edgeSource.length);
  for (let k = 0; k < anchor.edgeSource.length; k++) atT.add(anchor.edgeSource[k], anchor.edgeTarget[k]);
  const seen = new PairIndex(n);
  const src = new IntList();
  const dst = new IntList();
  const offer = (a: number, b: number): void => {
    if (atT.has(a, b) || !seen.add(a, b)) return;
    src.push(a);
    dst.push(b);
  };
  for (const s of [...earlier].filter((x) => x.week < anchor.week).sort((a, b) => (a.week < b.week ? 1 : -1))) {
    const local = Int32Array.from(s.ids, (id) => at.get(id) ?? -1);
    for (let k = 0; k < s.edgeSource.length; k++) {
      const u = local[s.edgeSource[k]];
      const v = local[s.edgeTarget[k]];
      if (u < 0 || v < 0 || u === v) continue;
      offer(u, v);
      offer(v, u);
    }
  }
  const out = new Int32Array(2 * src.length);
  out.set(src.view(), 0);
  out.set(dst.view(), src.length);
  return out;
}

export function candidatePairs(s: Snapshot, opts: CandidateOptions = {}, linkSpace?: LinkSpace, extra: ExtraCandidates = {}): CandidateSet {
  const n = s.ids.length;
  const perSource = opts.perSource ?? 16;
  const twoHop = opts.twoHop ?? 2;
  const coHolding = opts.coHolding ?? 2;
  const coHoldersPerTarget = opts.coHoldersPerTarget ?? 16;
  // Heaviest neighbours tried per intermediate node in 2-hop and co-holding walks.
  const tries = Math.max(twoHop, coHolding, 16);
  const kNeighbours = opts.embeddingNeighbours ?? 2;
  const perNeighbour = opts.targetsPerNeighbour ?? 2;
  const out = adjacency(n, s.edgeSource, s.edgeTarget, s.edgeWeight);
  const inn = adjacency(n, s.edgeTarget, s.edgeSource, s.edgeWeight);
  const outDeg = (u: number) => out.offsets[u + 1] - out.offsets[u];
  const inDeg = (u: number) => inn.offsets[u + 1] - inn.offsets[u];
  const c = new PairCollector(n, 2 * s.edgeSource.length + n * (2 * (opts.hubRows ?? 4) + perSource));
  const counts = { existing: 0, reciprocal: 0, hubRows: 0, popular: 0, extra: 0, twoHop: 0, coHolding: 0, embedding: 0, recent: 0 };
  // recent pairs grouped by source, keeping their order (most recent first)
  const R = extra.recent ? extra.recent.length / 2 : 0;
  const recentStart = new Int32Array(n + 1);
  const recentDst = new Int32Array(R);
  if (R > 0) {
    for (let i = 0; i < R; i++) recentStart[extra.recent![i] + 1]++;
    for (let u = 0; u < n; u++) recentStart[u + 1] += recentStart[u];
    const fill = recentStart.slice(0, n);
    for (let i = 0; i < R; i++) recentDst[fill[extra.recent![i]]++] = extra.recent![R + i];
  }
  const full = new Uint8Array(n); // 1 = gets all generators
  for (let u = 0; u < n; u++) if (outDeg(u) > 0) full[u] = 1;
  if (extra.sources) for (let i = 0; i < extra.sources.length; i++) full[extra.sources[i]] = 1;

  for (let u = 0; u < n; u++) for (let j = out.offsets[u]; j < out.offsets[u + 1]; j++) c.add(u, out.nbr[j]);
  counts.existing = c.size;
  c.from = 1;
  if (opts.reciprocal ?? true) for (let u = 0; u < n; u++) for (let j = out.offsets[u]; j < out.offsets[u + 1]; j++) if (out.nbr[j] !== u) c.add(out.nbr[j], u);
  counts.reciprocal = c.size - counts.existing;

  const byOutDegree = Array.from({ length: n }, (_, i) => i)
    .filter((u) => outDeg(u) > 0)
    .sort((a, b) => outDeg(b) - outDeg(a) || a - b);
  const byInDegree = Array.from({ length: n }, (_, i) => i)
    .filter((u) => inDeg(u) > 0)
    .sort((a, b) => inDeg(b) - inDeg(a) || a - b);
  const hubs = opts.hubRows ?? 4;
  c.from = 2;
  const modelHubs = Array.from(extra.sources ?? []).slice(0, opts.modelHubRows ?? 4);
  for (const p of new Set([...byOutDegree.slice(0, hubs), ...byInDegree.slice(0, hubs), ...modelHubs])) for (let q = 0; q < n; q++) if (q !== p) c.add(p, q);
  counts.hubRows = c.size - counts.existing - counts.reciprocal;
  const popular = byInDegree.slice(0, opts.popularTargets ?? 8);
  const popularAll = byInDegree.slice(0, opts.popularForAll ?? 4);

  let neighbours: Int32Array | undefined;
  const poolRow = new Int32Array(n).fill(-1);
  if (linkSpace && kNeighbours > 0) {
    const pool = byOutDegree.slice(0, opts.maxNeighbourSources ?? 256);
    pool.forEach((u, i) => (poolRow[u] = i));
    if (pool.length > 1) neighbours = nearestNeighbours(linkSpace, pool, kNeighbours, opts.projectionDim ?? 16);
  }

  for (let p = 0; p < n; p++) {
    const budget = full[p] ? perSource : popularAll.length;
    let added = 0;
    const offer = (q: number, g: number): boolean => {
      if (added >= budget) return false;
      c.from = g;
      if (q !== p && c.add(p, q)) added++;
      return added < budget;
    };
    if (!full[p]) {
      for (const q of popularAll) if (!offer(q, G_POPULAR)) break;
      for (let j = recentStart[p]; j < recentStart[p + 1] && added < budget; j++) offer(recentDst[j], G_RECENT);
      continue;
    }
    for (const q of popular) if (!offer(q, G_POPULAR)) break;
    if (extra.targets) for (let i = 0; i < extra.targets.length && added < budget; i++) offer(extra.targets[i], G_EXTRA);
    for (let j = recentStart[p]; j < recentStart[p + 1] && added < budget; j++) offer(recentDst[j], G_RECENT);
    let local = 0;
    for (let j = out.offsets[p]; j < out.offsets[p + 1] && local < twoHop && added < budget; j++) {
      const q = out.nbr[j];
      const endQ = Math.min(out.offsets[q + 1], out.offsets[q] + tries);
      for (let k = out.offsets[q]; k < endQ && local < twoHop && added < budget; k++) {
        const before = added;
        offer(out.nbr[k], G_TWOHOP);
        local += added - before;
      }
    }
    local = 0;
    for (let j = out.offsets[p]; j < out.offsets[p + 1] && local < coHolding && added < budget; j++) {
      const q = out.nbr[j];
      const end = Math.min(inn.offsets[q + 1], inn.offsets[q] + coHoldersPerTarget);
      for (let k = inn.offsets[q]; k < end && local < coHolding && added < budget; k++) {
        const s2 = inn.nbr[k];
        if (s2 === p) continue;
        const endS = Math.min(out.offsets[s2 + 1], out.offsets[s2] + tries);
        for (let m = out.offsets[s2]; m < endS && local < coHolding && added < budget; m++) {
          const before = added;
          offer(out.nbr[m], G_COHOLDING);
          local += added - before;
        }
      }
    }
    if (neighbours && poolRow[p] >= 0) {
      const row = poolRow[p] * kNeighbours;
      for (let t = 0; t < kNeighbours && added < budget; t++) {
        const nb = neighbours[row + t];
        if (nb < 0) break;
        const end = Math.min(out.offsets[nb + 1], out.offsets[nb] + perNeighbour);
        for (let j = out.offsets[nb]; j < end && added < budget; j++) offer(out.nbr[j], G_EMBEDDING);
      }
    }
  }

  const P = c.size;
  const origin = Uint8Array.from(c.origin.view());
  for (let i = counts.existing + counts.reciprocal + counts.hubRows; i < P; i++) counts[GENERATORS[origin[i]]]++;
  const pairs = new Int32Array(2 * P);
  pairs.set(c.src.view(), 0);
  pairs.set(c.dst.view(), P);
  return { pairs, counts, origin };
}

/**
 * k nearest rows of `pool` (cosine similarity) for each row of `pool`, on a seeded
 * Gaussian random projection of the link-space vectors to `dim` dimensions.
 * Returns pool-row-major node indices (-1 pads when the pool is smaller than k+1).
 */
export function nearestNeighbours(space: LinkSpace, pool: readonly number[], k: number, dim: number): Int32Array {
  const { values, width } = space;
  const m = pool.length;
  const rng = rngFromSeed(20260203);
  const proj = new Float32Array(width * dim);
  for (let i = 0; i < proj.length; i++) proj[i] = normal(rng);
  const z = new Float32Array(m * dim);
  for (let i = 0; i < m; i++) {
    const row = pool[i] * width;
    let norm = 0;
    for (let j = 0; j < dim; j++) {
      let acc = 0;
      for (let t = 0; t < width; t++) acc += values[row + t] * proj[t * dim + j];
      z[i * dim + j] = acc;
      norm += acc * acc;
    }
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let j = 0; j < dim; j++) z[i * dim + j] *= inv;
  }
  const result = new Int32Array(m * k).fill(-1);
  const bestSim = new Float64Array(k);
  const bestIdx = new Int32Array(k);
  for (let i = 0; i < m; i++) {
    bestSim.fill(-Infinity);
    bestIdx.fill(-1);
    const zi = i * dim;
    for (let j = 0; j < m; j++) {
      if (j === i) continue;
      let dot = 0;
      const zj = j * dim;
      for (let t = 0; t < dim; t++) dot += z[zi + t] * z[zj + t];
      if (dot <= bestSim[k - 1]) continue;
      let pos = k - 1;
      while (pos > 0 && bestSim[pos - 1] < dot) {
        bestSim[pos] = bestSim[pos - 1];
        bestIdx[pos] = bestIdx[pos - 1];
        pos--;
      }
      bestSim[pos] = dot;
      bestIdx[pos] = j;
    }
    for (let t = 0; t < k; t++) result[i * k + t] = bestIdx[t] < 0 ? -1 : pool[bestIdx[t]];
  }
  return result;
}
