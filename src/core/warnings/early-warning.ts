/**
 * Early-warning signals over a range of weeks: density, TVL HHI and the spillover index
 * as time series, and alerts when a week-on-week change stands out from the recent ones.
 *
 * Reference: the paper (Figure 5, "alert when ΔHHI_t > 2σ"; PAPER-NOTES), which the
 * authors' FM code never implements (data-spec §5.7). Our rule, close to CLAW's monitor
 * (`|x - μ| / σ > 2` over a trailing window, population σ) but on CHANGES, as the paper
 * states it: with d_t = x_t - x_(t-1), alert at week t when
 *   |d_t - mean(d over the previous `window` changes)| > k · std(same changes),
 * once at least `minHistory` earlier changes exist. A flat window (σ = 0) would make
 * z infinite, so σ is floored at 1e-9 x |x_(t-1)| (any change after a flat stretch is an alert).
 */
import { MeasureContext, NETWORK_MEASURES, networkMeasures } from '../measures/catalog';
import type { MeasureMode } from '../measures/types';
import type { Snapshot } from '../snapshot/types';
import { WARNING_MEASURES } from './types';
import type { EarlyWarningOptions, EarlyWarningResult, WarningAlert, WarningMeasure, WarningPoint } from './types';

const M = 'warnings/early-warning';

/** The tracked measures of one week (same definitions as computeMeasures). */
export function warningPoint(s: Snapshot, opts: { mode?: MeasureMode; measures?: readonly WarningMeasure[] } = {}): WarningPoint {
  const ctx = new MeasureContext(s, { mode: opts.mode });
  return { week: s.week, ...networkMeasures(ctx, opts.measures ?? WARNING_MEASURES), nodes: ctx.nodes, edges: ctx.edges, totalTvl: ctx.totalTvl };
}

function resolve(opts: EarlyWarningOptions): { k: number; window: number; minHistory: number; measures: readonly (keyof WarningPoint & string)[] } {
  const k = opts.k ?? 2;
  const window = opts.window ?? 8;
  const minHistory = opts.minHistory ?? Math.min(4, window);
  if (!(typeof k === 'number' && k > 0 && Number.isFinite(k))) throw new Error(`${M}: k must be a finite number > 0, got ${String(k)}`);
  if (!Number.isInteger(window) || window < 2) throw new Error(`${M}: window must be an integer >= 2, got ${String(window)}`);
  if (!Number.isInteger(minHistory) || minHistory < 2 || minHistory > window) throw new Error(`${M}: minHistory must be an integer in [2, window = ${window}], got ${String(minHistory)}`);
  const measures = opts.measures ?? WARNING_MEASURES;
  for (const m of measures) if (!NETWORK_MEASURES.some((d) => d.key === m)) throw new Error(`${M}: unknown measure "${String(m)}" (known: ${NETWORK_MEASURES.map((d) => d.key).join(', ')})`);
  return { k, window, minHistory, measures };
}

/** Alerts on a precomputed series (weeks ascending). */
export function detectAlerts(series: WarningPoint[], opts: EarlyWarningOptions = {}): EarlyWarningResult {
  const { k, window, minHistory, measures } = resolve(opts);
  for (let i = 1; i < series.length; i++) {
    if (!(series[i].week > series[i - 1].week)) throw new Error(`${M}: weeks must be strictly ascending; ${series[i].week} follows ${series[i - 1].week}`);
  }
  const alerts: WarningAlert[] = [];
  for (const m of measures) {
    const x = series.map((p) => p[m] as number);
    x.forEach((v, i) => {
      if (v === undefined) throw new Error(`${M}: week ${series[i].week} has no ${m} (compute the series with warningPoint(s, { measures }) for the measures you monitor)`);
      if (!Number.isFinite(v)) throw new Error(`${M}: ${m} of week ${series[i].week} is not a finite number (${v})`);
    });
    const d = x.slice(1).map((v, i) => v - x[i]);
    for (let j = 0; j < d.length; j++) {
      const lo = Math.max(0, j - window);
      const hist = d.slice(lo, j);
      if (hist.length < minHistory) continue;
      const mu = hist.reduce((a, b) => a + b, 0) / hist.length;
      const sd = Math.sqrt(hist.reduce((a, b) => a + (b - mu) * (b - mu), 0) / hist.length);
      const floor = 1e-9 * Math.abs(x[j]);
      const sigma = Math.max(sd, floor);
      const dev = d[j] - mu;
      if (sigma === 0) {
        if (dev === 0) continue;
        // Level and window both exactly zero: no scale to measure against; report the jump.
        alerts.push({ week: series[j + 1].week, measure: m as WarningAlert['measure'], zScore: dev > 0 ? Number.MAX_VALUE : -Number.MAX_VALUE, change: d[j], value: x[j + 1] });
        continue;
      }
      const z = dev / sigma;
      if (Math.abs(z) > k) alerts.push({ week: series[j + 1].week, measure: m as WarningAlert['measure'], zScore: z, change: d[j], value: x[j + 1] });
    }
  }
  alerts.sort((a, b) => (a.week < b.week ? -1 : a.week > b.week ? 1 : measures.indexOf(a.measure) - measures.indexOf(b.measure)));
  return { measures: [...measures] as WarningMeasure[], series, alerts, alertWeeks: [...new Set(alerts.map((a) => a.week))], k, window, minHistory };
}

/** Early-warning series and alerts over snapshots (sorted by week here). */
export function earlyWarnings(snapshots: Snapshot[], opts: EarlyWarningOptions = {}): EarlyWarningResult {
  const sorted = [...snapshots].sort((a, b) => (a.week < b.week ? -1 : a.week > b.week ? 1 : 0));
  return detectAlerts(
    sorted.map((s) => warningPoint(s, { mode: opts.mode, measures: opts.measures })),
    opts,
  );
}
