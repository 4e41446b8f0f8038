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
import { groupBySource, type SourceGroups } from '../group-by';
import { TargetStamps } from './source-rows';

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
  /** Per row entry, the distinct edge it stands for (an index into the DistinctEdges). */
  edge: Int32Array;
}

/** The anchor's distinct directed edges (a repeated pair keeps its largest weight), in order of first occurrence. */
interface DistinctEdges {
  from: Int32Array;
  to: Int32Array;
  weight: Float64Array;
}

function distinctEdges(n: number, from: Int32Array, to: Int32Array, w: Float64Array): DistinctEdges {
  const E = from.length;
  const { offsets, order } = groupBySource(n, from);
  const first = new Int32Array(E).fill(-1);
  const at = new Int32Array(n);
  const marks = new TargetStamps(n);
  const best = new Float64Array(E);
  for (let u = 0; u < n; u++) {
    marks.begin(u);
    for (let i = offsets[u]; i < offsets[u + 1]; i++) {
      const k = order[i];
      const v = to[k];
      if (marks.add(v)) {
        at[v] = k;
        first[k] = k;
        best[k] = w[k];
      } else if (w[k] > best[at[v]]) best[at[v]] = w[k];
    }
  }
  let m = 0;
  for (let k = 0; k < E; k++) if (first[k] === k) m++;
  const out: DistinctEdges = { from: new Int32Array(m), to: new Int32Array(m), weight: new Float64Array(m) };
  let j = 0;
  for (let k = 0; k < E; k++) {
    if (first[k] !== k) continue;
    out.from[j] = from[k];
    out.to[j] = to[k];
    out.weight[j] = best[k];
    j++;
  }
  return out;
}

/** CSR rows of the distinct edges by `row` (their sources, or their targets), neighbours by descending weight, ties by ascending neighbour. */
function adjacency(n: number, d: DistinctEdges, row: Int32Array, col: Int32Array): Adjacency {
  const m = row.length;
  const deg = new Int32Array(n + 1);
  for (let i = 0; i < m; i++) deg[row[i] + 1]++;
  for (let i = 0; i < n; i++) deg[i + 1] += deg[i];
  const fill = deg.slice(0, n);
  const nbr = new Int32Array(m);
  const weight = new Float64Array(m);
  const edge = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    const j = fill[row[i]]++;
    nbr[j] = col[i];
    weight[j] = d.weight[i];
    edge[j] = i;
  }
  const before = (x: number, y: number): boolean => weight[x] > weight[y] || (weight[x] === weight[y] && nbr[x] < nbr[y]);
  for (let u = 0; u < n; u++) {
    const a = deg[u];
    const b = deg[u + 1];
    if (b - a < 2) continue;
    if (b - a <= 16) {
      for (let i = a + 1; i < b; i++) {
        const nb = nbr[i];
        const wt = weight[i];
        const ed = edge[i];
        let j = i - 1;
        while (j >= a && (wt > weight[j] || (wt === weight[j] && nb < nbr[j]))) {
          nbr[j + 1] = nbr[j];
          weight[j + 1] = weight[j];
          edge[j + 1] = edge[j];
          j--;
        }
        nbr[j + 1] = nb;
        weight[j + 1] = wt;
        edge[j + 1] = ed;
      }
      continue;
    }
    const idx = Array.from({ length: b - a }, (_, i) => a + i).sort((x, y) => (before(x, y) ? -1 : before(y, x) ? 1 : 0));
    const nb = idx.map((i) => nbr[i]);
    const wt = idx.map((i) => weight[i]);
    const ed = idx.map((i) => edge[i]);
    nbr.set(nb, a);
    weight.set(wt, a);
    edge.set(ed, a);
  }
  return { offsets: deg, nbr, weight, edge };
}

/** Nodes with degree > 0, by descending degree, ties by ascending index (a counting sort). */
function byDegree(offsets: Int32Array): Int32Array {
  const n = offsets.length - 1;
  let top = 0;
  for (let u = 0; u < n; u++) top = Math.max(top, offsets[u + 1] - offsets[u]);
  const start = new Int32Array(top + 2); // start[top - d] .. : nodes of degree d
  for (let u = 0; u < n; u++) {
    const d = offsets[u + 1] - offsets[u];
    if (d > 0) start[top - d + 1]++;
  }
  for (let i = 0; i <= top; i++) start[i + 1] += start[i];
  const out = new Int32Array(start[top + 1]);
  for (let u = 0; u < n; u++) {
    const d = offsets[u + 1] - offsets[u];
    if (d > 0) out[start[top - d]++] = u;
  }
  return out;
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
  // every offer (both orientations of every earlier edge), in the order listed above
  const weeks = [...earlier].filter((x) => x.week < anchor.week).sort((a, b) => (a.week < b.week ? 1 : -1));
  let total = 0;
  for (const s of weeks) total += 2 * s.edgeSource.length;
  const offSrc = new Int32Array(total);
  const offDst = new Int32Array(total);
  let o = 0;
  for (const s of weeks) {
    const local = Int32Array.from(s.ids, (id) => at.get(id) ?? -1);
    for (let k = 0; k < s.edgeSource.length; k++) {
      const u = local[s.edgeSource[k]];
      const v = local[s.edgeTarget[k]];
      if (u < 0 || v < 0 || u === v) continue;
      offSrc[o] = u;
      offDst[o++] = v;
      offSrc[o] = v;
      offDst[o++] = u;
    }
  }
  // per source: an offer is kept when it is no edge at t and its target was not offered before
  const offers = groupBySource(n, offSrc, o);
  const edges = groupBySource(n, anchor.edgeSource);
  const atT = new TargetStamps(n);
  const seen = new TargetStamps(n);
  const keep = new Uint8Array(o);
  let kept = 0;
  for (let u = 0; u < n; u++) {
    if (offers.offsets[u] === offers.offsets[u + 1]) continue;
    atT.begin(u);
    seen.begin(u);
    for (let i = edges.offsets[u]; i < edges.offsets[u + 1]; i++) atT.add(anchor.edgeTarget[edges.order[i]]);
    for (let i = offers.offsets[u]; i < offers.offsets[u + 1]; i++) {
      const j = offers.order[i];
      const v = offDst[j];
      if (!atT.has(v) && seen.add(v)) {
        keep[j] = 1;
        kept++;
      }
    }
  }
  const out = new Int32Array(2 * kept);
  let r = 0;
  for (let j = 0; j < o; j++) {
    if (!keep[j]) continue;
    out[r] = offSrc[j];
    out[kept + r] = offDst[j];
    r++;
  }
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
  const edges = distinctEdges(n, s.edgeSource, s.edgeTarget, s.edgeWeight);
  const m = edges.from.length;
  const out = adjacency(n, edges, edges.from, edges.to);
  const inn = adjacency(n, edges, edges.to, edges.from);
  const outOffsets = out.offsets;
  // the position of each distinct edge in the out rows
  const outPos = new Int32Array(m);
  for (let j = 0; j < m; j++) outPos[out.edge[j]] = j;
  const byOutDegree = byDegree(out.offsets);
  const byInDegree = byDegree(inn.offsets);

  // recent pairs grouped by source, keeping their order (most recent first)
  const R = extra.recent ? extra.recent.length / 2 : 0;
  const recent = groupBySource(n, extra.recent ?? new Int32Array(0), R);
  const full = new Uint8Array(n); // 1 = gets all generators
  for (let u = 0; u < n; u++) if (outOffsets[u + 1] > outOffsets[u]) full[u] = 1;
  if (extra.sources) for (let i = 0; i < extra.sources.length; i++) full[extra.sources[i]] = 1;

  const hubs = opts.hubRows ?? 4;
  const modelHubs = Array.from(extra.sources ?? []).slice(0, opts.modelHubRows ?? 4);
  const hubList = [...new Set([...byOutDegree.subarray(0, hubs), ...byInDegree.subarray(0, hubs), ...modelHubs])];
  const hubOf = new Int32Array(n).fill(-1);
  hubList.forEach((p, i) => (hubOf[p] = i));
  const popular = byInDegree.subarray(0, opts.popularTargets ?? 8);
  const popularAll = byInDegree.subarray(0, opts.popularForAll ?? 4);

  let neighbours: Int32Array | undefined;
  const poolRow = new Int32Array(n).fill(-1);
  if (linkSpace && kNeighbours > 0) {
    const pool = Array.from(byOutDegree.subarray(0, opts.maxNeighbourSources ?? 256));
    pool.forEach((u, i) => (poolRow[u] = i));
    if (pool.length > 1) neighbours = nearestNeighbours(linkSpace, pool, kNeighbours, opts.projectionDim ?? 16);
  }

  // Each pair (p, q) is kept the first time any generator offers it, generators in
  // the order existing, reciprocal, hub rows, then the per-source ones: the same
  // pair always has the same source, so this is decided one source at a time (a
  // stamp array over targets). The output keeps the generators' order: existing
  // pairs in out-row order, reciprocal pairs in the order of the edges they reverse,
  // hub rows, then the per-source pairs by source.
  const c = new SourceCandidates(n, m, hubList.length, n * Math.max(perSource, popularAll.length));
  const g: Generators = {
    out,
    inn,
    outPos,
    reciprocal: opts.reciprocal ?? true,
    hubOf,
    full,
    perSource,
    popular,
    popularAll,
    targets: extra.targets,
    recent,
    recentTargets: extra.recent?.subarray(R),
    twoHop,
    coHolding,
    coHoldersPerTarget,
    tries,
    neighbours,
    poolRow,
    kNeighbours,
    perNeighbour,
  };
  for (let p = 0; p < n; p++) c.source(p, g);
  return c.result(out, hubList);
}

/** What the per-source generators read (candidatePairs). */
interface Generators {
  out: Adjacency;
  inn: Adjacency;
  /** The position of each distinct edge in the out rows. */
  outPos: Int32Array;
  reciprocal: boolean;
  hubOf: Int32Array;
  full: Uint8Array;
  perSource: number;
  popular: Int32Array;
  popularAll: Int32Array;
  targets: ArrayLike<number> | undefined;
  recent: SourceGroups;
  recentTargets: Int32Array | undefined;
  twoHop: number;
  coHolding: number;
  coHoldersPerTarget: number;
  tries: number;
  neighbours: Int32Array | undefined;
  poolRow: Int32Array;
  kNeighbours: number;
  perNeighbour: number;
}

/**
 * The candidates decided one source at a time. Each generator is a method of its own
 * (V8 optimises each on its own feedback; one long loop was compiled and deoptimised
 * again and again in the first forecasts of a process).
 */
class SourceCandidates {
  private readonly taken: TargetStamps;
  readonly recKeep: Uint8Array;
  readonly hubKeep: Uint8Array;
  recCount = 0;
  hubCount = 0;
  readonly tailSrc: Int32Array;
  readonly tailDst: Int32Array;
  readonly tailOrigin: Uint8Array;
  T = 0;
  private p = 0;
  private budget = 0;
  private added = 0;

  constructor(
    private readonly n: number,
    edges: number,
    hubs: number,
    cap: number,
  ) {
    this.taken = new TargetStamps(n);
    this.recKeep = new Uint8Array(edges);
    this.hubKeep = new Uint8Array(hubs * n);
    this.tailSrc = new Int32Array(cap);
    this.tailDst = new Int32Array(cap);
    this.tailOrigin = new Uint8Array(cap);
  }

  /** Offers p -> q from generator g; false once p's budget is spent. */
  private offer(q: number, g: number): boolean {
    if (this.added >= this.budget) return false;
    if (q !== this.p && this.taken.add(q)) {
      const T = this.T++;
      this.tailSrc[T] = this.p;
      this.tailDst[T] = q;
      this.tailOrigin[T] = g;
      this.added++;
    }
    return this.added < this.budget;
  }

  source(p: number, g: Generators): void {
    this.p = p;
    this.taken.begin(p);
    this.anchorRow(p, g.out);
    if (g.reciprocal) this.reciprocalRow(p, g.inn, g.outPos);
    if (g.hubOf[p] >= 0) this.hubRow(p, g.hubOf[p]);
    this.added = 0;
    if (!g.full[p]) {
      this.budget = g.popularAll.length;
      this.offerAll(g.popularAll, G_POPULAR);
      this.recentRow(p, g);
      return;
    }
    this.budget = g.perSource;
    this.offerAll(g.popular, G_POPULAR);
    if (g.targets) this.offerWhile(g.targets, G_EXTRA);
    this.recentRow(p, g);
    this.twoHopRow(p, g.out, g.twoHop, g.tries);
    this.coHoldingRow(p, g);
    if (g.neighbours && g.poolRow[p] >= 0) this.neighbourRow(g.out.offsets, g.out.nbr, g.neighbours, g.poolRow[p] * g.kNeighbours, g.kNeighbours, g.perNeighbour);
  }

  private anchorRow(p: number, out: Adjacency): void {
    for (let j = out.offsets[p]; j < out.offsets[p + 1]; j++) this.taken.add(out.nbr[j]);
  }

  private reciprocalRow(p: number, inn: Adjacency, outPos: Int32Array): void {
    for (let j = inn.offsets[p]; j < inn.offsets[p + 1]; j++) {
      const u = inn.nbr[j];
      if (u !== p && this.taken.add(u)) {
        this.recKeep[outPos[inn.edge[j]]] = 1;
        this.recCount++;
      }
    }
  }

  private hubRow(p: number, hub: number): void {
    const row = hub * this.n;
    for (let q = 0; q < this.n; q++) {
      if (q !== p && this.taken.add(q)) {
        this.hubKeep[row + q] = 1;
        this.hubCount++;
      }
    }
  }

  /** Offers in order until one returns false. */
  private offerAll(targets: Int32Array, g: number): void {
    for (let i = 0; i < targets.length; i++) if (!this.offer(targets[i], g)) break;
  }

  /** Offers in order while the budget lasts. */
  private offerWhile(targets: ArrayLike<number>, g: number): void {
    for (let i = 0; i < targets.length && this.added < this.budget; i++) this.offer(targets[i], g);
  }

  private recentRow(p: number, g: Generators): void {
    const { offsets, order } = g.recent;
    for (let j = offsets[p]; j < offsets[p + 1] && this.added < this.budget; j++) this.offer(g.recentTargets![order[j]], G_RECENT);
  }

  private twoHopRow(p: number, out: Adjacency, twoHop: number, tries: number): void {
    const { offsets, nbr } = out;
    let local = 0;
    for (let j = offsets[p]; j < offsets[p + 1] && local < twoHop && this.added < this.budget; j++) {
      const q = nbr[j];
      const endQ = Math.min(offsets[q + 1], offsets[q] + tries);
      for (let k = offsets[q]; k < endQ && local < twoHop && this.added < this.budget; k++) {
        const before = this.added;
        this.offer(nbr[k], G_TWOHOP);
        local += this.added - before;
      }
    }
  }

  private coHoldingRow(p: number, g: Generators): void {
    const { offsets, nbr } = g.out;
    const inn = g.inn;
    let local = 0;
    for (let j = offsets[p]; j < offsets[p + 1] && local < g.coHolding && this.added < this.budget; j++) {
      const q = nbr[j];
      const end = Math.min(inn.offsets[q + 1], inn.offsets[q] + g.coHoldersPerTarget);
      for (let k = inn.offsets[q]; k < end && local < g.coHolding && this.added < this.budget; k++) {
        const s2 = inn.nbr[k];
        if (s2 === p) continue;
        const endS = Math.min(offsets[s2 + 1], offsets[s2] + g.tries);
        for (let i = offsets[s2]; i < endS && local < g.coHolding && this.added < this.budget; i++) {
          const before = this.added;
          this.offer(nbr[i], G_COHOLDING);
          local += this.added - before;
        }
      }
    }
  }

  private neighbourRow(offsets: Int32Array, nbr: Int32Array, neighbours: Int32Array, row: number, k: number, perNeighbour: number): void {
    for (let t = 0; t < k && this.added < this.budget; t++) {
      const nb = neighbours[row + t];
      if (nb < 0) break;
      const end = Math.min(offsets[nb + 1], offsets[nb] + perNeighbour);
      for (let j = offsets[nb]; j < end && this.added < this.budget; j++) this.offer(nbr[j], G_EMBEDDING);
    }
  }

  /** The candidate set in the generators' order. */
  result(out: Adjacency, hubList: number[]): CandidateSet {
    const n = this.n;
    const { recKeep, hubKeep, T } = this;
    const outOffsets = out.offsets;
    const outNbr = out.nbr;
    const m = outNbr.length;
    const P = m + this.recCount + this.hubCount + T;
    const pairs = new Int32Array(2 * P);
    const origin = new Uint8Array(P);
    let i = 0;
    for (let u = 0; u < n; u++) {
      for (let j = outOffsets[u]; j < outOffsets[u + 1]; j++) {
        pairs[i] = u;
        pairs[P + i++] = outNbr[j];
      }
    }
    for (let u = 0; u < n; u++) {
      for (let j = outOffsets[u]; j < outOffsets[u + 1]; j++) {
        if (!recKeep[j]) continue;
        pairs[i] = outNbr[j];
        pairs[P + i] = u;
        origin[i++] = 1;
      }
    }
    for (let h = 0; h < hubList.length; h++) {
      for (let q = 0; q < n; q++) {
        if (!hubKeep[h * n + q]) continue;
        pairs[i] = hubList[h];
        pairs[P + i] = q;
        origin[i++] = 2;
      }
    }
    pairs.set(this.tailSrc.subarray(0, T), i);
    pairs.set(this.tailDst.subarray(0, T), P + i);
    origin.set(this.tailOrigin.subarray(0, T), i);
    const counts = { existing: m, reciprocal: this.recCount, hubRows: this.hubCount, popular: 0, extra: 0, twoHop: 0, coHolding: 0, embedding: 0, recent: 0 };
    for (let t = 0; t < T; t++) counts[GENERATORS[this.tailOrigin[t]]]++;
    return { pairs, counts, origin };
  }
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
  // acc[j] sums values[t] * proj[t, j] over t in order: rows of proj read contiguously
  const acc = new Float64Array(dim);
  for (let i = 0; i < m; i++) {
    const row = pool[i] * width;
    acc.fill(0);
    for (let t = 0; t < width; t++) {
      const v = values[row + t];
      const pt = t * dim;
      for (let j = 0; j < dim; j++) acc[j] += v * proj[pt + j];
    }
    let norm = 0;
    for (let j = 0; j < dim; j++) {
      z[i * dim + j] = acc[j];
      norm += acc[j] * acc[j];
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
