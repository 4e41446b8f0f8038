/**
 * Forecast-then-measure (the paper's Figure 4) and predictive stress testing
 * (Table 4, Figures 2-3): for every test anchor t and horizon h, a forecaster turns
 * G_t into a predicted graph G^(t+h); the systemic-risk measures and the stress
 * scenarios are computed on G^(t+h) and on the realised G_(t+h), and (for stress)
 * on G_t as the persistence baseline, on the three graphs' common node set
 * (stress/compareStress).
 *
 * Figure 4 reports R^2 per metric and horizon; we give both the coefficient of
 * determination of the realised values by the predicted ones (scikit-learn's
 * `r2_score(actual, predicted)`, can be negative) and the squared Pearson
 * correlation (the usual reading of a scatter's R^2), since the paper's text does
 * not say which it used.
 */
import type { Snapshot } from '../snapshot/types';
import type { SnapshotSource } from '../trainingset/export';
import { computeMeasures } from '../measures/compute';
import type { MeasureMode } from '../measures/types';
import { compareStress, predictiveStressSummary } from '../stress/run';
import type { PredictiveCase, PredictiveSummary, Scenario } from '../stress/types';
import type { PresetName } from '../stress/scenario';
import { holdoutSplit, type SplitOptions } from './split';
import type { NetworkMeasureKey } from '../measures/catalog';
import { addWeeks, DEFAULT_HORIZONS } from '../weeks';

/** Turns the anchor week (and the week before it) into a predicted graph h weeks ahead. */
export type GraphForecaster = (anchor: Snapshot, previous: Snapshot | undefined, horizon: number) => Promise<Snapshot> | Snapshot;

/** The persistence forecast: G^(t+h) = G_t. */
export const persistenceGraph: GraphForecaster = (anchor, _previous, horizon) => ({
  ...anchor,
  kind: 'forecast',
  forecast: { fromWeek: anchor.week, horizon, model: 'persistence' },
});

/** The paper's Figure 4 measures, in its order (network measures of src/core/measures/catalog.ts). */
export const FIGURE4_METRICS = ['tvlHHI', 'density', 'meanSIS', 'spilloverIndex'] as const satisfies readonly NetworkMeasureKey[];
export type Figure4Metric = (typeof FIGURE4_METRICS)[number];

export interface MeasurePoint {
  horizon: number;
  anchor: string;
  week: string;
  metric: Figure4Metric;
  predicted: number;
  actual: number;
}

export interface FitSummary {
  horizon: number;
  metric: Figure4Metric;
  n: number;
  r2: number;
  pearsonR2: number;
  mae: number;
}

export interface StressCaseRow extends PredictiveCase {
  horizon: number;
  week: string;
  scenario: string;
  commonNodes: number;
}

export interface ForecastEvaluation {
  model: string;
  testWeeks: string[];
  points: MeasurePoint[];
  fits: FitSummary[];
  stressCases: StressCaseRow[];
  /** Table 4: dMAE = MAE(persistence) - MAE(model), worst 20% by persistence error, win rate. */
  stressSummary: PredictiveSummary;
}

export interface ForecastEvaluationOptions {
  horizons?: readonly number[];
  scenarios?: (PresetName | Scenario)[];
  mode?: MeasureMode;
  split?: SplitOptions;
  /** Evaluate only these anchor weeks (default: every test anchor with its target in the test split). */
  anchors?: string[];
  onProgress?: (week: string, index: number, total: number) => void;
  signal?: AbortSignal;
}

/** Coefficient of determination of `actual` by `predicted` (scikit-learn r2_score). */
export function r2Score(actual: number[], predicted: number[]): number {
  const n = actual.length;
  if (n < 2) return NaN;
  const mean = actual.reduce((s, x) => s + x, 0) / n;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < n; i++) {
    ssRes += (actual[i] - predicted[i]) ** 2;
    ssTot += (actual[i] - mean) ** 2;
  }
  if (ssTot === 0) return ssRes === 0 ? 1 : 0; // scikit-learn's convention for a constant target
  return 1 - ssRes / ssTot;
}

export function pearsonR2(x: number[], y: number[]): number {
  const n = x.length;
  if (n < 2) return NaN;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxx === 0 || syy === 0 ? NaN : (sxy * sxy) / (sxx * syy);
}

export async function evaluateForecastGraphs(source: SnapshotSource, model: string, forecast: GraphForecaster, opts: ForecastEvaluationOptions = {}): Promise<ForecastEvaluation> {
  const horizons = [...new Set(opts.horizons ?? DEFAULT_HORIZONS)].sort((a, b) => a - b);
  const scenarios = opts.scenarios ?? ['top1', 'top5', 'bridge'];
  const mode = opts.mode ?? 'default';
  const weeks = [...source.weeks].sort();
  const test = new Set(holdoutSplit(weeks, opts.split).test);
  const anchorFilter = opts.anchors ? new Set(opts.anchors) : undefined;
  const maxH = horizons[horizons.length - 1];
  const keep = new Map<string, { snap: Snapshot; previous?: Snapshot }>();
  const points: MeasurePoint[] = [];
  const stressCases: StressCaseRow[] = [];
  let previous: Snapshot | undefined;

  for (let i = 0; i < weeks.length; i++) {
    if (opts.signal?.aborted) throw new Error('eval/forecast-then-measure: cancelled');
    const week = weeks[i];
    const snap = await source.snapshot(week);
    if (test.has(week)) {
      const actual = computeMeasures(snap, { mode });
      for (const h of horizons) {
        const anchorWeek = addWeeks(week, -h);
        const a = keep.get(anchorWeek);
        if (!a || !test.has(anchorWeek) || (anchorFilter && !anchorFilter.has(anchorWeek))) continue;
        const predicted = await forecast(a.snap, a.previous, h);
        const pm = computeMeasures(predicted, { mode });
        for (const metric of FIGURE4_METRICS) points.push({ horizon: h, anchor: anchorWeek, week, metric, predicted: pm[metric], actual: actual[metric] });
        for (const sc of scenarios) {
          const cmp = compareStress(
            [
              { label: 'observed', snapshot: a.snap },
              { label: 'predicted', snapshot: predicted },
              { label: 'realised', snapshot: snap },
            ],
            sc,
            { mode },
          );
          const [o, p, r] = cmp.results.map((x) => x.systemLossPct);
          stressCases.push({ horizon: h, week: anchorWeek, scenario: cmp.scenario, commonNodes: cmp.commonNodes, observed: o, predicted: p, realised: r });
        }
      }
    }
    keep.set(week, { snap, previous });
    for (const w of [...keep.keys()]) if (w < addWeeks(week, -maxH)) keep.delete(w);
    previous = snap;
    opts.onProgress?.(week, i, weeks.length);
  }

  const fits: FitSummary[] = [];
  for (const h of horizons) {
    for (const metric of FIGURE4_METRICS) {
      const ps = points.filter((p) => p.horizon === h && p.metric === metric);
      const act = ps.map((p) => p.actual);
      const pred = ps.map((p) => p.predicted);
      fits.push({ horizon: h, metric, n: ps.length, r2: r2Score(act, pred), pearsonR2: pearsonR2(pred, act), mae: ps.length ? ps.reduce((s, p) => s + Math.abs(p.predicted - p.actual), 0) / ps.length : NaN });
    }
  }
  return { model, testWeeks: [...test].sort(), points, fits, stressCases, stressSummary: predictiveStressSummary(stressCases) };
}
