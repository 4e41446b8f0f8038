/**
 * Baseline forecasters scored on the same sampled pairs as the model
 * (data-spec §4.6), all computed from information at the anchor week t only:
 *
 * - persistence: edge exists at t+h iff it exists at t (binary score), weight =
 *   ln(1 + w_t), node log-TVL change 0 — the authors' `evaluate_persistence_baseline`.
 * - edgebank: EdgeBank-infinity (Poursafaei et al., 2022): an edge is predicted iff
 *   it was seen in any week up to t; weight = its most recent log-weight.
 * - heuristic: persistence plus a link-prediction prior for new edges: the
 *   Adamic-Adar index of (u, v) on the undirected exposure graph at t, squashed
 *   into [0, 0.5) so that an edge that exists always outranks one that does not;
 *   a new edge's weight is predicted as the mean log-weight of v's incoming edges.
 *
 * Stronger baselines (the yardstick the model has to beat; docs/MODEL.md "Evaluation"):
 * - persistence-u: undirected persistence, 2 if u -> v exists at t, 1 if only v -> u
 *   does, else 0; weight = ln(1 + w_t(u, v)) (persistence of weight);
 * - edgebank-u: undirected EdgeBank, 2 if u -> v was seen at any week <= t, 1 if only
 *   v -> u was; weight = the latest log-weight of u -> v;
 * - popularity: preferential attachment, ln(1 + out-degree_t(u)) + ln(1 + in-degree_t(v));
 *   weight = mean incoming log-weight of v (persistence's weight where u -> v exists);
 * - combined: persistence-u first, then edgebank-u, then popularity plus Adamic-Adar,
 *   each term squashed below the step of the one before it.
 */
import type { Snapshot } from '../snapshot/types';
import { undirectedAdjacency } from './negatives';

export interface PairScores {
  /** Existence score per pair (higher = more likely; not necessarily a probability). */
  score: Float64Array;
  /** Predicted ln(1 + weight) per pair. */
  logWeight: Float64Array;
}

/** Pairs in anchor index space: pairs[0..P) sources, pairs[P..2P) targets. */
export type PairList = Int32Array;

function pairCount(pairs: PairList): number {
  if (pairs.length % 2 !== 0)
    throw new Error(`eval/baselines: a pair list has an even length, got ${pairs.length}`);
  return pairs.length / 2;
}

/** Directed edge -> ln(1 + w) at one week, last duplicate wins (as the authors' code). */
export function edgeLogWeights(s: Snapshot): Map<number, number> {
  const n = s.ids.length;
  const m = new Map<number, number>();
  for (let k = 0; k < s.edgeSource.length; k++)
    m.set(s.edgeSource[k] * n + s.edgeTarget[k], Math.log1p(Math.max(s.edgeWeight[k], 0)));
  return m;
}

/** Persistence: 1 if u -> v is an edge of the anchor, with its log-weight; else 0. */
export function persistenceScores(anchor: Snapshot, pairs: PairList): PairScores {
  return anchorEdgeScores(anchor, pairs, false);
}

/**
 * Scores from the anchor's edges: u -> v scores 1 (2 when `eitherWay`) with its
 * log-weight; with `eitherWay`, a pair whose only edge is v -> u scores 1.
 */
function anchorEdgeScores(anchor: Snapshot, pairs: PairList, eitherWay: boolean): PairScores {
  return scoreEachPair(anchor, pairs, (u, v, edge) => {
    const w = edge(u, v);
    if (w !== undefined) return [eitherWay ? 2 : 1, w];
    return [eitherWay && edge(v, u) !== undefined ? 1 : 0, 0];
  });
}

/**
 * Scores every pair u -> v of the list (the i-th): `f(u, v, edge, i)` gives its score and log-weight,
 * with `edge(a, b)` the anchor's log-weight of a -> b (undefined when not an edge).
 */
function scoreEachPair(anchor: Snapshot, pairs: PairList, f: (u: number, v: number, edge: (a: number, b: number) => number | undefined, i: number) => readonly [score: number, logWeight: number]): PairScores {
  const P = pairCount(pairs);
  const n = anchor.ids.length;
  const lw = edgeLogWeights(anchor);
  const edge = (a: number, b: number) => lw.get(a * n + b);
  const score = new Float64Array(P);
  const logWeight = new Float64Array(P);
  for (let i = 0; i < P; i++) [score[i], logWeight[i]] = f(pairs[i], pairs[P + i], edge, i);
  return { score, logWeight };
}

/** EdgeBank memory: every directed edge (by protocol ids) seen so far, with its latest log-weight. */
export class EdgeBank {
  // ids interned to integers: a full-scale history has millions of distinct edges
  private readonly ids = new Map<string, number>();
  private readonly seen = new Map<number, number>();
  private lastWeek = '';

  private gid(id: string): number {
    let g = this.ids.get(id);
    if (g === undefined) this.ids.set(id, (g = this.ids.size));
    return g;
  }

  /** Remember a week's edges; weeks must be added in chronological order. */
  add(s: Snapshot): void {
    if (s.week <= this.lastWeek)
      throw new Error(`eval/baselines: EdgeBank weeks must increase, got ${s.week} after ${this.lastWeek}`);
    this.lastWeek = s.week;
    const g = s.ids.map((id) => this.gid(id));
    for (let k = 0; k < s.edgeSource.length; k++)
      this.seen.set(
        g[s.edgeSource[k]] * 2 ** 22 + g[s.edgeTarget[k]],
        Math.log1p(Math.max(s.edgeWeight[k], 0)),
      );
  }

  get size(): number {
    return this.seen.size;
  }

  /** Scores for pairs in `anchor`'s index space; call after adding the anchor week itself. */
  scores(anchor: Snapshot, pairs: PairList): PairScores {
    if (anchor.week !== this.lastWeek)
      throw new Error(
        `eval/baselines: EdgeBank holds weeks up to ${this.lastWeek || '(none)'}, asked to score anchor week ${anchor.week}`,
      );
    const P = pairCount(pairs);
    const score = new Float64Array(P);
    const logWeight = new Float64Array(P);
    const g = anchor.ids.map((id) => this.ids.get(id) ?? -1);
    for (let i = 0; i < P; i++) {
      const a = g[pairs[i]];
      const b = g[pairs[P + i]];
      const w = a < 0 || b < 0 ? undefined : this.seen.get(a * 2 ** 22 + b);
      if (w !== undefined) {
        score[i] = 1;
        logWeight[i] = w;
      }
    }
    return { score, logWeight };
  }
}

/** Undirected neighbour lists (self-loops ignored, sorted) as CSR. */
function undirectedNeighbours(s: Snapshot): { offsets: Uint32Array; nbrs: Int32Array } {
  const lists = undirectedAdjacency(s);
  const n = lists.length;
  const offsets = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i] + lists[i].length;
  const nbrs = new Int32Array(offsets[n]);
  for (let i = 0; i < n; i++) nbrs.set(lists[i], offsets[i]);
  return { offsets, nbrs };
}

/**
 * Adamic-Adar index: sum over common neighbours z of 1 / ln(deg z) (undirected). A
 * neighbour of degree 1 can only be "common" to a self-pair (u, u), the release's
 * self-loops: 1 / ln 1 is undefined there, so such neighbours add nothing.
 */
export function adamicAdar(s: Snapshot, pairs: PairList): Float64Array {
  const P = pairCount(pairs);
  const { offsets, nbrs } = undirectedNeighbours(s);
  const out = new Float64Array(P);
  for (let i = 0; i < P; i++) {
    const u = pairs[i];
    const v = pairs[P + i];
    let a = offsets[u];
    let b = offsets[v];
    let sum = 0;
    // merge of two sorted neighbour lists
    while (a < offsets[u + 1] && b < offsets[v + 1]) {
      const x = nbrs[a];
      const y = nbrs[b];
      if (x === y) {
        const deg = offsets[x + 1] - offsets[x];
        if (deg > 1) sum += 1 / Math.log(deg);
        a++;
        b++;
      } else if (x < y) a++;
      else b++;
    }
    out[i] = sum;
  }
  return out;
}

export function heuristicScores(anchor: Snapshot, pairs: PairList): PairScores {
  const aa = adamicAdar(anchor, pairs);
  // new edges get the mean incoming log-weight of their target (overall when it has none)
  const meanIn = meanIncomingLogWeight(anchor);
  return scoreEachPair(anchor, pairs, (u, v, edge, i) => {
    const w = edge(u, v);
    const a = aa[i];
    return [(w !== undefined ? 1 : 0) + (0.5 * a) / (1 + a), w ?? meanIn[v]];
  });
}

/** Undirected persistence: 2 if u -> v is an edge of the anchor, 1 if only v -> u is, else 0. */
export function undirectedPersistenceScores(anchor: Snapshot, pairs: PairList): PairScores {
  return anchorEdgeScores(anchor, pairs, true);
}

/** EdgeBank over both directions: 2 if u -> v was seen at any week so far, 1 if only v -> u was. */
export class UndirectedEdgeBank {
  private readonly bank = new EdgeBank();
  add(s: Snapshot): void {
    this.bank.add(s);
  }
  scores(anchor: Snapshot, pairs: PairList): PairScores {
    const P = pairCount(pairs);
    const fwd = this.bank.scores(anchor, pairs);
    const rev = new Int32Array(pairs.length);
    rev.set(pairs.subarray(P), 0);
    rev.set(pairs.subarray(0, P), P);
    const back = this.bank.scores(anchor, rev);
    const score = new Float64Array(P);
    for (let i = 0; i < P; i++) score[i] = fwd.score[i] ? 2 : back.score[i] ? 1 : 0;
    return { score, logWeight: fwd.logWeight };
  }
}

/** Out- and in-degree at one week, counting distinct neighbours (self-loops excluded). */
export function degrees(s: Snapshot): { out: Uint32Array; in: Uint32Array } {
  const n = s.ids.length;
  const seen = new Set<number>();
  const out = new Uint32Array(n);
  const inn = new Uint32Array(n);
  for (let k = 0; k < s.edgeSource.length; k++) {
    const u = s.edgeSource[k];
    const v = s.edgeTarget[k];
    if (u === v || seen.has(u * n + v)) continue;
    seen.add(u * n + v);
    out[u]++;
    inn[v]++;
  }
  return { out, in: inn };
}

/** Mean incoming ln(1+w) per node at one week (the global mean for nodes without incoming edges). */
function meanIncomingLogWeight(s: Snapshot): Float64Array {
  const n = s.ids.length;
  const lw = edgeLogWeights(s);
  const sum = new Float64Array(n);
  const count = new Uint32Array(n);
  let total = 0;
  for (const [key, w] of lw) {
    sum[key % n] += w;
    count[key % n]++;
    total += w;
  }
  const global = lw.size ? total / lw.size : 0;
  return Float64Array.from(sum, (x, i) => (count[i] ? x / count[i] : global));
}

/** Preferential attachment: ln(1 + out-degree(u)) + ln(1 + in-degree(v)) at the anchor week. */
export function popularityScores(anchor: Snapshot, pairs: PairList): PairScores {
  const d = degrees(anchor);
  const meanIn = meanIncomingLogWeight(anchor);
  return scoreEachPair(anchor, pairs, (u, v, edge) => [Math.log1p(d.out[u]) + Math.log1p(d.in[v]), edge(u, v) ?? meanIn[v]]);
}

/**
 * Undirected persistence, then undirected EdgeBank, then popularity + Adamic-Adar:
 * score = 4 persistence-u + edgebank-u + x / (1 + x), x = popularity + Adamic-Adar,
 * so each term only breaks the ties of the ones before it (edgebank-u <= 2 and
 * edgebank-u >= persistence-u).
 */
export function combinedScores(anchor: Snapshot, bank: UndirectedEdgeBank, pairs: PairList): PairScores {
  const P = pairCount(pairs);
  const pers = undirectedPersistenceScores(anchor, pairs);
  const eb = bank.scores(anchor, pairs);
  const pop = popularityScores(anchor, pairs);
  const aa = adamicAdar(anchor, pairs);
  const score = new Float64Array(P);
  for (let i = 0; i < P; i++) {
    const x = pop.score[i] + aa[i];
    score[i] = 4 * pers.score[i] + eb.score[i] + x / (1 + x);
  }
  return { score, logWeight: pop.logWeight };
}
