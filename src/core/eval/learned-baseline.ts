/**
 * The learned pair baseline: no graph encoder, a logistic regression (existence) and
 * a ridge regression (log-weight) on per-pair features, fitted on the training
 * split's week pairs only (the evaluation streams the history in order and calls
 * `learn` on training week pairs before any test pair is scored).
 *
 * Features of (u, v) at anchor t, in three groups (ablations drop one group each,
 * trained on the same rows with the same iteration budget):
 *  - history: for the last `lags` weeks t, t-1, ...: u -> v present, v -> u present,
 *    and both log-weights; u -> v and v -> u ever seen up to t;
 *  - structure: ln(1 + degree) out and in of u and of v, Adamic-Adar, ln(1 + TVL) of u and v;
 *  - categories: one-hot category of u and of v (the training weeks' most common
 *    categories; the rest share one slot).
 */
import type { Snapshot } from '../snapshot/types';
import type { Forecaster } from './evaluate';
import type { PairList } from './baselines';
import { adamicAdar, degrees } from './baselines';
import { fitLad, fitLogistic, fitRidge, linearPredict, logistic, type LinearModel } from './logistic';

export type FeatureGroup = 'history' | 'structure' | 'categories';
export const FEATURE_GROUPS: readonly FeatureGroup[] = ['history', 'structure', 'categories'];

const SHIFT = 2 ** 22;

interface WeekEdges {
  week: string;
  lw: Map<number, number>; // gid(u) * SHIFT + gid(v) -> ln(1+w)
}

export interface PairModelOptions {
  lags?: number;
  groups?: readonly FeatureGroup[];
  maxCategories?: number;
  l2?: number;
  maxIter?: number;
  /** Also fit the log-weight by least absolute deviation (`magnitudeLad`, the `pair-lad` row). */
  lad?: boolean;
}

export class PairFeatureModel {
  private readonly ids = new Map<string, number>();
  private readonly recent: WeekEdges[] = [];
  private readonly ever = new Set<number>();
  private categories: string[] | undefined;
  private readonly categoryCount = new Map<string, number>();
  private rowsX = new Float32Array(1 << 16);
  private rowsXLen = 0;
  private readonly rowsY: number[] = [];
  private readonly rowsW: number[] = [];
  private readonly rowsPos: boolean[] = [];
  existence?: LinearModel;
  magnitude?: LinearModel;
  magnitudeLad?: LinearModel;
  readonly lags: number;
  readonly groups: readonly FeatureGroup[];

  constructor(private readonly opts: PairModelOptions = {}) {
    this.lags = opts.lags ?? 4;
    this.groups = opts.groups ?? FEATURE_GROUPS;
  }

  private gid(id: string): number {
    let g = this.ids.get(id);
    if (g === undefined) this.ids.set(id, (g = this.ids.size));
    return g;
  }

  observe(s: Snapshot): void {
    const lw = new Map<number, number>();
    for (let k = 0; k < s.edgeSource.length; k++) {
      const key = this.gid(s.ids[s.edgeSource[k]]) * SHIFT + this.gid(s.ids[s.edgeTarget[k]]);
      lw.set(key, Math.log1p(Math.max(s.edgeWeight[k], 0)));
      this.ever.add(key);
    }
    this.recent.unshift({ week: s.week, lw });
    if (this.recent.length > this.lags) this.recent.pop();
  }

  get width(): number {
    let w = 0;
    if (this.groups.includes('history')) w += 4 * this.lags + 2;
    if (this.groups.includes('structure')) w += 7;
    if (this.groups.includes('categories'))
      w += 2 * ((this.categories?.length ?? this.opts.maxCategories ?? 16) + 1);
    return w;
  }

  /** Feature rows for pairs of `anchor` (which must be the last observed week). */
  features(anchor: Snapshot, pairs: PairList): Float32Array {
    if (this.recent[0]?.week !== anchor.week)
      throw new Error(
        `eval/learned-baseline: features for ${anchor.week} asked before that week was observed (last ${this.recent[0]?.week ?? 'none'})`,
      );
    const P = pairs.length / 2;
    const width = this.width;
    const x = new Float32Array(P * width);
    const g = anchor.ids.map((id) => this.gid(id));
    const useH = this.groups.includes('history');
    const useS = this.groups.includes('structure');
    const useC = this.groups.includes('categories');
    const deg = useS ? degrees(anchor) : undefined;
    const aa = useS ? adamicAdar(anchor, pairs) : undefined;
    const cats = this.categories ?? [];
    const catIndex = new Map(cats.map((c, i) => [c, i]));
    for (let i = 0; i < P; i++) {
      const u = pairs[i];
      const v = pairs[P + i];
      const fwd = g[u] * SHIFT + g[v];
      const back = g[v] * SHIFT + g[u];
      let o = i * width;
      if (useH) {
        for (let l = 0; l < this.lags; l++) {
          const wk = this.recent[l];
          const a = wk?.lw.get(fwd);
          const b = wk?.lw.get(back);
          x[o++] = a === undefined ? 0 : 1;
          x[o++] = b === undefined ? 0 : 1;
          x[o++] = a ?? 0;
          x[o++] = b ?? 0;
        }
        x[o++] = this.ever.has(fwd) ? 1 : 0;
        x[o++] = this.ever.has(back) ? 1 : 0;
      }
      if (useS) {
        x[o++] = Math.log1p(deg!.out[u]);
        x[o++] = Math.log1p(deg!.in[u]);
        x[o++] = Math.log1p(deg!.out[v]);
        x[o++] = Math.log1p(deg!.in[v]);
        x[o++] = aa![i];
        x[o++] = Math.log1p(Math.max(anchor.tvl[u], 0));
        x[o++] = Math.log1p(Math.max(anchor.tvl[v], 0));
      }
      if (useC) {
        const k = cats.length + 1;
        x[o + (catIndex.get(anchor.categories[u]) ?? cats.length)] = 1;
        x[o + k + (catIndex.get(anchor.categories[v]) ?? cats.length)] = 1;
      }
    }
    return x;
  }

  /** Add training rows (pairs of a training week pair with their labels and true log-weights). */
  learn(anchor: Snapshot, pairs: PairList, label: ArrayLike<number>, yLw: ArrayLike<number>): void {
    if (this.existence) throw new Error('eval/learned-baseline: learn() after the model was fitted');
    // the category vocabulary is fixed by the first training week: rows keep one width
    if (!this.categories) {
      for (const c of anchor.categories) this.categoryCount.set(c, (this.categoryCount.get(c) ?? 0) + 1);
      this.categories = [...this.categoryCount]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, this.opts.maxCategories ?? 16)
        .map(([c]) => c);
    }
    const x = this.features(anchor, pairs);
    if (this.rowsXLen + x.length > this.rowsX.length) {
      const next = new Float32Array(Math.max(2 * this.rowsX.length, this.rowsXLen + x.length));
      next.set(this.rowsX.subarray(0, this.rowsXLen));
      this.rowsX = next;
    }
    this.rowsX.set(x, this.rowsXLen);
    this.rowsXLen += x.length;
    for (let i = 0; i < label.length; i++) {
      this.rowsY.push(label[i] > 0.5 ? 1 : 0);
      this.rowsW.push(yLw[i]);
      this.rowsPos.push(label[i] > 0.5);
    }
  }

  get trainingRows(): number {
    return this.rowsY.length;
  }

  fit(): void {
    if (this.existence) return;
    const cols = this.width;
    const rows = this.rowsY.length;
    if (rows === 0 || !this.rowsY.includes(1) || !this.rowsY.includes(0))
      throw new Error(
        'eval/learned-baseline: no training week pair with both positives and negatives (the history is too short for a training split)',
      );
    const x = this.rowsX.subarray(0, this.rowsXLen);
    this.existence = fitLogistic({ x, rows, cols }, this.rowsY, {
      l2: this.opts.l2 ?? 1,
      maxIter: this.opts.maxIter ?? 25,
    });
    const posRows = this.rowsPos.reduce((s, p) => s + (p ? 1 : 0), 0);
    const xp = new Float32Array(posRows * cols);
    const tp = new Float64Array(posRows);
    let r = 0;
    for (let i = 0; i < rows; i++) {
      if (!this.rowsPos[i]) continue;
      xp.set(x.subarray(i * cols, (i + 1) * cols), r * cols);
      tp[r++] = this.rowsW[i];
    }
    this.magnitude = fitRidge({ x: xp, rows: posRows, cols }, tp, { l2: this.opts.l2 ?? 1 });
    if (this.opts.lad) this.magnitudeLad = fitLad({ x: xp, rows: posRows, cols }, tp, { l2: this.opts.l2 ?? 1 });
    this.rowsX = new Float32Array(0);
    this.rowsXLen = 0;
  }

  /** Existence probability and log-weight per pair; `magnitude` 'lad' needs the `lad` option. */
  predict(anchor: Snapshot, pairs: PairList, magnitude: 'ridge' | 'lad' = 'ridge'): { score: Float64Array; logWeight: Float64Array } {
    this.fit();
    const P = pairs.length / 2;
    const d = { x: this.features(anchor, pairs), rows: P, cols: this.width };
    const logit = linearPredict(this.existence!, d);
    const m = magnitude === 'lad' ? this.magnitudeLad : this.magnitude;
    if (!m) throw new Error('eval/learned-baseline: the least-absolute-deviation magnitude was not fitted (option lad)');
    const lw = linearPredict(m, d);
    return {
      score: Float64Array.from(logit, logistic),
      logWeight: Float64Array.from(lw, (w) => Math.max(w, 0)),
    };
  }
}

/** The learned pair baseline as a forecaster ("pair-logreg", or "pair-logreg -<group>" for an ablation). */
export function learnedPairForecaster(
  opts: PairModelOptions & { name?: string } = {},
): Forecaster & { model: PairFeatureModel } {
  const model = new PairFeatureModel(opts);
  const dropped = FEATURE_GROUPS.filter((g) => !(opts.groups ?? FEATURE_GROUPS).includes(g));
  return {
    name: opts.name ?? (dropped.length ? `pair-logreg -${dropped.join('-')}` : 'pair-logreg'),
    probabilities: true,
    model,
    observe: (s) => model.observe(s),
    learn: (anchor, pairs, label, yLw) => model.learn(anchor, pairs, label, yLw),
    score: (anchor, _prev, pairs) => model.predict(anchor, pairs),
  };
}

/**
 * `pair-logreg` and `pair-lad` from one fitted model: the same features, training rows and
 * existence score; `pair-lad` predicts the log-weight by least absolute deviation instead
 * of ridge (the MAE the weights are scored on rewards the conditional median, not the
 * mean). `pair-lad` only reads the shared model, so it must come after `pair-logreg` in
 * the forecaster list (the evaluation feeds every forecaster a week before scoring any).
 */
export function learnedPairForecasters(opts: PairModelOptions = {}): [Forecaster & { model: PairFeatureModel }, Forecaster] {
  const logreg = learnedPairForecaster({ ...opts, lad: true });
  const model = logreg.model;
  return [
    logreg,
    { name: 'pair-lad', probabilities: true, score: (anchor, _prev, pairs) => model.predict(anchor, pairs, 'lad') },
  ];
}
