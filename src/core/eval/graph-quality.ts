/**
 * Graph-level forecast quality: the forecast G^(t+h) as a set of directed edges
 * (what `dx.forecast` returns, with its own candidate generation; no oracle pairs),
 * against the realised G_(t+h) on the anchor's protocols (a forecast cannot hold
 * protocols that do not exist at t):
 *  - edge precision, recall and F1;
 *  - recall of new edges (edges of t+h that are not edges of t);
 *  - ln(1+w) MAE on matched edges (true positives);
 *  - for forecasters that report their candidate pairs: the candidates' recall of
 *    all and of new edges (the ceiling any edge-selection rule can reach).
 * Persistence (G_t itself) keeps the anchor's edge count, as the model's default
 * expected-degree rule does, so the two are compared at the same number of edges.
 * Every statistic is a sum over anchor weeks: the week-block bootstrap gives intervals.
 */
import type { Snapshot } from '../snapshot/types';
import type { SnapshotSource } from '../trainingset/export';
import { holdoutSplit, type SplitOptions } from './split';
import { bootstrapIntervals, type Interval } from './bootstrap';
import { addWeeks, DEFAULT_HORIZONS } from '../weeks';

export interface GraphForecast {
  snapshot: Snapshot;
  /** Candidate pairs scored (anchor index space, pairs[0..P) sources), when the forecaster has them. */
  candidates?: Int32Array;
}

export type GraphForecastFn = (
  anchor: Snapshot,
  previous: Snapshot | undefined,
  horizon: number,
  /** The `historyWeeks` weeks before the anchor (oldest first; fewer at the start of a history). */
  history: readonly Snapshot[],
) => Promise<GraphForecast> | GraphForecast;

export interface GraphScorer {
  name: string;
  /** The horizons it can forecast (a model set's h<h>/ folders); every horizon when absent. */
  horizons?: readonly number[];
  /** Weeks before the anchor the forecast reads (a pair-feature model's memory window); 1 when absent. */
  historyWeeks?: number;
  forecast: GraphForecastFn;
}

/** Per-anchor counts (additive). */
export interface GraphCounts {
  predicted: number;
  actual: number;
  matched: number;
  actualNew: number;
  matchedNew: number;
  weightAbsErr: number;
  candidates: number;
  candidateHits: number;
  candidateNewHits: number;
}

export interface GraphQualityRow {
  model: string;
  horizon: number;
  anchors: number;
  histories: number;
  precision: number;
  recall: number;
  f1: number;
  newRecall: number;
  weightMAE: number;
  /** Mean edges per forecast graph and per realised graph (anchor protocols). */
  predictedEdges: number;
  actualEdges: number;
  /** Candidate set size per anchor and its recall (NaN without candidates). */
  candidates: number;
  candidateRecall: number;
  candidateNewRecall: number;
  ci: Record<string, Interval>;
}

const edgeKey = (n: number, u: number, v: number) => u * n + v;

/** Counts for one forecast against the realised week (matched by protocol id). */
export function graphCounts(anchor: Snapshot, forecast: GraphForecast, actual: Snapshot): GraphCounts {
  const n = anchor.ids.length;
  const at = new Map<string, number>();
  anchor.ids.forEach((id, i) => at.set(id, i));
  const truth = new Map<number, number>();
  for (let k = 0; k < actual.edgeSource.length; k++) {
    const u = at.get(actual.ids[actual.edgeSource[k]]);
    const v = at.get(actual.ids[actual.edgeTarget[k]]);
    if (u === undefined || v === undefined) continue;
    truth.set(edgeKey(n, u, v), Math.log1p(Math.max(actual.edgeWeight[k], 0)));
  }
  const before = new Set<number>();
  for (let k = 0; k < anchor.edgeSource.length; k++)
    before.add(edgeKey(n, anchor.edgeSource[k], anchor.edgeTarget[k]));
  let actualNew = 0;
  for (const k of truth.keys()) if (!before.has(k)) actualNew++;
  const f = forecast.snapshot;
  if (f.ids.length !== n || f.ids.some((id, i) => id !== anchor.ids[i]))
    throw new Error(
      `eval/graph-quality: the forecast from ${anchor.week} must keep the anchor's protocols in order`,
    );
  const predicted = new Map<number, number>();
  for (let k = 0; k < f.edgeSource.length; k++)
    predicted.set(edgeKey(n, f.edgeSource[k], f.edgeTarget[k]), Math.log1p(Math.max(f.edgeWeight[k], 0)));
  let matched = 0;
  let matchedNew = 0;
  let weightAbsErr = 0;
  for (const [k, w] of predicted) {
    const t = truth.get(k);
    if (t === undefined) continue;
    matched++;
    weightAbsErr += Math.abs(w - t);
    if (!before.has(k)) matchedNew++;
  }
  let candidates = 0;
  let candidateHits = 0;
  let candidateNewHits = 0;
  if (forecast.candidates) {
    const P = forecast.candidates.length / 2;
    const seen = new Set<number>();
    for (let i = 0; i < P; i++) seen.add(edgeKey(n, forecast.candidates[i], forecast.candidates[P + i]));
    candidates = seen.size;
    for (const k of truth.keys()) {
      if (!seen.has(k)) continue;
      candidateHits++;
      if (!before.has(k)) candidateNewHits++;
    }
  }
  return {
    predicted: predicted.size,
    actual: truth.size,
    matched,
    actualNew,
    matchedNew,
    weightAbsErr,
    candidates,
    candidateHits,
    candidateNewHits,
  };
}

const FIELDS: (keyof GraphCounts)[] = [
  'predicted',
  'actual',
  'matched',
  'actualNew',
  'matchedNew',
  'weightAbsErr',
  'candidates',
  'candidateHits',
  'candidateNewHits',
];
const ratio = (a: number, b: number) => (b > 0 ? a / b : NaN);

function metricsOf(v: ArrayLike<number>, anchors: number, withCandidates: boolean): Record<string, number> {
  // v holds the counts in FIELDS order (summed over anchors, or over a bootstrap sample)
  const { predicted, actual, matched, actualNew, matchedNew, weightAbsErr, candidates, candidateHits, candidateNewHits } = Object.fromEntries(
    FIELDS.map((k, j) => [k, v[j]]),
  ) as unknown as GraphCounts;
  const precision = ratio(matched, predicted);
  const recall = ratio(matched, actual);
  return {
    precision,
    recall,
    f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : NaN,
    newRecall: ratio(matchedNew, actualNew),
    weightMAE: ratio(weightAbsErr, matched),
    predictedEdges: ratio(predicted, anchors),
    actualEdges: ratio(actual, anchors),
    candidates: withCandidates ? ratio(candidates, anchors) : NaN,
    candidateRecall: withCandidates ? ratio(candidateHits, actual) : NaN,
    candidateNewRecall: withCandidates ? ratio(candidateNewHits, actualNew) : NaN,
  };
}

/** A row from per-anchor counts (`strata`: anchors per history, in order). */
export function graphQualityRow(
  model: string,
  horizon: number,
  counts: readonly GraphCounts[],
  strata: readonly number[],
  opts: { bootstrap?: number; blockLength?: number; seed?: number } = {},
): GraphQualityRow {
  const rows = counts.map((c) => Float64Array.from(FIELDS, (k) => c[k]));
  const withCandidates = counts.some((c) => c.candidates > 0);
  const sum = new Float64Array(FIELDS.length);
  for (const r of rows) for (let j = 0; j < r.length; j++) sum[j] += r[j];
  const m = metricsOf(sum, counts.length, withCandidates);
  const B = opts.bootstrap ?? 1000;
  const raw =
    B > 0 && counts.length
      ? bootstrapIntervals(rows, strata, (s) => metricsOf(s, counts.length, withCandidates), {
          replicates: B,
          blockLength: opts.blockLength ?? 4,
          seed: opts.seed ?? 42,
        })
      : {};
  const ci: Record<string, Interval> = {};
  for (const k of [
    'precision',
    'recall',
    'f1',
    'newRecall',
    'weightMAE',
    'candidateRecall',
    'candidateNewRecall',
  ])
    if (raw[k] && !Number.isNaN(raw[k][0])) ci[k] = raw[k];
  return {
    model,
    horizon,
    anchors: counts.length,
    histories: strata.length,
    precision: m.precision,
    recall: m.recall,
    f1: m.f1,
    newRecall: m.newRecall,
    weightMAE: m.weightMAE,
    predictedEdges: m.predictedEdges,
    actualEdges: m.actualEdges,
    candidates: m.candidates,
    candidateRecall: m.candidateRecall,
    candidateNewRecall: m.candidateNewRecall,
    ci,
  };
}

/** The persistence forecast: G_t itself. */
export const persistenceGraphScorer: GraphScorer = {
  name: 'persistence',
  forecast: (anchor) => ({ snapshot: anchor }),
};

export interface GraphQualityOptions {
  horizons?: readonly number[];
  split?: SplitOptions;
  /** At most this many anchors per history and horizon, evenly spaced over the test split (default all). */
  maxAnchors?: number;
  bootstrap?: number;
  blockLength?: number;
  seed?: number;
  onProgress?: (what: string, index: number, total: number) => void;
  signal?: AbortSignal;
}

/** Graph-level rows for every scorer and horizon over the test anchors of each history. */
export async function evaluateGraphQuality(
  sources: SnapshotSource | readonly SnapshotSource[],
  scorers: readonly GraphScorer[],
  opts: GraphQualityOptions = {},
): Promise<GraphQualityRow[]> {
  const list = Array.isArray(sources) ? (sources as readonly SnapshotSource[]) : [sources as SnapshotSource];
  const horizons = [...new Set(opts.horizons ?? DEFAULT_HORIZONS)].sort((a, b) => a - b);
  const rows: GraphQualityRow[] = [];
  for (const h of horizons) {
    const active = scorers.filter((s) => !s.horizons || s.horizons.includes(h));
    const counts = new Map<string, GraphCounts[]>(active.map((s) => [s.name, []]));
    const strata: number[] = [];
    for (const src of list) {
      const weeks = [...src.weeks].sort();
      const test = holdoutSplit(weeks, opts.split).test;
      const testSet = new Set(test);
      let anchors = test.filter((w) => testSet.has(addWeeks(w, h)) && weeks.includes(addWeeks(w, h)));
      if (opts.maxAnchors && anchors.length > opts.maxAnchors) {
        const m = opts.maxAnchors;
        anchors = Array.from(
          { length: m },
          (_, i) => anchors[Math.round((i * (anchors.length - 1)) / Math.max(m - 1, 1))],
        );
      }
      strata.push(anchors.length);
      // every scorer gets the earlier weeks the most demanding one reads, each week opened once
      const back = Math.max(1, ...active.map((s) => s.historyWeeks ?? 1));
      const opened = new Map<string, Snapshot>();
      const open = async (w: string) => {
        let s = opened.get(w);
        if (!s) opened.set(w, (s = await src.snapshot(w)));
        return s;
      };
      for (let i = 0; i < anchors.length; i++) {
        if (opts.signal?.aborted) throw new Error('eval/graph-quality: cancelled');
        const a = anchors[i];
        const idx = weeks.indexOf(a);
        const anchor = await open(a);
        const earlier = weeks.slice(Math.max(0, idx - back), idx);
        const history: Snapshot[] = [];
        for (const w of earlier) history.push(await open(w));
        const previous = idx > 0 ? history[history.length - 1] : undefined;
        const actual = await open(addWeeks(a, h));
        for (const s of active) {
          const own = history.slice(Math.max(0, history.length - (s.historyWeeks ?? 1)));
          counts.get(s.name)!.push(graphCounts(anchor, await s.forecast(anchor, previous, h, own), actual));
        }
        // keep only what a later anchor of this pass can still read
        for (const w of [...opened.keys()]) if (w < weeks[Math.max(0, idx + 1 - back)]) opened.delete(w);
        opts.onProgress?.(`h${h} ${a}`, i, anchors.length);
      }
    }
    for (const s of active) rows.push(graphQualityRow(s.name, h, counts.get(s.name)!, strata, opts));
  }
  return rows;
}
