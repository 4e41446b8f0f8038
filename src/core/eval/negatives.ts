/**
 * The pairs one evaluation week pair (anchor t, target t+h) is scored on.
 *
 * Positives: the directed edges of t+h between protocols present at t (as the
 * training-set export). Negatives, each a directed pair (u, v), u != v, that is not
 * an edge of t+h, in three kinds reported separately and together:
 *  - random: uniform ordered pairs, `negRatio` per positive — the paper's protocol
 *    (the training-set export's sampler, so the paper-protocol columns are unchanged);
 *  - historical: pairs connected, in either direction, at some week <= t; half of
 *    them drawn from the pairs connected at t itself (a vanishing edge of G_t, or the
 *    reverse of an edge of G_t: the hardest negatives), half from every pair seen up
 *    to t;
 *  - structural: pairs two hops apart at t on the undirected graph (a common
 *    neighbour, no edge either way at t) that were never connected up to t, so that
 *    the kinds do not overlap.
 * The MRR queries (TGB style) rank a positive (u, v) against a fixed set of
 * negatives for the same source: up to `mrrHistorical` historical partners of u (either
 * direction, weeks <= t) and `mrrRandom` random protocols, topped up with random ones
 * when u has too little history.
 * Everything is drawn from generators keyed on (seed, anchor week, horizon): the same
 * seed gives the same pairs.
 */
import type { Snapshot } from '../snapshot/types';
import { rngFromKey, type Rng } from '../random/xoshiro';

export const NEGATIVE_KINDS = ['random', 'historical', 'structural'] as const;
export type NegativeKind = (typeof NEGATIVE_KINDS)[number];
/** Pair kind codes: 0 = positive, then NEGATIVE_KINDS in order. */
export const KIND_POSITIVE = 0;
export const kindCode = (k: NegativeKind) => 1 + NEGATIVE_KINDS.indexOf(k);
export const kindName = (code: number): NegativeKind | 'positive' =>
  code === 0 ? 'positive' : NEGATIVE_KINDS[code - 1];

const SHIFT = 2 ** 22; // protocol ids interned below 4M; a pair key a*SHIFT+b stays below 2^53

/**
 * Every protocol pair ever connected (either direction), with the week index it was
 * first seen, so that samples for an anchor t use only weeks <= t even when later
 * weeks have been added.
 */
export class PairMemory {
  private readonly idOf = new Map<string, number>();
  private readonly firstWeek = new Map<number, number>();
  /** Pair keys in the order first seen; `ends[w]` = how many were seen by week index w. */
  private keys = new Float64Array(1024);
  private count = 0;
  private readonly ends: number[] = [];
  /** Partners of each protocol (either direction), in the order first seen, with that week index. */
  private readonly partners: { id: number; week: number }[][] = [];
  private readonly weekIndex = new Map<string, number>();

  /** `keepPairs: false` records the weeks only: for evaluations without hard negatives or
   *  MRR queries, which never look pairs up (the pairs ever linked grow without bound). */
  constructor(private readonly keepPairs = true) {}

  intern(id: string): number {
    let i = this.idOf.get(id);
    if (i === undefined) {
      i = this.idOf.size;
      if (i >= SHIFT) throw new Error(`eval/negatives: more than ${SHIFT} distinct protocol ids`);
      this.idOf.set(id, i);
      this.partners.push([]);
    }
    return i;
  }

  idIndex(id: string): number | undefined {
    return this.idOf.get(id);
  }

  static key(a: number, b: number): number {
    return a < b ? a * SHIFT + b : b * SHIFT + a;
  }

  /** Add a week's edges; weeks must come in increasing order. */
  add(s: Snapshot): void {
    const last = this.ends.length ? [...this.weekIndex.keys()].at(-1)! : '';
    if (s.week <= last) throw new Error(`eval/negatives: weeks must increase, got ${s.week} after ${last}`);
    const w = this.ends.length;
    this.weekIndex.set(s.week, w);
    if (!this.keepPairs) {
      this.ends.push(this.count);
      return;
    }
    const gid = s.ids.map((id) => this.intern(id));
    for (let k = 0; k < s.edgeSource.length; k++) {
      const a = gid[s.edgeSource[k]];
      const b = gid[s.edgeTarget[k]];
      if (a === b) continue;
      const key = PairMemory.key(a, b);
      if (this.firstWeek.has(key)) continue;
      this.firstWeek.set(key, w);
      if (this.count === this.keys.length) {
        const next = new Float64Array(this.keys.length * 2);
        next.set(this.keys);
        this.keys = next;
      }
      this.keys[this.count++] = key;
      this.partners[a].push({ id: b, week: w });
      this.partners[b].push({ id: a, week: w });
    }
    this.ends.push(this.count);
  }

  /** Whether the pair was connected, either direction, at some week <= `week`. */
  seenBy(a: string, b: string, week: string): boolean {
    const w = this.weekIndex.get(week);
    const ia = this.idOf.get(a);
    const ib = this.idOf.get(b);
    if (w === undefined || ia === undefined || ib === undefined) return false;
    const f = this.firstWeek.get(PairMemory.key(ia, ib));
    return f !== undefined && f <= w;
  }

  /** Pairs first seen by `week` (inclusive), as [count, key(i)] accessors; throws if the week was not added. */
  prefix(week: string): {
    size: number;
    key: (i: number) => number;
    firstWeek: (key: number) => number | undefined;
    weekIdx: number;
  } {
    const w = this.weekIndex.get(week);
    if (w === undefined) throw new Error(`eval/negatives: week ${week} was not added to the pair memory`);
    return {
      size: this.ends[w],
      key: (i) => this.keys[i],
      firstWeek: (key) => this.firstWeek.get(key),
      weekIdx: w,
    };
  }

  /** Interned protocol id for a key half. */
  split(key: number): [number, number] {
    const a = Math.floor(key / SHIFT);
    return [a, key - a * SHIFT];
  }

  partnersOf(gid: number): readonly { id: number; week: number }[] {
    return this.partners[gid] ?? [];
  }
}

export interface SampleOptions {
  seed: number;
  /** Random negatives per positive (default 5, the paper's). */
  negRatio?: number;
  /** Historical and structural negatives per positive, each (default 2). */
  hardRatio?: number;
  /** Use at most this many positives (a seeded subset; default all): training samples. */
  maxPositives?: number;
  mrrQueries?: number;
  mrrHistorical?: number;
  mrrRandom?: number;
}

export interface WeekSample {
  anchor: Snapshot;
  horizon: number;
  /** Sampled directed pairs, anchor index space: pairs[0..P) sources, pairs[P..2P) targets; positives first. */
  pairs: Int32Array;
  /** 1 when u -> v is an edge of t+h. */
  label: Uint8Array;
  /** KIND_POSITIVE or kindCode(kind). */
  kind: Uint8Array;
  /** ln(1 + w_{t+h}(u, v)), 0 for negatives. */
  yLw: Float32Array;
  /** 1 when v -> u is an edge of t+h (for the pair-existence and direction tasks). */
  reverseLabel: Uint8Array;
  /** 1 when u -> v is an edge of t (persisting vs new edges). */
  atAnchor: Uint8Array;
  numPositives: number;
  /** Per anchor node: ln(1+TVL_{t+h}) - ln(1+TVL_t), and whether the node exists at t+h. */
  nodeTarget: Float32Array;
  nodeMask: Uint8Array;
  /** MRR queries: query j is the positive (src[o_j+j], dst[o_j+j]) followed by its negatives; offsets index negatives. */
  mrr?: { src: Int32Array; dst: Int32Array; offsets: number[] };
}

function shuffleInPlace<T>(a: T[], rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
}

/** Undirected neighbour lists at one week (self-loops dropped), sorted. */
export function undirectedAdjacency(s: Snapshot): number[][] {
  const sets = Array.from({ length: s.ids.length }, () => new Set<number>());
  for (let k = 0; k < s.edgeSource.length; k++) {
    const u = s.edgeSource[k];
    const v = s.edgeTarget[k];
    if (u === v) continue;
    sets[u].add(v);
    sets[v].add(u);
  }
  return sets.map((x) => [...x].sort((a, b) => a - b));
}

/**
 * Sample the pairs of one week pair. `memory` must hold the anchor week (and may hold
 * later ones: samples use only pairs first seen by the anchor week).
 */
export function sampleWeek(
  anchor: Snapshot,
  target: Snapshot,
  horizon: number,
  memory: PairMemory,
  opts: SampleOptions,
): WeekSample {
  const n = anchor.ids.length;
  const negRatio = opts.negRatio ?? 5;
  const hardRatio = opts.hardRatio ?? 2;
  const key = `${opts.seed}|${anchor.week}|${horizon}`;
  const at = new Map<string, number>();
  anchor.ids.forEach((id, i) => at.set(id, i));
  const dkey = (u: number, v: number) => u * n + v;

  // positives, last duplicate's weight wins (the training-set export's rule)
  const posAt = new Map<number, number>();
  let pu: number[] = [];
  let pv: number[] = [];
  let py: number[] = [];
  for (let k = 0; k < target.edgeSource.length; k++) {
    const u = at.get(target.ids[target.edgeSource[k]]);
    const v = at.get(target.ids[target.edgeTarget[k]]);
    if (u === undefined || v === undefined) continue;
    const kk = dkey(u, v);
    const lw = Math.log1p(Math.max(target.edgeWeight[k], 0));
    const i = posAt.get(kk);
    if (i === undefined) {
      posAt.set(kk, pu.length);
      pu.push(u);
      pv.push(v);
      py.push(lw);
    } else py[i] = lw;
  }
  const isPositive = (u: number, v: number) => posAt.has(dkey(u, v));
  if (opts.maxPositives !== undefined && pu.length > opts.maxPositives) {
    const order = pu.map((_, i) => i);
    shuffleInPlace(order, rngFromKey(`subset|${key}`));
    const keepIdx = order.slice(0, opts.maxPositives).sort((a, b) => a - b);
    pu = keepIdx.map((i) => pu[i]);
    pv = keepIdx.map((i) => pv[i]);
    py = keepIdx.map((i) => py[i]);
  }
  const numPositives = pu.length;

  const su: number[] = [...pu];
  const sv: number[] = [...pv];
  const kinds: number[] = pu.map(() => KIND_POSITIVE);
  const taken = new Set<number>();
  const take = (u: number, v: number, code: number): boolean => {
    if (u === v || isPositive(u, v)) return false;
    const kk = dkey(u, v);
    if (taken.has(kk)) return false;
    taken.add(kk);
    su.push(u);
    sv.push(v);
    kinds.push(code);
    return true;
  };

  // random: the training-set export's sampler and stream (trainingset/buildPair)
  if (numPositives > 0 && n > 1) {
    const want = negRatio * numPositives;
    const rng = rngFromKey(key);
    const seen = new Set<number>();
    let got = 0;
    for (let attempt = 0; attempt < 10 * want && got < want; attempt++) {
      const u = Math.floor(rng.next() * n);
      const v = Math.floor(rng.next() * n);
      if (u === v) continue;
      const kk = dkey(u, v);
      if (isPositive(u, v) || seen.has(kk)) continue;
      seen.add(kk);
      su.push(u);
      sv.push(v);
      kinds.push(kindCode('random'));
      got++;
    }
  }
  // hard negatives may coincide with a random one; they are kept apart by `taken` within the hard kinds only
  const gidOf = anchor.ids.map((id) => memory.idIndex(id) ?? -1);
  const localOf = new Map<number, number>();
  gidOf.forEach((g, i) => g >= 0 && localOf.set(g, i));
  const wantHard = hardRatio * numPositives;
  const prefix = memory.prefix(anchor.week);

  // historical: half from the pairs connected at t, half from every pair seen by t
  if (wantHard > 0) {
    const rng = rngFromKey(`historical|${key}`);
    const E = anchor.edgeSource.length;
    let got = 0;
    const fromAnchor = Math.ceil(wantHard / 2);
    for (let attempt = 0; E > 0 && attempt < 20 * fromAnchor && got < fromAnchor; attempt++) {
      const k = Math.floor(rng.next() * E);
      const flip = rng.next() < 0.5;
      const u = flip ? anchor.edgeTarget[k] : anchor.edgeSource[k];
      const v = flip ? anchor.edgeSource[k] : anchor.edgeTarget[k];
      if (take(u, v, kindCode('historical'))) got++;
    }
    for (let attempt = 0; prefix.size > 0 && attempt < 20 * wantHard && got < wantHard; attempt++) {
      const [a, b] = memory.split(prefix.key(Math.floor(rng.next() * prefix.size)));
      const ia = localOf.get(a);
      const ib = localOf.get(b);
      if (ia === undefined || ib === undefined) continue;
      const flip = rng.next() < 0.5;
      if (take(flip ? ib : ia, flip ? ia : ib, kindCode('historical'))) got++;
    }
  }

  // structural: two hops apart at t, never connected by t
  if (wantHard > 0) {
    const rng = rngFromKey(`structural|${key}`);
    const adj = undirectedAdjacency(anchor);
    const withNbrs = adj.map((l, i) => (l.length ? i : -1)).filter((i) => i >= 0);
    const adjacent = (u: number, v: number) => {
      const l = adj[u];
      let lo = 0;
      let hi = l.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (l[mid] < v) lo = mid + 1;
        else hi = mid;
      }
      return lo < l.length && l[lo] === v;
    };
    let got = 0;
    for (let attempt = 0; withNbrs.length > 0 && attempt < 20 * wantHard && got < wantHard; attempt++) {
      const u = withNbrs[Math.floor(rng.next() * withNbrs.length)];
      const z = adj[u][Math.floor(rng.next() * adj[u].length)];
      const v = adj[z][Math.floor(rng.next() * adj[z].length)];
      if (v === u || adjacent(u, v)) continue;
      const gu = gidOf[u];
      const gv = gidOf[v];
      if (gu >= 0 && gv >= 0) {
        const f = prefix.firstWeek(PairMemory.key(gu, gv));
        if (f !== undefined && f <= prefix.weekIdx) continue;
      }
      const flip = rng.next() < 0.5;
      if (take(flip ? v : u, flip ? u : v, kindCode('structural'))) got++;
    }
  }

  const P = su.length;
  const pairs = new Int32Array(2 * P);
  pairs.set(su, 0);
  pairs.set(sv, P);
  const label = new Uint8Array(P);
  const yLw = new Float32Array(P);
  for (let i = 0; i < numPositives; i++) {
    label[i] = 1;
    yLw[i] = py[i];
  }
  const anchorEdges = new Set<number>();
  for (let k = 0; k < anchor.edgeSource.length; k++)
    anchorEdges.add(dkey(anchor.edgeSource[k], anchor.edgeTarget[k]));
  const reverseLabel = new Uint8Array(P);
  const atAnchor = new Uint8Array(P);
  for (let i = 0; i < P; i++) {
    reverseLabel[i] = isPositive(sv[i], su[i]) ? 1 : 0;
    atAnchor[i] = anchorEdges.has(dkey(su[i], sv[i])) ? 1 : 0;
  }

  const targetAt = new Map<string, number>();
  target.ids.forEach((id, i) => targetAt.set(id, i));
  const nodeTarget = new Float32Array(n);
  const nodeMask = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const j = targetAt.get(anchor.ids[i]);
    if (j === undefined) continue;
    nodeMask[i] = 1;
    nodeTarget[i] = Math.log1p(Math.max(target.tvl[j], 0)) - Math.log1p(Math.max(anchor.tvl[i], 0));
  }

  const mrr =
    opts.mrrQueries === 0
      ? undefined
      : mrrQueries(anchor, posAt, pu, pv, gidOf, localOf, memory, prefix.weekIdx, key, opts);
  return {
    anchor,
    horizon,
    pairs,
    label,
    kind: Uint8Array.from(kinds),
    yLw,
    reverseLabel,
    atAnchor,
    numPositives,
    nodeTarget,
    nodeMask,
    mrr,
  };
}

function mrrQueries(
  anchor: Snapshot,
  posAt: Map<number, number>,
  pu: number[],
  pv: number[],
  gidOf: number[],
  localOf: Map<number, number>,
  memory: PairMemory,
  weekIdx: number,
  key: string,
  opts: SampleOptions,
): WeekSample['mrr'] {
  const n = anchor.ids.length;
  const nQ = opts.mrrQueries ?? 500;
  const nHist = opts.mrrHistorical ?? 10;
  const nRand = opts.mrrRandom ?? 10;
  if (pu.length === 0 || n < 3) return undefined;
  const rng = rngFromKey(`mrr|${key}`);
  const order = pu.map((_, i) => i).filter((i) => pu[i] !== pv[i]);
  shuffleInPlace(order, rng);
  const src: number[] = [];
  const dst: number[] = [];
  const offsets = [0];
  for (const i of order.slice(0, nQ)) {
    const u = pu[i];
    src.push(u);
    dst.push(pv[i]);
    const negs: number[] = [];
    const ok = (v: number) => v !== u && !posAt.has(u * n + v) && !negs.includes(v);
    const g = gidOf[u];
    if (g >= 0) {
      const cands: number[] = [];
      for (const p of memory.partnersOf(g)) {
        if (p.week > weekIdx) break; // partners are in first-seen order
        const v = localOf.get(p.id);
        if (v !== undefined && ok(v)) cands.push(v);
      }
      for (let k = 0; k < nHist && cands.length; k++) {
        const j = Math.floor(rng.next() * cands.length);
        negs.push(cands[j]);
        cands.splice(j, 1);
      }
    }
    const want = nRand + (nHist - negs.length);
    for (let tries = 0, got = 0; got < want && tries < 20 * want; tries++) {
      const v = Math.floor(rng.next() * n);
      if (!ok(v)) continue;
      negs.push(v);
      got++;
    }
    for (const v of negs) {
      src.push(u);
      dst.push(v);
    }
    offsets.push(offsets[offsets.length - 1] + negs.length);
  }
  return { src: Int32Array.from(src), dst: Int32Array.from(dst), offsets };
}
