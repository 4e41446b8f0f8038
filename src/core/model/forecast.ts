/**
 * forecast(G_t, G_{t-1}, {horizon}) -> the predicted snapshot G^(t+h) (PAPER-NOTES
 * "Model"; docs/MODEL.md): node features (src/core/features, the same code as the
 * training-set export), the encoder once, the link head on the anchor's edges plus
 * candidate pairs (./candidates), the node head for TVL. Predicted log-weight =
 * ln(1+w_t(p,q)) + residual (paper eq. 9; 0 baseline for a new pair), weight in USD
 * = expm1(max(log-weight, 0)); TVL = expm1(ln(1+TVL_t) + predicted change).
 * Edge inclusion (docs/MODEL.md "Which edges G^(t+h) holds"): by default the
 * expected-degree rule keeps the K most probable candidates, K = the anchor's number
 * of distinct directed edges (times `scale`); or every candidate with probability
 * >= a threshold. The node set is the anchor's: the model does not invent protocols.
 */
import * as ort from 'onnxruntime-node';
import type { Snapshot } from '../snapshot/types';
import { candidatePairs, recentPairs, type CandidateOptions, type CandidateSet } from './candidates';
import { lastEdgeOf } from './source-rows';
import { byDescendingKey } from '../descending-order';
import { encode, graphInput, predictNodeChange, scorePairs, sigmoid, type Encoding, type PairPredictions } from './inference';
import { defaultModelsDir, loadModelSet, type ModelSet } from './model-set';
import { ModelError } from './card';
import { addWeeks, dayNumber } from '../weeks';
import { PairFeatureContext, PAIR_FEATURE_SCHEMA } from '../features/pair-features';

/**
 * `expected-degree`: the K most probable candidates, K = the anchor's distinct edges x
 * `scale`, where every source of the anchor first keeps its most probable candidate
 * (`keepSources`, default true); `threshold`: every candidate with p >= threshold.
 */
export type EdgeInclusion = { rule: 'expected-degree'; scale?: number; keepSources?: boolean } | { rule: 'threshold'; threshold: number };

/** Which source each candidate has, and which sources the anchor has (by node index). */
export interface SourceCoverage {
  pairSource: ArrayLike<number>;
  anchorSource: Uint8Array;
}

export interface ForecastOptions {
  horizon: number;
  /** Directory holding h<h>/ model sets (default: defaultModelsDir()). */
  modelsDir?: string;
  inclusion?: EdgeInclusion;
  candidates?: CandidateOptions;
  /** How many model-attractive targets and sources join the candidates (default 8 each; candidates.ts). */
  modelPopular?: number;
  /** ORT intra-op threads. */
  threads?: number;
  /**
   * Earlier weeks (any order; weeks after the anchor are ignored) for models whose link
   * card has pair features: the last `memoryWeeks` - 1 weeks before the anchor give the
   * edge memory. Default: `previous` alone (the features then say the window is short).
   */
  history?: readonly Snapshot[];
}

/** Weeks of the memory window whose pairs become recent candidates (the anchor included, as memoryWeeks). */
const RECENT_WEEKS = 2;

/** The anchor's pair-feature window: the earlier weeks within `memoryWeeks`, one per week, then the anchor. */
export function pairWindow(anchor: Snapshot, previous: Snapshot | undefined, history: readonly Snapshot[] | undefined, memoryWeeks: number): Snapshot[] {
  const d0 = dayNumber(anchor.week);
  const byWeek = new Map<string, Snapshot>();
  for (const s of [...(history ?? []), ...(previous ? [previous] : [])]) {
    const back = (d0 - dayNumber(s.week)) / 7;
    if (back >= 1 && back < memoryWeeks && Number.isInteger(back)) byWeek.set(s.week, s);
  }
  return [...[...byWeek.values()].sort((a, b) => (a.week < b.week ? -1 : 1)), anchor];
}

/** Pair features for `pairs` when the model set's link head takes them, else undefined. */
function pairFeaturesFor(set: ModelSet, anchor: Snapshot, previous: Snapshot | undefined, history: readonly Snapshot[] | undefined): PairFeatureContext | undefined {
  const pf = set.cards.link.pairFeatures;
  if (!pf) return undefined;
  return new PairFeatureContext(pairWindow(anchor, previous, history, pf.memoryWeeks), pf.memoryWeeks);
}

/** Pair features of a pair with no history at all (the mean-node rows of modelPopular). */
function blankPairRows(ctx: PairFeatureContext, rows: number): Float32Array {
  const names = PAIR_FEATURE_SCHEMA.names;
  const K = names.length;
  const one = ctx.features(Int32Array.from([0, 0]));
  const blank = new Float32Array(K);
  blank[names.indexOf('pq_since')] = ctx.memoryWeeks + 1;
  blank[names.indexOf('qp_since')] = ctx.memoryWeeks + 1;
  blank[names.indexOf('window_coverage')] = one[names.indexOf('window_coverage')];
  const out = new Float32Array(rows * K);
  for (let r = 0; r < rows; r++) out.set(blank, r * K);
  return out;
}

export interface ForecastTimings {
  featuresMs: number;
  encoderMs: number;
  candidatesMs: number;
  pairScoringMs: number;
  nodeHeadMs: number;
  /** Probabilities, the kept edges in order, the predicted snapshot's columns. */
  assemblyMs: number;
  /** The whole call, loading the model set (cached after the first) included. */
  totalMs: number;
}

export interface ForecastResult {
  snapshot: Snapshot;
  model: string;
  candidates: CandidateSet;
  /** Probabilities of every candidate, aligned with candidates.pairs. */
  candidateProbability: Float64Array;
  /** Predicted ln(1+TVL) change per node. */
  nodeLogChange: Float32Array;
  timings: ForecastTimings;
}

export { addWeeks };

/**
 * ln(1 + w_t(u, v)) for each pair; the last duplicate edge wins (authors' baseline rule).
 * `anchorPairs`: only the first anchorPairs pairs can be anchor edges, the rest get 0
 * unlooked-up (candidate sets put the anchor's edges first and never repeat them).
 */
export function baseLogWeights(s: Snapshot, pairs: Int32Array, anchorPairs = pairs.length / 2): Float32Array {
  const P = pairs.length / 2;
  const A = Math.min(anchorPairs, P);
  const edge = lastEdgeOf(s.ids.length, s.edgeSource, s.edgeTarget, pairs.subarray(0, A), pairs.subarray(P, P + A));
  const out = new Float32Array(P);
  for (let i = 0; i < A; i++) {
    const k = edge[i];
    out[i] = k < 0 ? 0 : Math.log1p(Math.max(s.edgeWeight[k], 0));
  }
  return out;
}

/** Rows of a [N, w] tensor plus the given extra rows, as a new [N + extra, w] tensor. */
function withRows(t: ort.Tensor, rows: Float32Array[]): ort.Tensor {
  const [n, w] = t.dims as number[];
  const data = new Float32Array((n + rows.length) * w);
  data.set(t.data as Float32Array, 0);
  rows.forEach((row, i) => data.set(row, (n + i) * w));
  return new ort.Tensor('float32', data, [n + rows.length, w]);
}

/** The mean of the given rows of a [N, w] tensor (accumulated in float32, in the order given). */
function meanRow(t: ort.Tensor, rows: Int32Array): Float32Array {
  const w = (t.dims as number[])[1];
  const d = t.data as Float32Array;
  const m = new Float32Array(w);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] * w;
    for (let j = 0; j < w; j++) m[j] += d[r + j];
  }
  for (let j = 0; j < w; j++) m[j] /= Math.max(rows.length, 1);
  return m;
}

/** The distinct values of `a` (indices in [0, n)), in order of first appearance. */
function distinctInOrder(a: Int32Array, n: number): Int32Array {
  const seen = new Uint8Array(n);
  const out = new Int32Array(Math.min(a.length, n));
  let k = 0;
  for (let i = 0; i < a.length; i++) {
    if (seen[a[i]]) continue;
    seen[a[i]] = 1;
    out[k++] = a[i];
  }
  return out.subarray(0, k);
}

/** The indices of the k largest values of `v[from .. from + n)`, the largest first, ties by ascending index (NaN never chosen). */
function topK(v: Float32Array, from: number, n: number, k: number): Int32Array {
  const best = new Int32Array(Math.min(k, n));
  let size = 0;
  for (let i = 0; i < n; i++) {
    const x = v[from + i];
    if (!(x === x)) continue;
    if (size === best.length && !(x > v[from + best[size - 1]])) continue;
    let pos = size < best.length ? size++ : size - 1;
    while (pos > 0 && x > v[from + best[pos - 1]]) {
      best[pos] = best[pos - 1];
      pos--;
    }
    best[pos] = i;
  }
  return best.subarray(0, size);
}

/**
 * The K targets the model scores highest as exposures of the mean active source, and
 * the K nodes it scores highest as holders of the mean held target (virtual rows N and
 * N + 1, scored in one run; W_a and W_b are linear, so a mean row's link parts are the
 * means of the parts).
 */
async function modelPopular(set: ModelSet, enc: Encoding, s: Snapshot, k: number, ctx?: PairFeatureContext): Promise<{ targets: Int32Array; sources: Int32Array }> {
  const n = enc.numNodes;
  const srcRows = distinctInOrder(s.edgeSource, n);
  const dstRows = distinctInOrder(s.edgeTarget, n);
  if (k <= 0 || srcRows.length === 0) return { targets: new Int32Array(0), sources: new Int32Array(0) };
  const ext: Encoding = {
    ...enc,
    numNodes: n + 2,
    h: withRows(enc.h, [meanRow(enc.h, srcRows), meanRow(enc.h, dstRows)]),
    linkSrc: withRows(enc.linkSrc, [meanRow(enc.linkSrc, srcRows), meanRow(enc.linkSrc, dstRows)]),
    linkDst: withRows(enc.linkDst, [meanRow(enc.linkDst, srcRows), meanRow(enc.linkDst, dstRows)]),
  };
  // pairs [0, n): mean source -> q; [n, 2n): q -> mean target
  const pairs = new Int32Array(4 * n);
  for (let q = 0; q < n; q++) {
    pairs[q] = n;
    pairs[2 * n + q] = q;
    pairs[n + q] = q;
    pairs[3 * n + q] = n + 1;
  }
  const { logit } = await scorePairs(set, ext, pairs, new Float32Array(2 * n), undefined, ctx ? blankPairRows(ctx, 2 * n) : undefined);
  return { targets: topK(logit, 0, n, k), sources: topK(logit, n, n, k) };
}

/**
 * Indices of the candidates G^(t+h) keeps, in descending probability (ties by index).
 * With `coverage` (the expected-degree rule, unless keepSources is false), every source
 * of the anchor first keeps its most probable candidate, then the rest of the K go by
 * probability. Why: a protocol that holds exposures keeps holding some (on the
 * full-scale history's 2025 weeks, 86-88% of protocols hold one, as at t), but ranking
 * pairs one by one drops every edge of a small holder whose pairs are each less likely
 * than a hub's new pairs: 17-23% of protocols lost all their out-edges in G^(t+1), and
 * with them their Tail share of SIS (1 with one to five out-edges, 0 with none), which
 * put the forecast's mean SIS 0.07-0.09 below the realised one.
 */
export function includedEdges(prob: Float64Array, rule: EdgeInclusion, anchorEdges: number, coverage?: SourceCoverage): Int32Array {
  if (rule.rule === 'threshold') {
    if (!(rule.threshold >= 0 && rule.threshold <= 1)) throw new ModelError(`model/forecast: inclusion threshold must be in [0, 1], got ${rule.threshold}`);
    return topInOrder(prob, rule.threshold);
  }
  const scale = rule.scale ?? 1;
  if (!(scale > 0) || !Number.isFinite(scale)) throw new ModelError(`model/forecast: expected-degree scale must be a positive number, got ${scale}`);
  const k = Math.min(prob.length, Math.round(scale * anchorEdges));
  if (k === 0) return new Int32Array(0);
  if (coverage && rule.keepSources !== false) return coveredTopK(prob, k, coverage);
  // The k-th largest probability, by selection (linear; a NaN sorts last as in a
  // typed-array sort); only the candidates at or above it are then ordered.
  const kth = kthSmallest(Float64Array.from(prob), prob.length - k);
  return topInOrder(prob, kth).subarray(0, k);
}

/** The k kept candidates when each anchor source first keeps its most probable one. */
function coveredTopK(prob: Float64Array, k: number, c: SourceCoverage): Int32Array {
  if (c.pairSource.length !== prob.length) throw new ModelError(`model/forecast: ${c.pairSource.length} candidate sources for ${prob.length} probabilities`);
  const best = bestPerSource(prob, c);
  const first = reservedInOrder(best);
  const r = first.length;
  if (r >= k) return byDescendingKey(prob, first).subarray(0, k);
  // the rest by probability among the candidates not reserved (NaN)
  const rest = prob.slice();
  for (let j = 0; j < r; j++) rest[first[j]] = NaN;
  const m = countNumbers(rest);
  if (m === 0) return byDescendingKey(prob, first);
  // NaN sorts last: the (k - r)-th largest of the m others
  const kth = kthSmallest(rest.slice(), Math.max(0, m - (k - r)));
  const all = new Int32Array(r + Math.min(k - r, m));
  all.set(first);
  const n = atLeast(rest, kth, k - r, all, r);
  return byDescendingKey(prob, all.subarray(0, r + n).sort()); // ties by index
}

/** Per anchor source, its most probable candidate (the first of equals; -1: none). */
function bestPerSource(prob: Float64Array, c: SourceCoverage): Int32Array {
  const best = new Int32Array(c.anchorSource.length).fill(-1);
  for (let i = 0; i < prob.length; i++) {
    const s = c.pairSource[i];
    if (!c.anchorSource[s] || Number.isNaN(prob[i])) continue;
    if (best[s] < 0 || prob[i] > prob[best[s]]) best[s] = i;
  }
  return best;
}

/** The reserved candidates (best[s] >= 0), in ascending index. */
function reservedInOrder(best: Int32Array): Int32Array {
  let r = 0;
  for (let s = 0; s < best.length; s++) if (best[s] >= 0) r++;
  const out = new Int32Array(r);
  r = 0;
  for (let s = 0; s < best.length; s++) if (best[s] >= 0) out[r++] = best[s];
  return out.sort();
}

function countNumbers(v: Float64Array): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) if (!Number.isNaN(v[i])) m++;
  return m;
}

/**
 * Writes into out[at ..] the (at most `want`) indices that topInOrder(v, kth) would put
 * first: every i with v[i] > kth, then those equal to kth by ascending index (its ties
 * order); their order is left to the caller. Returns how many it wrote.
 */
function atLeast(v: Float64Array, kth: number, want: number, out: Int32Array, at: number): number {
  let above = 0;
  for (let i = 0; i < v.length; i++) if (v[i] > kth) above++;
  let ties = Math.max(0, want - above);
  let c = 0;
  for (let i = 0; i < v.length && c < want; i++) {
    const x = v[i];
    if (x > kth) out[at + c++] = i;
    else if (x === kth && ties > 0) {
      out[at + c++] = i;
      ties--;
    }
  }
  return c;
}

/** The value at index `k` of `a` sorted ascending (NaN last), by quickselect; `a` is reordered. */
export function kthSmallest(a: Float64Array, k: number): number {
  // NaNs to the end first: the rest compares totally
  let m = a.length;
  for (let i = 0; i < m; ) {
    if (Number.isNaN(a[i])) {
      a[i] = a[--m];
      a[m] = NaN;
    } else i++;
  }
  if (k >= m) return NaN;
  let lo = 0;
  let hi = m - 1;
  while (lo < hi) {
    // median of three as the pivot
    const mid = (lo + hi) >>> 1;
    const x = a[lo];
    const y = a[mid];
    const z = a[hi];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

/** Indices i with prob[i] >= min (NaN never), in descending probability, ties by ascending index. */
function topInOrder(prob: Float64Array, min: number): Int32Array {
  let c = 0;
  for (let i = 0; i < prob.length; i++) if (prob[i] >= min) c++;
  const items = new Int32Array(c);
  c = 0;
  for (let i = 0; i < prob.length; i++) if (prob[i] >= min) items[c++] = i;
  return byDescendingKey(prob, items);
}

// The loops of a forecast live in small functions of their own: V8 optimises each on
// its own type feedback once its loop is hot, where a long function with many loops was
// compiled (in the background, slowly on a busy machine) and deoptimised again as each
// later loop first ran, so the first forecasts of a process were up to twice as slow.

function probabilities(logit: Float32Array): Float64Array {
  const prob = new Float64Array(logit.length);
  for (let i = 0; i < logit.length; i++) prob[i] = sigmoid(logit[i]);
  return prob;
}

/** The kept candidates' columns, in the order of `keep`. */
function keptEdges(keep: Int32Array, pairs: Int32Array, predLw: Float32Array, prob: Float64Array) {
  const P = prob.length;
  const E = keep.length;
  const edgeSource = new Int32Array(E);
  const edgeTarget = new Int32Array(E);
  const edgeWeight = new Float64Array(E);
  const edgeProbability = new Float64Array(E);
  for (let k = 0; k < E; k++) {
    const i = keep[k];
    edgeSource[k] = pairs[i];
    edgeTarget[k] = pairs[P + i];
    edgeWeight[k] = Math.expm1(Math.max(predLw[i], 0));
    edgeProbability[k] = prob[i];
  }
  return { edgeSource, edgeTarget, edgeWeight, edgeProbability };
}

function predictedTvl(tvlNow: Float64Array, dlog: Float32Array): Float64Array {
  const n = tvlNow.length;
  const tvl = new Float64Array(n);
  for (let i = 0; i < n; i++) tvl[i] = Math.max(Math.expm1(Math.log1p(Math.max(tvlNow[i], 0)) + dlog[i]), 0);
  return tvl;
}

export async function forecastDetailed(snapshot: Snapshot, previous: Snapshot | undefined, opts: ForecastOptions): Promise<ForecastResult> {
  const t0 = performance.now();
  const set = await loadModelSet(opts.modelsDir ?? defaultModelsDir(), opts.horizon, { threads: opts.threads });
  const tLoad = performance.now();
  const g = graphInput(snapshot, previous);
  const tFeat = performance.now();
  const enc = await encode(set, g);
  const tEnc = performance.now();
  const ctx = pairFeaturesFor(set, snapshot, previous, opts.history);
  const extra = await modelPopular(set, enc, snapshot, opts.modelPopular ?? 8, ctx);
  // pairs of the last weeks that are not edges at t lead each source's candidate budget
  const earlier = pairWindow(snapshot, previous, opts.history, opts.candidates?.recentWeeks ?? RECENT_WEEKS).slice(0, -1);
  const recent = earlier.length ? recentPairs(snapshot, earlier) : undefined;
  const cands = candidatePairs(snapshot, opts.candidates, { values: enc.linkSrc.data as Float32Array, width: enc.hidden }, { ...extra, recent });
  const tCand = performance.now();
  const base = baseLogWeights(snapshot, cands.pairs, cands.counts.existing);
  const scored: PairPredictions = await scorePairs(set, enc, cands.pairs, base, undefined, ctx?.features(cands.pairs));
  const tPairs = performance.now();
  const dlog = await predictNodeChange(set, enc, g);
  const tNode = performance.now();

  const prob = probabilities(scored.logit);
  // the candidates' first pairs are the anchor's distinct edges: their sources are the anchor's
  const P = cands.pairs.length / 2;
  const anchorSource = new Uint8Array(snapshot.ids.length);
  for (let i = 0; i < cands.counts.existing; i++) anchorSource[cands.pairs[i]] = 1;
  const keep = includedEdges(prob, opts.inclusion ?? { rule: 'expected-degree' }, cands.counts.existing, { pairSource: cands.pairs.subarray(0, P), anchorSource });
  const { edgeSource, edgeTarget, edgeWeight, edgeProbability } = keptEdges(keep, cands.pairs, scored.predLw, prob);
  const tvl = predictedTvl(snapshot.tvl, dlog);
  const predicted: Snapshot = {
    week: addWeeks(snapshot.week, opts.horizon),
    kind: 'forecast',
    ids: snapshot.ids.slice(),
    names: snapshot.names.slice(),
    categories: snapshot.categories.slice(),
    ...(snapshot.sectors ? { sectors: snapshot.sectors.slice() } : {}),
    ...(snapshot.chains ? { chains: snapshot.chains.slice() } : {}),
    tvl,
    edgeSource,
    edgeTarget,
    edgeWeight,
    edgeProbability,
    forecast: { fromWeek: snapshot.week, horizon: opts.horizon, model: set.name },
  };
  return {
    snapshot: predicted,
    model: set.name,
    candidates: cands,
    candidateProbability: prob,
    nodeLogChange: dlog,
    timings: {
      featuresMs: tFeat - tLoad,
      encoderMs: tEnc - tFeat,
      candidatesMs: tCand - tEnc,
      pairScoringMs: tPairs - tCand,
      nodeHeadMs: tNode - tPairs,
      assemblyMs: performance.now() - tNode,
      totalMs: performance.now() - t0,
    },
  };
}

/** The predicted snapshot G^(t+h) from G_t (and G_{t-1} for the previous-TVL-change feature). */
export async function forecast(snapshot: Snapshot, previous: Snapshot | undefined, opts: ForecastOptions): Promise<Snapshot> {
  return (await forecastDetailed(snapshot, previous, opts)).snapshot;
}

/**
 * Model scores for given anchor-week pairs (Table 3 evaluation): existence
 * probability, predicted ln(1+w), and predicted ln(1+TVL) change per node.
 */
export async function scoreAnchorPairs(
  snapshot: Snapshot,
  previous: Snapshot | undefined,
  pairs: Int32Array,
  opts: { horizon: number; modelsDir?: string; threads?: number; history?: readonly Snapshot[] },
): Promise<{ score: Float64Array; logWeight: Float64Array; nodeLogChange: Float64Array }> {
  const set = await loadModelSet(opts.modelsDir ?? defaultModelsDir(), opts.horizon, { threads: opts.threads });
  const g = graphInput(snapshot, previous);
  const enc = await encode(set, g);
  const ctx = pairFeaturesFor(set, snapshot, previous, opts.history);
  const r = await scorePairs(set, enc, pairs, baseLogWeights(snapshot, pairs), undefined, ctx?.features(pairs));
  const dlog = await predictNodeChange(set, enc, g);
  const score = new Float64Array(r.logit.length);
  for (let i = 0; i < score.length; i++) score[i] = sigmoid(r.logit[i]);
  return { score, logWeight: Float64Array.from(r.predLw), nodeLogChange: Float64Array.from(dlog) };
}
