/**
 * Table 3 of the paper, and the yardstick around it (docs/MODEL.md "Evaluation").
 *
 * For each horizon h, every (anchor t, target t+h) pair inside the test split is
 * sampled (./negatives: positives = edges of t+h between protocols present at t;
 * random negatives at 5:1 exactly as the training-set export samples them, plus
 * historical and structural hard negatives), every forecaster scores the same pairs
 * and their reverses, and the metrics are pooled over the test week pairs:
 *  - the paper's columns (AUROC, AUPRC on positives + random negatives; log-weight
 *    errors on positives; ΔTVL errors on every protocol present at both weeks);
 *  - AUROC/AUPRC against each negative kind and all together;
 *  - the task split: pair existence (either direction, all kinds), direction given
 *    the pair exists (one-way pairs: is u -> v scored above v -> u?), magnitude given
 *    the edge exists (log-weight error on persisting and on new edges apart);
 *  - ΔTVL error on protocols with positive TVL at t;
 *  - TGB-style MRR against a fixed set of historical + random negatives per positive;
 *  - expected calibration error on the paper's sample;
 *  - week-block bootstrap 95% intervals of every metric (./bootstrap).
 * Several histories (e.g. synthetic seeds) pool into one row per model and horizon.
 * Streaming: weeks are visited once in order; only the last h weeks are kept.
 * Forecasters with `learn` are fitted on the training split's week pairs first.
 */
import type { Snapshot } from '../snapshot/types';
import type { SnapshotSource } from '../trainingset/export';
import { auprc, auroc, calibration, errors, weightedMae, type ReliabilityBin } from './metrics';
import type { PairList, PairScores } from './baselines';
import {
  combinedScores,
  EdgeBank,
  heuristicScores,
  persistenceScores,
  popularityScores,
  UndirectedEdgeBank,
  undirectedPersistenceScores,
} from './baselines';
import { holdoutSplit, type Split, type SplitOptions } from './split';
import {
  kindCode,
  KIND_POSITIVE,
  kindName,
  NEGATIVE_KINDS,
  PairMemory,
  sampleWeek,
  type NegativeKind,
  type WeekSample,
} from './negatives';
import { aurocFromBins, auprcFromBins, bootstrapIntervals, scoreBins, type Interval } from './bootstrap';
import { addWeeks, DEFAULT_HORIZONS } from '../weeks';

export interface ForecastScores extends PairScores {
  /** Predicted ln(1+TVL_{t+h}) - ln(1+TVL_t) per anchor node; zeros when omitted. */
  nodeLogChange?: Float64Array;
}

/** Anything that scores anchor-week pairs: our model, a baseline, a user's own. */
export interface Forecaster {
  name: string;
  /** Whether `score` is a probability in [0, 1] (ECE is reported only then). */
  probabilities: boolean;
  /** Sees the weeks of the history in order, each before any pair anchored at it is scored, and never a week after the anchor being scored. */
  observe?(s: Snapshot): void;
  /** Training week pairs only (anchor and target in the training split), before any test pair is scored. */
  learn?(anchor: Snapshot, pairs: PairList, label: Uint8Array, yLw: Float32Array, horizon: number): void;
  score(
    anchor: Snapshot,
    previous: Snapshot | undefined,
    pairs: PairList,
    horizon: number,
  ): Promise<ForecastScores> | ForecastScores;
}

/** A baseline that scores from the anchor week alone. */
function anchorForecaster(name: string, probabilities: boolean, score: (anchor: Snapshot, pairs: PairList) => PairScores): Forecaster {
  return { name, probabilities, score: (a, _p, pairs) => score(a, pairs) };
}

/** A baseline that remembers every week it has observed (up to the anchor). */
function memoryForecaster<M extends { add(s: Snapshot): void }>(name: string, probabilities: boolean, memory: M, score: (memory: M, anchor: Snapshot, pairs: PairList) => PairScores): Forecaster {
  return { name, probabilities, observe: (s) => memory.add(s), score: (a, _p, pairs) => score(memory, a, pairs) };
}

export const persistenceForecaster = (): Forecaster => anchorForecaster('persistence', true, persistenceScores);
export const edgeBankForecaster = (): Forecaster => memoryForecaster('edgebank', true, new EdgeBank(), (b, a, pairs) => b.scores(a, pairs));
export const heuristicForecaster = (): Forecaster => anchorForecaster('heuristic', false, heuristicScores);
export const undirectedPersistenceForecaster = (): Forecaster => anchorForecaster('persistence-u', false, undirectedPersistenceScores);
export const undirectedEdgeBankForecaster = (): Forecaster => memoryForecaster('edgebank-u', false, new UndirectedEdgeBank(), (b, a, pairs) => b.scores(a, pairs));
export const popularityForecaster = (): Forecaster => anchorForecaster('popularity', false, popularityScores);
export const combinedForecaster = (): Forecaster => memoryForecaster('combined', false, new UndirectedEdgeBank(), (b, a, pairs) => combinedScores(a, b, pairs));

/** AUROC/AUPRC of positives against one set of negatives. */
export interface RankScores {
  auroc: number;
  auprc: number;
  negatives: number;
}

export interface Table3Row {
  model: string;
  horizon: number;
  /** Paper protocol: positives + random negatives (5:1). */
  auroc: number;
  auprc: number;
  mrr: number;
  weightMAE: number;
  weightRMSE: number;
  weightedMAE: number;
  nodeMAE: number;
  nodeRMSE: number;
  ece: number;
  /** Reliability table behind `ece` (10 equal-width bins); absent for score-only baselines. */
  reliability?: ReliabilityBin[];
  /** Week pairs, sampled pairs (positives + random negatives) and positives pooled into this row. */
  weekPairs: number;
  pairs: number;
  positives: number;
  /** AUROC/AUPRC against each negative kind, and all kinds together. */
  negatives: Record<NegativeKind | 'all', RankScores>;
  /** Pair existence, either direction (unordered pairs, every kind of negative). */
  existence: { auroc: number; auprc: number; pairs: number; positives: number };
  /** Direction given the pair exists: share of one-way pairs whose true direction scores higher (ties half). */
  direction: { accuracy: number; pairs: number };
  /** Magnitude given the edge exists: log-weight error on edges present at t and at t+h, and on new edges. */
  magnitude: { persistingMAE: number; persisting: number; newMAE: number; new: number };
  /** ΔTVL errors on protocols with positive TVL at t. */
  nodeMAEPositive: number;
  nodeRMSEPositive: number;
  /** Histories pooled into this row. */
  histories: number;
  /** Week-block bootstrap 95% intervals, keyed by metric (`auprc`, `negatives.all.auprc`, `existence.auroc`, ...). */
  ci: Record<string, Interval>;
}

export interface PredictionRow {
  model: string;
  horizon: number;
  week: string;
  source: string;
  target: string;
  label: number;
  score: number;
  weightTrue: number;
  weightPred: number;
  /** '' for a positive, else the negative's kind. */
  negativeKind: NegativeKind | '';
}

export interface EvaluateOptions {
  horizons?: readonly number[];
  seed?: number;
  negRatio?: number;
  /** Historical and structural negatives per positive, each (default 2). */
  hardRatio?: number;
  /** At most this many positives per test week pair (a seeded subset; default all). */
  maxPositives?: number;
  /** Positives per training week pair used to fit learned baselines (default 100). */
  trainPositives?: number;
  split?: SplitOptions;
  /** Positives per week pair used as MRR queries (default 500); historical and random negatives per query (default 10 each). */
  mrrQueries?: number;
  mrrHistorical?: number;
  mrrRandom?: number;
  /** Bootstrap replicates (default 1000; 0 skips the intervals) and block length in week pairs (default 4). */
  bootstrap?: number;
  blockLength?: number;
  onPrediction?: (row: PredictionRow) => void;
  onProgress?: (week: string, index: number, total: number) => void;
  signal?: AbortSignal;
}

export interface HistoryInfo {
  testWeeks: string[];
  split: Split['rule'];
}

export interface Table3 {
  testWeeks: string[];
  split: Split['rule'];
  rows: Table3Row[];
  /** One entry per history evaluated (several with seeds). */
  histories: HistoryInfo[];
  /** How the pairs were sampled, in words and numbers. */
  protocol: EvaluationProtocol;
}

export interface EvaluationProtocol {
  negatives: { random: number; historical: number; structural: number; description: string };
  mrr: { queries: number; historical: number; random: number; description: string };
  maxPositives: number | null;
  bootstrap: { replicates: number; blockLength: number; level: number };
}

export function describeProtocol(opts: EvaluateOptions = {}): EvaluationProtocol {
  const neg = opts.negRatio ?? 5;
  const hard = opts.hardRatio ?? 2;
  const q = opts.mrrQueries ?? 500;
  const mh = opts.mrrHistorical ?? 10;
  const mr = opts.mrrRandom ?? 10;
  return {
    negatives: {
      random: neg,
      historical: hard,
      structural: hard,
      description: `per positive: ${neg} random pairs (the paper's sample), ${hard} historical pairs (connected either way at some week <= t; half of them at t itself, e.g. the reverse of an edge of G_t) and ${hard} structural pairs (two hops apart at t, never connected)`,
    },
    mrr: {
      queries: q,
      historical: mh,
      random: mr,
      description: `MRR: up to ${q} positives per week pair, each ranked against ${mh} historical partners of its source (either direction, weeks <= t) and ${mr} random protocols, ties counted half`,
    },
    maxPositives: opts.maxPositives ?? null,
    bootstrap: { replicates: opts.bootstrap ?? 1000, blockLength: opts.blockLength ?? 4, level: 0.95 },
  };
}

/** An append-only typed buffer: a full-scale test split pools millions of pairs per model and horizon. */
export class Column<T extends Float64Array | Uint8Array | Uint16Array> {
  private buf: T;
  length = 0;
  constructor(private readonly make: (n: number) => T) {
    this.buf = make(1024);
  }
  push(x: number): void {
    if (this.length === this.buf.length) {
      const next = this.make(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = x;
  }
  view(): T {
    return this.buf.subarray(0, this.length) as T;
  }
}
const f64 = () => new Column((n) => new Float64Array(n));
const u8 = () => new Column((n) => new Uint8Array(n));
const u16 = () => new Column((n) => new Uint16Array(n));

/** Per-week additive statistics that are not pair scores. */
export interface UnitStats {
  w: number[]; // |e|, e^2, n over positives
  wWeighted: number[]; // sum |e| expm1(y), sum expm1(y)
  persisting: number[]; // |e|, n
  fresh: number[]; // |e|, n
  node: number[]; // |e|, e^2, n
  nodePos: number[]; // |e|, e^2, n
  mrr: number[]; // sum rr, n
  direction: number[]; // correct, n
  ece: number[]; // per bin: count, sumP, sumY (10 bins)
}

const newUnit = (): UnitStats => ({
  w: [0, 0, 0],
  wWeighted: [0, 0],
  persisting: [0, 0],
  fresh: [0, 0],
  node: [0, 0, 0],
  nodePos: [0, 0, 0],
  mrr: [0, 0],
  direction: [0, 0],
  ece: new Array(30).fill(0),
});

/** What the weeks of one forecaster at one horizon add up to: pooled pair columns and per-week statistics. */
export interface Pool {
  // sampled directed pairs
  score: Column<Float64Array>;
  kind: Column<Uint8Array>;
  unit: Column<Uint16Array>;
  // unordered pairs for the existence task
  eScore: Column<Float64Array>;
  eLabel: Column<Uint8Array>;
  eUnit: Column<Uint16Array>;
  // exact pooled error columns
  wTrue: Column<Float64Array>;
  wPred: Column<Float64Array>;
  nTrue: Column<Float64Array>;
  nPred: Column<Float64Array>;
  nPos: Column<Uint8Array>;
  units: UnitStats[];
  strata: number[];
}

export const newPool = (): Pool => ({
  score: f64(),
  kind: u8(),
  unit: u16(),
  eScore: f64(),
  eLabel: u8(),
  eUnit: u16(),
  wTrue: f64(),
  wPred: f64(),
  nTrue: f64(),
  nPred: f64(),
  nPos: u8(),
  units: [],
  strata: [],
});

/** The scored list for a sample: sampled pairs, their reverses, then the MRR queries. */
export function scoredPairs(s: WeekSample): { pairs: Int32Array; P: number; Q: number } {
  const P = s.label.length;
  const Q = s.mrr ? s.mrr.src.length : 0;
  const T = 2 * P + Q;
  const all = new Int32Array(2 * T);
  all.set(s.pairs.subarray(0, P), 0);
  all.set(s.pairs.subarray(P), P);
  if (s.mrr) all.set(s.mrr.src, 2 * P);
  all.set(s.pairs.subarray(P), T);
  all.set(s.pairs.subarray(0, P), T + P);
  if (s.mrr) all.set(s.mrr.dst, T + 2 * P);
  return { pairs: all, P, Q };
}

/**
 * Score one week sample with one forecaster and add it to the pool as week unit
 * `unit` (per-week scoring: also usable on its own, e.g. to score one week).
 */
export function accumulateWeek(
  pool: Pool,
  f: Forecaster,
  s: WeekSample,
  r: ForecastScores,
  P: number,
  onPrediction?: (row: PredictionRow) => void,
): void {
  const unit = pool.units.length;
  const u = newUnit();
  pool.units.push(u);
  const a = s.anchor;
  for (let k = 0; k < P; k++) {
    const sc = r.score[k];
    if (!Number.isFinite(sc))
      throw new Error(`eval/evaluate: ${f.name} gave score ${sc} for pair ${k} of anchor ${a.week}`);
    pool.score.push(sc);
    pool.kind.push(s.kind[k]);
    pool.unit.push(unit);
    const isPos = s.label[k] === 1;
    if (isPos) {
      const e = r.logWeight[k] - s.yLw[k];
      pool.wTrue.push(s.yLw[k]);
      pool.wPred.push(r.logWeight[k]);
      u.w[0] += Math.abs(e);
      u.w[1] += e * e;
      u.w[2]++;
      const wt = Math.expm1(s.yLw[k]);
      u.wWeighted[0] += Math.abs(e) * wt;
      u.wWeighted[1] += wt;
      const m = s.atAnchor[k] ? u.persisting : u.fresh;
      m[0] += Math.abs(e);
      m[1]++;
    }
    if (f.probabilities && (isPos || s.kind[k] === kindCode('random'))) {
      const p = sc;
      if (!(p >= 0 && p <= 1))
        throw new Error(`eval/evaluate: ${f.name} says it gives probabilities but scored ${p}`);
      const b = Math.min(9, Math.floor(p * 10));
      u.ece[3 * b]++;
      u.ece[3 * b + 1] += p;
      u.ece[3 * b + 2] += isPos ? 1 : 0;
    }
    if (onPrediction) {
      onPrediction({
        model: f.name,
        horizon: s.horizon,
        week: a.week,
        source: a.ids[s.pairs[k]],
        target: a.ids[s.pairs[P + k]],
        label: s.label[k],
        score: sc,
        weightTrue: isPos ? s.yLw[k] : 0,
        weightPred: r.logWeight[k],
        negativeKind: isPos ? '' : (kindName(s.kind[k]) as NegativeKind),
      });
    }
  }
  // existence (unordered) and direction: each unordered pair once
  const n = a.ids.length;
  const seen = new Set<number>();
  for (let k = 0; k < P; k++) {
    const x = s.pairs[k];
    const y = s.pairs[P + k];
    const key = x < y ? x * n + y : y * n + x;
    if (seen.has(key)) continue;
    seen.add(key);
    const fwd = r.score[k];
    const back = r.score[P + k];
    const exists = s.label[k] === 1 || s.reverseLabel[k] === 1;
    pool.eScore.push(Math.max(fwd, back));
    pool.eLabel.push(exists ? 1 : 0);
    pool.eUnit.push(unit);
    if (s.label[k] !== s.reverseLabel[k]) {
      const trueFwd = s.label[k] === 1;
      const d = trueFwd ? fwd - back : back - fwd;
      u.direction[0] += d > 0 ? 1 : d === 0 ? 0.5 : 0;
      u.direction[1]++;
    }
  }
  for (let i = 0; i < n; i++) {
    if (!s.nodeMask[i]) continue;
    const pred = r.nodeLogChange ? r.nodeLogChange[i] : 0;
    const e = pred - s.nodeTarget[i];
    pool.nTrue.push(s.nodeTarget[i]);
    pool.nPred.push(pred);
    u.node[0] += Math.abs(e);
    u.node[1] += e * e;
    u.node[2]++;
    const positive = a.tvl[i] > 0;
    pool.nPos.push(positive ? 1 : 0);
    if (positive) {
      u.nodePos[0] += Math.abs(e);
      u.nodePos[1] += e * e;
      u.nodePos[2]++;
    }
  }
  if (s.mrr) {
    const q = s.mrr;
    for (let j = 0; j + 1 < q.offsets.length; j++) {
      const at = 2 * P + q.offsets[j] + j;
      const pos = r.score[at];
      let above = 0;
      let tied = 0;
      for (let k = 1; k <= q.offsets[j + 1] - q.offsets[j]; k++) {
        const v = r.score[at + k];
        if (v > pos) above++;
        else if (v === pos) tied++;
      }
      u.mrr[0] += 1 / (1 + above + tied / 2);
      u.mrr[1]++;
    }
  }
}

/**
 * Table 3 rows for every forecaster and horizon. One pass over each history per
 * horizon keeps memory bounded; `forecasters(h)` builds fresh forecasters for it
 * (memory-based ones start empty, models load the horizon's weights), once per history.
 */
export async function evaluateForecasts(
  sources: SnapshotSource | readonly SnapshotSource[],
  forecasters: (horizon: number) => Forecaster[] | Promise<Forecaster[]>,
  opts: EvaluateOptions = {},
): Promise<Table3> {
  const list = Array.isArray(sources) ? (sources as readonly SnapshotSource[]) : [sources as SnapshotSource];
  if (!list.length) throw new Error('eval/evaluate: no history to evaluate');
  const horizons = [...new Set(opts.horizons ?? DEFAULT_HORIZONS)].sort((a, b) => a - b);
  const histories = list.map((src) => {
    const weeks = [...src.weeks].sort();
    const split = holdoutSplit(weeks, opts.split);
    return { src, weeks, split };
  });
  const rows: Table3Row[] = [];
  for (const h of horizons) {
    const pools = new Map<string, { f: Forecaster; pool: Pool }>();
    for (const hist of histories) {
      const fs = await forecasters(h);
      for (const f of fs) {
        let e = pools.get(f.name);
        if (!e) pools.set(f.name, (e = { f, pool: newPool() }));
        e.pool.strata.push(0);
      }
      await evaluateHistory(hist.src, fs, h, hist.weeks, hist.split, opts, (name) => pools.get(name)!.pool);
    }
    for (const { f, pool } of pools.values())
      if (pool.units.length) rows.push(summarise(f, h, pool, histories.length, opts));
  }
  return {
    testWeeks: histories[0].split.test,
    split: histories[0].split.rule,
    rows,
    histories: histories.map((x) => ({ testWeeks: x.split.test, split: x.split.rule })),
    protocol: describeProtocol(opts),
  };
}

async function evaluateHistory(
  source: SnapshotSource,
  forecasters: Forecaster[],
  h: number,
  weeks: string[],
  split: Split,
  opts: EvaluateOptions,
  poolOf: (name: string) => Pool,
): Promise<void> {
  const seed = opts.seed ?? 42;
  const testSet = new Set(split.test);
  const trainSet = new Set(split.train);
  const learners = forecasters.filter((f) => f.learn);
  const keep = new Map<string, { snap: Snapshot; previous?: Snapshot }>();
  // Hard negatives and MRR queries (also in learners' training samples) draw on every pair
  // linked so far; without them the memory records the weeks only.
  const memory = new PairMemory((opts.hardRatio ?? 2) > 0 || (opts.mrrQueries ?? 500) > 0 || learners.length > 0);
  let previous: Snapshot | undefined;
  let lastObserved = '';
  const sampleOpts = {
    seed,
    negRatio: opts.negRatio,
    hardRatio: opts.hardRatio,
    mrrQueries: opts.mrrQueries,
    mrrHistorical: opts.mrrHistorical,
    mrrRandom: opts.mrrRandom,
  };

  for (let i = 0; i < weeks.length; i++) {
    if (opts.signal?.aborted) throw new Error('eval/evaluate: cancelled');
    const week = weeks[i];
    const snap = await source.snapshot(week);
    const anchorWeek = addWeeks(week, -h);
    // forecasters see weeks in order up to the anchor, never beyond it
    for (const [w, k] of keep) {
      if (w > lastObserved && w <= anchorWeek) {
        for (const f of forecasters) f.observe?.(k.snap);
        lastObserved = w;
      }
    }
    const a = keep.get(anchorWeek);
    if (a && learners.length && trainSet.has(week) && trainSet.has(anchorWeek)) {
      const s = sampleWeek(a.snap, snap, h, memory, {
        ...sampleOpts,
        maxPositives: opts.trainPositives ?? 100,
        mrrQueries: 0,
      });
      if (s.numPositives) for (const f of learners) f.learn!(a.snap, s.pairs, s.label, s.yLw, h);
    }
    if (a && testSet.has(week) && testSet.has(anchorWeek)) {
      const s = sampleWeek(a.snap, snap, h, memory, {
        ...sampleOpts,
        maxPositives: opts.maxPositives || undefined,
      });
      if (s.numPositives) {
        const { pairs, P } = scoredPairs(s);
        for (const f of forecasters) {
          const r = await f.score(a.snap, a.previous, pairs, h);
          const pool = poolOf(f.name);
          accumulateWeek(pool, f, s, r, P, opts.onPrediction);
          pool.strata[pool.strata.length - 1]++;
        }
      }
    }
    memory.add(snap);
    keep.set(week, { snap, previous });
    for (const w of [...keep.keys()]) if (w < addWeeks(week, -h)) keep.delete(w);
    previous = snap;
    opts.onProgress?.(week, i, weeks.length);
  }
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : NaN);

function summarise(
  f: Forecaster,
  h: number,
  pool: Pool,
  histories: number,
  opts: EvaluateOptions,
): Table3Row {
  const kinds = pool.kind.view();
  const scores = pool.score.view();
  const units = pool.units;
  const U = units.length;

  // rank-metric subsets: paper sample, each negative kind, all kinds; then existence
  const subsets: {
    name: string;
    idx: Uint32Array;
    labels: Uint8Array;
    scores: Float64Array;
    unitOf: Uint16Array;
  }[] = [];
  const pick = (keepKind: (k: number) => boolean, name: string) => {
    let n = 0;
    for (let i = 0; i < kinds.length; i++) if (keepKind(kinds[i])) n++;
    const idx = new Uint32Array(n);
    let j = 0;
    for (let i = 0; i < kinds.length; i++) if (keepKind(kinds[i])) idx[j++] = i;
    const unitAll = pool.unit.view();
    subsets.push({
      name,
      idx,
      labels: Uint8Array.from(idx, (i) => (kinds[i] === KIND_POSITIVE ? 1 : 0)),
      scores: Float64Array.from(idx, (i) => scores[i]),
      unitOf: Uint16Array.from(idx, (i) => unitAll[i]),
    });
  };
  for (const k of NEGATIVE_KINDS) pick((c) => c === KIND_POSITIVE || c === kindCode(k), k);
  pick(() => true, 'all');
  const eLabels = pool.eLabel.view();
  subsets.push({
    name: 'existence',
    idx: new Uint32Array(0),
    labels: eLabels,
    scores: pool.eScore.view(),
    unitOf: pool.eUnit.view(),
  });

  const exact: Record<string, number> = {};
  const binned = subsets.map((s) => {
    exact[`${s.name}.auroc`] = auroc(s.labels, s.scores);
    exact[`${s.name}.auprc`] = auprc(s.labels, s.scores);
    return { s, ...scoreBins(s.scores) };
  });

  // per-unit statistics vectors: [histograms per subset][scalars]
  const scalarLen = 3 + 2 + 2 + 2 + 3 + 3 + 2 + 2 + 30;
  const histLen = binned.reduce((t, b) => t + 2 * b.bins, 0);
  const rows = Array.from({ length: U }, () => new Float64Array(histLen + scalarLen));
  let off = 0;
  const histOff: number[] = [];
  for (const b of binned) {
    histOff.push(off);
    for (let i = 0; i < b.s.labels.length; i++)
      rows[b.s.unitOf[i]][off + (b.s.labels[i] ? 0 : b.bins) + b.bin[i]]++;
    off += 2 * b.bins;
  }
  units.forEach((u, k) =>
    rows[k].set(
      [
        ...u.w,
        ...u.wWeighted,
        ...u.persisting,
        ...u.fresh,
        ...u.node,
        ...u.nodePos,
        ...u.mrr,
        ...u.direction,
        ...u.ece,
      ],
      histLen,
    ),
  );

  const metricsOf = (v: Float64Array): Record<string, number> => {
    const m: Record<string, number> = {};
    binned.forEach((b, j) => {
      const pos = v.subarray(histOff[j], histOff[j] + b.bins);
      const neg = v.subarray(histOff[j] + b.bins, histOff[j] + 2 * b.bins);
      m[`${b.s.name}.auroc`] = aurocFromBins(pos, neg);
      m[`${b.s.name}.auprc`] = auprcFromBins(pos, neg);
    });
    let o = histLen;
    const nx = (k: number) => {
      const r = Array.from(v.subarray(o, o + k));
      o += k;
      return r;
    };
    const [wa, ws, wn] = nx(3);
    const [ww, wd] = nx(2);
    const [pa, pn] = nx(2);
    const [fa, fn] = nx(2);
    const [na, ns, nn] = nx(3);
    const [qa, qs, qn] = nx(3);
    const [mr, mn] = nx(2);
    const [dc, dn] = nx(2);
    const ece = nx(30);
    m.weightMAE = ratio(wa, wn);
    m.weightRMSE = Math.sqrt(ratio(ws, wn));
    m.weightedMAE = ratio(ww, wd);
    m['magnitude.persistingMAE'] = ratio(pa, pn);
    m['magnitude.newMAE'] = ratio(fa, fn);
    m.nodeMAE = ratio(na, nn);
    m.nodeRMSE = Math.sqrt(ratio(ns, nn));
    m.nodeMAEPositive = ratio(qa, qn);
    m.nodeRMSEPositive = Math.sqrt(ratio(qs, qn));
    m.mrr = ratio(mr, mn);
    m['direction.accuracy'] = ratio(dc, dn);
    if (f.probabilities) {
      let total = 0;
      let e = 0;
      for (let b = 0; b < 10; b++) total += ece[3 * b];
      for (let b = 0; b < 10; b++)
        if (ece[3 * b])
          e += (ece[3 * b] / total) * Math.abs(ece[3 * b + 1] / ece[3 * b] - ece[3 * b + 2] / ece[3 * b]);
      m.ece = total ? e : NaN;
    }
    return m;
  };

  const sumAll = new Float64Array(histLen + scalarLen);
  for (const r of rows) for (let j = 0; j < r.length; j++) sumAll[j] += r[j];
  const point = metricsOf(sumAll);
  const shift: Record<string, number> = {};
  for (const [k, v] of Object.entries(exact)) shift[k] = v - point[k];
  const B = opts.bootstrap ?? 1000;
  const raw =
    B > 0
      ? bootstrapIntervals(rows, pool.strata, metricsOf, {
          replicates: B,
          blockLength: opts.blockLength ?? 4,
          seed: opts.seed ?? 42,
          shift,
        })
      : {};
  // the paper's columns keep their historical names
  const ci: Record<string, Interval> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (Number.isNaN(v[0]) && Number.isNaN(v[1])) continue;
    const [head] = k.split('.');
    if (head === 'random' || head === 'historical' || head === 'structural' || head === 'all')
      ci[`negatives.${k}`] = v;
    else ci[k] = v;
    if (k === 'random.auroc') ci.auroc = v;
    if (k === 'random.auprc') ci.auprc = v;
  }

  const paperMask = (k: number) => k === KIND_POSITIVE || k === kindCode('random');
  let paperPairs = 0;
  const probs: number[] = [];
  const probLabels: number[] = [];
  for (let i = 0; i < kinds.length; i++) {
    if (!paperMask(kinds[i])) continue;
    paperPairs++;
    if (f.probabilities) {
      probs.push(scores[i]);
      probLabels.push(kinds[i] === KIND_POSITIVE ? 1 : 0);
    }
  }
  const cal = f.probabilities ? calibration(probLabels, probs) : undefined;
  const w = errors(pool.wTrue.view(), pool.wPred.view());
  const nd = errors(pool.nTrue.view(), pool.nPred.view());
  const ndPos = errors(pool.nTrue.view(), pool.nPred.view(), pool.nPos.view());
  const sumUnits = (pickStat: (u: UnitStats) => number) => units.reduce((t, u) => t + pickStat(u), 0);
  const negCount = (k: NegativeKind | 'all') => {
    let c = 0;
    for (let i = 0; i < kinds.length; i++)
      if (kinds[i] !== KIND_POSITIVE && (k === 'all' || kinds[i] === kindCode(k))) c++;
    return c;
  };
  const rank = (k: NegativeKind | 'all'): RankScores => ({
    auroc: exact[`${k}.auroc`],
    auprc: exact[`${k}.auprc`],
    negatives: negCount(k),
  });
  return {
    model: f.name,
    horizon: h,
    auroc: exact['random.auroc'],
    auprc: exact['random.auprc'],
    mrr: point.mrr,
    weightMAE: w.mae,
    weightRMSE: w.rmse,
    weightedMAE: weightedMae(pool.wTrue.view(), pool.wPred.view()),
    nodeMAE: nd.mae,
    nodeRMSE: nd.rmse,
    ece: cal ? cal.ece : NaN,
    ...(cal ? { reliability: cal.bins } : {}),
    weekPairs: U,
    pairs: paperPairs,
    positives: pool.wTrue.length,
    negatives: {
      random: rank('random'),
      historical: rank('historical'),
      structural: rank('structural'),
      all: rank('all'),
    },
    existence: {
      auroc: exact['existence.auroc'],
      auprc: exact['existence.auprc'],
      pairs: eLabels.length,
      positives: eLabels.reduce((t, x) => t + x, 0),
    },
    direction: { accuracy: point['direction.accuracy'], pairs: sumUnits((u) => u.direction[1]) },
    magnitude: {
      persistingMAE: point['magnitude.persistingMAE'],
      persisting: sumUnits((u) => u.persisting[1]),
      newMAE: point['magnitude.newMAE'],
      new: sumUnits((u) => u.fresh[1]),
    },
    nodeMAEPositive: ndPos.mae,
    nodeRMSEPositive: ndPos.rmse,
    histories,
    ci,
  };
}
