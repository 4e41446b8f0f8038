/**
 * Table 3 of the paper, computed the way the authors computed it (data-spec §4.5):
 * for each horizon h, every (anchor t, target t+h) pair inside the test split is
 * sampled exactly as the training set is (positives = edges of t+h between nodes
 * present at t, uniform negatives at 5:1 from a fixed seed: trainingset/buildPair),
 * every forecaster scores the same pairs, and the metrics are computed on the pairs
 * pooled over all test weeks.
 *
 * Additions to the authors' protocol:
 * - MRR in the style of TGB: each positive (u, v) of a sampled subset is ranked
 *   against historical negatives (destinations u was exposed to in any earlier week
 *   but not at t+h) and random negatives, ties averaged; random negatives alone
 *   flatter memorisation, historical ones do not.
 * - expected calibration error of the existence probabilities (forecasters that
 *   do not output probabilities report NaN).
 * Streaming: weeks are visited once in order; only the last max(h) weeks are kept.
 */
import type { Snapshot } from '../snapshot/types';
import type { SnapshotSource } from '../trainingset/export';
import { buildPair } from '../trainingset/export';
import { rngFromKey } from '../random/xoshiro';
import { auprc, auroc, calibration, errors, meanReciprocalRank, weightedMae, type ReliabilityBin } from './metrics';
import type { PairList, PairScores } from './baselines';
import { EdgeBank, heuristicScores, persistenceScores } from './baselines';
import { holdoutSplit, type Split, type SplitOptions } from './split';

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
  score(anchor: Snapshot, previous: Snapshot | undefined, pairs: PairList, horizon: number): Promise<ForecastScores> | ForecastScores;
}

export function persistenceForecaster(): Forecaster {
  return { name: 'persistence', probabilities: true, score: (a, _p, pairs) => persistenceScores(a, pairs) };
}

export function edgeBankForecaster(): Forecaster {
  const bank = new EdgeBank();
  return { name: 'edgebank', probabilities: true, observe: (s) => bank.add(s), score: (a, _p, pairs) => bank.scores(a, pairs) };
}

export function heuristicForecaster(): Forecaster {
  return { name: 'heuristic', probabilities: false, score: (a, _p, pairs) => heuristicScores(a, pairs) };
}

export interface Table3Row {
  model: string;
  horizon: number;
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
  /** Week pairs, sampled pairs and positives pooled into this row. */
  weekPairs: number;
  pairs: number;
  positives: number;
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
}

export interface EvaluateOptions {
  horizons?: number[];
  seed?: number;
  negRatio?: number;
  split?: SplitOptions;
  /** Positives per week pair used as MRR queries (default 500); historical and random negatives per query (default 10 each). */
  mrrQueries?: number;
  mrrHistorical?: number;
  mrrRandom?: number;
  onPrediction?: (row: PredictionRow) => void;
  onProgress?: (week: string, index: number, total: number) => void;
  signal?: AbortSignal;
}

export interface Table3 {
  testWeeks: string[];
  split: Split['rule'];
  rows: Table3Row[];
}

/** An append-only Float64 buffer: a full-scale test split pools ~15M pairs per model and horizon. */
class Column {
  private buf = new Float64Array(1024);
  length = 0;
  push(x: number): void {
    if (this.length === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = x;
  }
  view(): Float64Array {
    return this.buf.subarray(0, this.length);
  }
}

interface Pool {
  labels: Column;
  scores: Column;
  wTrue: Column;
  wPred: Column;
  nTrue: Column;
  nPred: Column;
  mrrPos: Column;
  mrrNeg: Column;
  mrrOff: Column;
  weekPairs: number;
}

function newPool(): Pool {
  const p: Pool = { labels: new Column(), scores: new Column(), wTrue: new Column(), wPred: new Column(), nTrue: new Column(), nPred: new Column(), mrrPos: new Column(), mrrNeg: new Column(), mrrOff: new Column(), weekPairs: 0 };
  p.mrrOff.push(0);
  return p;
}

const DAY_MS = 86400000;
const addDays = (d: string, days: number) => new Date(Date.parse(`${d}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** MRR queries for one week pair: positive pairs followed by their negatives, in anchor index space. */
function mrrQueries(anchor: Snapshot, target: Snapshot, history: Map<string, Map<string, string>>, key: string, opts: Required<Pick<EvaluateOptions, 'mrrQueries' | 'mrrHistorical' | 'mrrRandom'>>): { src: number[]; dst: number[]; offsets: number[] } | undefined {
  const at = new Map<string, number>();
  anchor.ids.forEach((id, i) => at.set(id, i));
  const targetOut = new Map<string, Set<string>>();
  for (let k = 0; k < target.edgeSource.length; k++) {
    const u = target.ids[target.edgeSource[k]];
    let s = targetOut.get(u);
    if (!s) targetOut.set(u, (s = new Set()));
    s.add(target.ids[target.edgeTarget[k]]);
  }
  const positives: [number, number][] = [];
  const seen = new Set<string>();
  for (let k = 0; k < target.edgeSource.length; k++) {
    const u = target.ids[target.edgeSource[k]];
    const v = target.ids[target.edgeTarget[k]];
    const iu = at.get(u);
    const iv = at.get(v);
    if (iu === undefined || iv === undefined || iu === iv || seen.has(`${u}\u0000${v}`)) continue;
    seen.add(`${u}\u0000${v}`);
    positives.push([iu, iv]);
  }
  if (positives.length === 0 || anchor.ids.length < 3) return undefined;
  const rng = rngFromKey(`mrr|${key}`);
  // a fixed-seed sample of the queries
  for (let i = positives.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [positives[i], positives[j]] = [positives[j], positives[i]];
  }
  const src: number[] = [];
  const dst: number[] = [];
  const offsets: number[] = [0];
  for (const [iu, iv] of positives.slice(0, opts.mrrQueries)) {
    const u = anchor.ids[iu];
    const exclude = targetOut.get(u) ?? new Set<string>();
    src.push(iu);
    dst.push(iv);
    const negs: number[] = [];
    const past = history.get(u);
    if (past) {
      const cands = [...past].filter(([v, first]) => first <= anchor.week && !exclude.has(v) && v !== u && at.has(v)).map(([v]) => v);
      for (let i = 0; i < opts.mrrHistorical && cands.length; i++) {
        const j = Math.floor(rng.next() * cands.length);
        negs.push(at.get(cands[j])!);
        cands.splice(j, 1);
      }
    }
    const wantRandom = opts.mrrRandom + (opts.mrrHistorical - negs.length); // top up when history is short
    for (let tries = 0, got = 0; got < wantRandom && tries < 20 * wantRandom; tries++) {
      const v = Math.floor(rng.next() * anchor.ids.length);
      if (v === iu || exclude.has(anchor.ids[v]) || negs.includes(v)) continue;
      negs.push(v);
      got++;
    }
    for (const v of negs) {
      src.push(iu);
      dst.push(v);
    }
    offsets.push(offsets[offsets.length - 1] + negs.length);
  }
  return { src, dst, offsets };
}

/**
 * Table 3 rows for every forecaster and horizon. One pass over the history per
 * horizon keeps memory bounded; `forecasters(h)` builds fresh forecasters for it
 * (memory-based ones start empty, models load the horizon's weights).
 */
export async function evaluateForecasts(source: SnapshotSource, forecasters: (horizon: number) => Forecaster[] | Promise<Forecaster[]>, opts: EvaluateOptions = {}): Promise<Table3> {
  const horizons = [...new Set(opts.horizons ?? [1, 4, 8, 12])].sort((a, b) => a - b);
  const weeks = [...source.weeks].sort();
  const split = holdoutSplit(weeks, opts.split);
  const rows: Table3Row[] = [];
  for (const h of horizons) rows.push(...(await evaluateHorizon(source, await forecasters(h), h, weeks, split, opts)));
  return { testWeeks: split.test, split: split.rule, rows };
}

async function evaluateHorizon(source: SnapshotSource, forecasters: Forecaster[], h: number, weeks: string[], split: Split, opts: EvaluateOptions): Promise<Table3Row[]> {
  const seed = opts.seed ?? 42;
  const negRatio = opts.negRatio ?? 5;
  const mrrOpts = { mrrQueries: opts.mrrQueries ?? 500, mrrHistorical: opts.mrrHistorical ?? 10, mrrRandom: opts.mrrRandom ?? 10 };
  const testSet = new Set(split.test);
  const pools = new Map<string, Pool>();
  const pool = (model: string, h: number) => {
    const k = `${model}|${h}`;
    let p = pools.get(k);
    if (!p) pools.set(k, (p = newPool()));
    return p;
  };
  const keep = new Map<string, { snap: Snapshot; previous?: Snapshot }>();
  const history = new Map<string, Map<string, string>>(); // source id -> destination id -> first week seen
  let previous: Snapshot | undefined;
  let lastObserved = '';

  for (let i = 0; i < weeks.length; i++) {
    if (opts.signal?.aborted) throw new Error('eval/evaluate: cancelled');
    const week = weeks[i];
    const snap = await source.snapshot(week);
    const anchorWeek = addDays(week, -7 * h);
    // forecasters see weeks in order up to the anchor, never beyond it
    for (const [w, k] of keep) {
      if (w > lastObserved && w <= anchorWeek) {
        for (const f of forecasters) f.observe?.(k.snap);
        lastObserved = w;
      }
    }
    const a = keep.get(anchorWeek);
    if (testSet.has(week) && a && testSet.has(anchorWeek)) {
      {
        const p = buildPair(a.snap, snap, h, seed, negRatio);
        const P = p.label.length;
        const q = mrrQueries(a.snap, snap, history, `${seed}|${anchorWeek}|${h}`, mrrOpts);
        const Q = q ? q.src.length : 0;
        const all = new Int32Array(2 * (P + Q));
        all.set(p.pairs.subarray(0, P), 0);
        all.set(p.pairs.subarray(P), P + Q);
        if (q) {
          all.set(q.src, P);
          all.set(q.dst, 2 * P + Q);
        }
        for (const f of p.numPositives ? forecasters : []) {
          const r = await f.score(a.snap, a.previous, all, h);
          const pl = pool(f.name, h);
          pl.weekPairs++;
          for (let k = 0; k < P; k++) {
            pl.labels.push(p.label[k]);
            pl.scores.push(r.score[k]);
            if (p.label[k] > 0.5) {
              pl.wTrue.push(p.yLw[k]);
              pl.wPred.push(r.logWeight[k]);
            }
            opts.onPrediction?.({
              model: f.name,
              horizon: h,
              week: anchorWeek,
              source: a.snap.ids[p.pairs[k]],
              target: a.snap.ids[p.pairs[P + k]],
              label: p.label[k],
              score: r.score[k],
              weightTrue: p.label[k] > 0.5 ? p.yLw[k] : 0,
              weightPred: r.logWeight[k],
            });
          }
          for (let k = 0; k < a.snap.ids.length; k++) {
            if (!p.nodeMask[k]) continue;
            pl.nTrue.push(p.nodeTarget[k]);
            pl.nPred.push(r.nodeLogChange ? r.nodeLogChange[k] : 0);
          }
          if (q) {
            const base = pl.mrrNeg.length;
            for (let j = 0; j + 1 < q.offsets.length; j++) {
              const qs = P + q.offsets[j] + j; // query j: its positive, then its negatives
              pl.mrrPos.push(r.score[qs]);
              for (let k = 1; k <= q.offsets[j + 1] - q.offsets[j]; k++) pl.mrrNeg.push(r.score[qs + k]);
              pl.mrrOff.push(base + q.offsets[j + 1]);
            }
          }
        }
      }
    }

    // destinations by first week seen: a forecast at t may use only weeks <= t
    for (let k = 0; k < snap.edgeSource.length; k++) {
      const u = snap.ids[snap.edgeSource[k]];
      let m = history.get(u);
      if (!m) history.set(u, (m = new Map()));
      const v = snap.ids[snap.edgeTarget[k]];
      if (!m.has(v)) m.set(v, week);
    }
    keep.set(week, { snap, previous });
    for (const w of [...keep.keys()]) if (w < addDays(week, -7 * h)) keep.delete(w);
    previous = snap;
    opts.onProgress?.(week, i, weeks.length);
  }

  const rows: Table3Row[] = [];
  for (const f of forecasters) {
    {
      const pl = pools.get(`${f.name}|${h}`);
      if (!pl) continue;
      const w = errors(pl.wTrue.view(), pl.wPred.view());
      const nd = errors(pl.nTrue.view(), pl.nPred.view());
      const labels = pl.labels.view();
      const scores = pl.scores.view();
      const cal = f.probabilities ? calibration(labels, scores) : undefined;
      rows.push({
        model: f.name,
        horizon: h,
        auroc: auroc(labels, scores),
        auprc: auprc(labels, scores),
        mrr: pl.mrrPos.length ? meanReciprocalRank(pl.mrrPos.view(), pl.mrrNeg.view(), pl.mrrOff.view()) : NaN,
        weightMAE: w.mae,
        weightRMSE: w.rmse,
        weightedMAE: weightedMae(pl.wTrue.view(), pl.wPred.view()),
        nodeMAE: nd.mae,
        nodeRMSE: nd.rmse,
        ece: cal ? cal.ece : NaN,
        ...(cal ? { reliability: cal.bins } : {}),
        weekPairs: pl.weekPairs,
        pairs: pl.labels.length,
        positives: pl.wTrue.length,
      });
    }
  }
  return rows;
}
