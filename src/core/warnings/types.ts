/**
 * Types of the early-warning signals (src/core/warnings). `EarlyWarningResult` is the
 * CLI's `dexposure warnings --json` output: `series` and `alerts` field names are part
 * of the interface.
 */
import type { MeasureMode } from '../measures/types';

export type WarningMeasure = 'density' | 'tvlHHI' | 'spilloverIndex';

export const WARNING_MEASURES: readonly WarningMeasure[] = ['density', 'tvlHHI', 'spilloverIndex'];

export interface WarningPoint {
  week: string;
  density: number;
  tvlHHI: number;
  spilloverIndex: number;
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
  series: WarningPoint[];
  alerts: WarningAlert[];
  /** Weeks with at least one alert, ascending. */
  alertWeeks: string[];
  k: number;
  window: number;
  minHistory: number;
}
