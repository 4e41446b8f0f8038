/**
 * `pair-median`: a weight baseline that predicts a pair's log-weight at t + h from its
 * own log-weights over the last `k` weeks (t - k + 1 .. t). A held position's weight is a
 * persistent level times the week's market scale, which swings from week to week around
 * a slowly moving level: the median of a quarter's weeks estimates the level, where the
 * last week's weight carries the last swing in full; a young position still growing in
 * is better followed from its last weight; a pair that recurs as unrelated one-week flows
 * is best given the typical flow. So the pairs linked at t are grouped by how many of the
 * k weeks they were linked (1 .. k), and each group uses whichever of three predictors
 * had the lowest MAE on the training week pairs' positives of that group: the pair's
 * median plus a drift, its last log-weight plus a drift, or the group's median log-weight
 * at t + h (each drift: the median of y minus the predictor over the group). A pair not
 * linked at t whose reverse is (a position that may turn around) is one more group, with
 * the same three choices on the reverse's weights; the other pairs not linked at t get
 * the median log-weight of such pairs at t + h. Its existence score is the share of the
 * k weeks in which the pair was linked.
 */
import type { Snapshot } from '../snapshot/types';
import type { Forecaster } from './evaluate';
import type { PairList } from './baselines';
import { median } from '../median';

/** One direction's recent history at the anchor week. */
export interface WindowStats {
  /** Median ln(1 + w) over the weeks of the window it was linked (NaN when none). */
  median: number;
  /** ln(1 + w) at the anchor week (NaN when not linked at t). */
  last: number;
  /** Weeks of the window it was linked. */
  weeks: number;
}

/** A pair's history, and its reverse's (absent: never linked that way in the window). */
export interface PairHistory extends WindowStats {
  reverse?: WindowStats;
}

export type PairMedianChoice = { use: 'median' | 'last'; drift: number } | { use: 'constant'; value: number };

export interface PairMedianRule {
  /**
   * Index w in 1 .. k: pairs linked at t and in w of the k weeks; k + 1: not linked at t,
   * the reverse linked at t (its weights used); 0: the others, always a constant.
   */
  groups: PairMedianChoice[];
}

function groupOf(p: PairHistory, k: number): number {
  if (!Number.isNaN(p.last)) return Math.min(p.weeks, k);
  return p.reverse && !Number.isNaN(p.reverse.last) ? k + 1 : 0;
}

/** The weights a group's predictor reads: the pair's own, or its reverse's in group k + 1. */
const statsOf = (p: PairHistory, g: number, k: number): WindowStats => (g === k + 1 ? p.reverse! : p);

function apply(c: PairMedianChoice, w: WindowStats): number {
  if (c.use === 'constant') return c.value;
  return Math.max(0, (c.use === 'median' ? w.median : w.last) + c.drift);
}

export function predictPairMedian(rule: PairMedianRule, p: PairHistory): number {
  const k = rule.groups.length - 2;
  const g = groupOf(p, k);
  return apply(rule.groups[g], statsOf(p, g, k));
}

/**
 * Per group, the choice with the lowest training MAE (ties in the order median, last,
 * constant). A group without training rows takes a constant: the median y of all rows
 * linked at t for index 1 .. k, of all rows for 0 and k + 1.
 */
export function fitPairMedianRule(rows: readonly PairHistory[], y: ArrayLike<number>, k: number): PairMedianRule {
  if (!rows.length) throw new Error('eval/pair-median-baseline: no training positives to fit the rule on');
  const byGroup: number[][] = Array.from({ length: k + 2 }, () => []);
  rows.forEach((r, i) => byGroup[groupOf(r, k)].push(i));
  const all = median(Array.from(y));
  const linkedRows = byGroup.slice(1, k + 1).flat();
  const linkedConst = linkedRows.length ? median(linkedRows.map((i) => y[i])) : all;
  const groups: PairMedianChoice[] = byGroup.map((idx, g) => {
    if (!idx.length) return { use: 'constant', value: g === 0 || g === k + 1 ? all : linkedConst };
    const ys = idx.map((i) => y[i]);
    const stats = idx.map((i) => statsOf(rows[i], g, k));
    const candidates: PairMedianChoice[] = [];
    if (g > 0) {
      for (const use of ['median', 'last'] as const)
        candidates.push({ use, drift: median(idx.map((i, j) => y[i] - (use === 'median' ? stats[j].median : stats[j].last))) });
    }
    candidates.push({ use: 'constant', value: median(ys) });
    let best = candidates[0];
    let bestErr = Infinity;
    for (const c of candidates) {
      let err = 0;
      idx.forEach((i, j) => (err += Math.abs(apply(c, stats[j]) - y[i])));
      if (err < bestErr - 1e-12) {
        best = c;
        bestErr = err;
      }
    }
    return best;
  });
  return { groups };
}

const SHIFT = 2 ** 22;

/** The last `k` observed weeks' log-weights per directed pair (last duplicate wins, as the evaluation's positives). */
export class RecentWeights {
  private readonly ids = new Map<string, number>();
  private readonly weeks: { week: string; lw: Map<number, number> }[] = [];

  constructor(readonly k = 13) {
    if (!(Number.isInteger(k) && k >= 1)) throw new Error(`eval/pair-median-baseline: k must be a positive integer, got ${k}`);
  }

  private gid(id: string): number {
    let g = this.ids.get(id);
    if (g === undefined) this.ids.set(id, (g = this.ids.size));
    return g;
  }

  observe(s: Snapshot): void {
    if (this.weeks.length && s.week <= this.weeks[0].week) this.weeks.length = 0; // a new history
    const g = s.ids.map((id) => this.gid(id));
    const lw = new Map<number, number>();
    for (let e = 0; e < s.edgeSource.length; e++) lw.set(g[s.edgeSource[e]] * SHIFT + g[s.edgeTarget[e]], Math.log1p(Math.max(s.edgeWeight[e], 0)));
    this.weeks.unshift({ week: s.week, lw });
    if (this.weeks.length > this.k) this.weeks.pop();
  }

  /** Histories of the pairs of `anchor`, which must be the last observed week. */
  histories(anchor: Snapshot, pairs: PairList): PairHistory[] {
    if (this.weeks[0]?.week !== anchor.week)
      throw new Error(`eval/pair-median-baseline: pairs of ${anchor.week} asked while the last observed week is ${this.weeks[0]?.week ?? 'none'}`);
    const P = pairs.length / 2;
    const out: PairHistory[] = new Array(P);
    const xs: number[] = [];
    const stats = (key: number): WindowStats => {
      xs.length = 0;
      for (const w of this.weeks) {
        const x = w.lw.get(key);
        if (x !== undefined) xs.push(x);
      }
      return { median: median(xs), last: this.weeks[0].lw.get(key) ?? NaN, weeks: xs.length };
    };
    for (let i = 0; i < P; i++) {
      const u = this.gid(anchor.ids[pairs[i]]);
      const v = this.gid(anchor.ids[pairs[P + i]]);
      const h: PairHistory = stats(u * SHIFT + v);
      const r = stats(v * SHIFT + u);
      if (r.weeks) h.reverse = r;
      out[i] = h;
    }
    return out;
  }
}

/** `pair-median` as a yardstick forecaster, fitted on the training week pairs' positives. */
export function pairMedianForecaster(opts: { k?: number } = {}): Forecaster & { rule(): PairMedianRule } {
  const recent = new RecentWeights(opts.k ?? 13);
  const rows: PairHistory[] = [];
  const ys: number[] = [];
  let rule: PairMedianRule | undefined;
  const fitted = () => (rule ??= fitPairMedianRule(rows, ys, recent.k));
  return {
    name: 'pair-median',
    probabilities: false,
    rule: fitted,
    observe: (s) => recent.observe(s),
    learn: (anchor, pairs, label, yLw) => {
      if (rule) throw new Error('eval/pair-median-baseline: learn() after the rule was fitted');
      const hs = recent.histories(anchor, pairs);
      for (let i = 0; i < label.length; i++) {
        if (label[i] !== 1) continue;
        rows.push(hs[i]);
        ys.push(yLw[i]);
      }
    },
    score: (anchor, _prev, pairs) => {
      const r = fitted();
      const hs = recent.histories(anchor, pairs);
      return {
        score: Float64Array.from(hs, (p) => p.weeks / recent.k),
        logWeight: Float64Array.from(hs, (p) => predictPairMedian(r, p)),
      };
    },
  };
}
