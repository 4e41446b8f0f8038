/**
 * Types of the early-warning signals (src/core/warnings). `EarlyWarningResult` is the
 * CLI's `dexposure warnings --json` output: `series` and `alerts` field names are part
 * of the interface.
 */
import type { MeasureMode } from '../measures/types';
import { DEFAULT_WARNING_MEASURES, type NetworkMeasureKey, type NetworkMeasures } from '../measures/catalog';

/** Any network measure of src/core/measures/catalog.ts can be monitored. */
export type WarningMeasure = NetworkMeasureKey;

/** Monitored unless the caller picks others: density, TVL HHI and the spillover index. */
export const WARNING_MEASURES: readonly WarningMeasure[] = DEFAULT_WARNING_MEASURES;

/** One week of the series: the monitored measures (those asked for) and context. */
export interface WarningPoint extends Partial<NetworkMeasures> {
  week: string;
  /** Protocols and exposures that week (context for the series). */
  nodes: number;
  edges: number;
  totalTvl: number;
}

export interface WarningAlert {
  week: string;
  measure: WarningMeasure;
  /** (change - mean of the trailing changes) / their standard deviation. */
  zScore: number;
  /** Week-on-week change of the measure. */
  change: number;
  value: number;
}

export interface EarlyWarningOptions {
  /** Alert when |z| > k (default 2, the paper's "ΔHHI > 2σ"). */
  k?: number;
  /** Trailing window of week-on-week changes (default 8). */
  window?: number;
  /** Changes needed in the window before alerting (default 4). */
  minHistory?: number;
  measures?: WarningMeasure[];
  mode?: MeasureMode;
}

export interface EarlyWarningResult {
  /** The monitored measures, in the order alerts list them. */
  measures: WarningMeasure[];
  series: WarningPoint[];
  alerts: WarningAlert[];
  /** Weeks with at least one alert, ascending. */
  alertWeeks: string[];
  k: number;
  window: number;
  minHistory: number;
}
