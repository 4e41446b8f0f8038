/**
 * Types of the DebtRank-style stress tester (src/core/stress). These are domain
 * results; the stress view (src/core/display/stress-view.ts) and `dexposure stress
 * --json` both present them through `stressFigures` (./figures.ts). The CLI's JSON
 * prints these field names (week, scenario, systemLossPct, depth, affected,
 * distressed, losses, ...), so never rename them.
 */
import type { MeasureMode } from '../measures/types';
import type { ContagionRound, ProtocolLoss, StressFigures } from './records';

export type { ContagionRound, ProtocolLoss, StressFigures };

/** One shock in a scenario: a selection of protocols and the loss ratio they take. */
export type Shock =
  /** Named protocols (snapshot ids). */
  | { kind: 'protocols'; ids: string[]; loss: number }
  /** The n largest protocols by TVL. */
  | { kind: 'top'; n: number; loss: number }
  /** Every protocol whose category matches one of `categories` (case-insensitive;
   *  `match: 'exact'` (default) compares whole strings, `'substring'` looks inside). */
  | { kind: 'categories'; categories: string[]; match?: 'exact' | 'substring'; loss: number }
  /** Token de-peg: every holder of one of `tokens` loses `loss` x the USD value it
   *  holds of that token (needs the snapshot's composition table). */
  | { kind: 'tokens'; tokens: string[]; loss: number };

/** A stress scenario: a plain object a user can write in a notebook cell. */
export interface Scenario {
  name: string;
  description?: string;
  shocks: Shock[];
}

export interface StressOptions {
  mode?: MeasureMode;
  /** A creditor becomes distressed when its loss exceeds threshold x TVL (default 0.1). */
  threshold?: number;
  /** Round cap (default 100; parity mode 10 as in the authors' code). */
  maxRounds?: number;
}

/** The initial shock resolved against one snapshot. */
export interface ResolvedShock {
  /** Node indices with a positive initial loss, ascending. */
  targets: Int32Array;
  /** Initial loss (USD) of each target, aligned with `targets`. */
  initialLoss: Float64Array;
  /** Ids named by the scenario that the snapshot lacks or that have no TVL. */
  ignored: string[];
}

export interface StressResult extends StressFigures {
  /** The graph the test ran on: its kind, or its label in a comparison. */
  label?: string;
  week: string;
  mode: MeasureMode;
  scenario: string;
  threshold: number;
  /** Shocked protocol ids (round 0), ascending. */
  shocked: string[];
  /** Named protocols the scenario could not shock here (absent or zero TVL). */
  ignored: string[];
  /** Rounds actually run (parity: the authors' `propagation_rounds`). */
  roundsRun: number;
  /** Per-protocol losses, every protocol with a positive loss, largest first. */
  losses: ProtocolLoss[];
  rounds: ContagionRound[];
  /** Loss (USD) of node i at index i. */
  lossByNode: Float64Array;
  /** Round in which node i became distressed (0 = shocked), -1 if never. */
  distressedRound: Int32Array;
}

/** One graph of a comparison: a label ('observed', 'predicted', 'realised', ...) and a snapshot. */
export interface LabelledSnapshot<S> {
  label: string;
  snapshot: S;
}

export interface StressComparison {
  scenario: string;
  /** Ids present in every graph; the simulations run on this node set. */
  commonNodes: number;
  /** Ids shocked on every graph (resolved once, on the first graph's common subgraph). */
  shocked: string[];
  results: StressResult[];
}

/** One week x scenario case of the predictive stress test (system loss %, Table 4). */
export interface PredictiveCase {
  observed: number;
  predicted: number;
  realised: number;
  horizon?: number;
  week?: string;
  scenario?: string;
}

/** Table 4 row: ΔMAE = MAE(persistence) − MAE(model), positive = the model is better. */
export interface PredictiveSummaryRow {
  horizon: number | null;
  cases: number;
  maeModel: number;
  maeBaseline: number;
  deltaMAE: number;
  /** Cases with the largest persistence error: ceil(0.2 n). */
  worstCases: number;
  deltaMAEWorst: number;
  /** Share of the worst cases where the model's error is strictly below persistence's. */
  winRateWorst: number;
}

export interface PredictiveSummary {
  overall: PredictiveSummaryRow;
  byHorizon: PredictiveSummaryRow[];
}

export type SweepSpec = { shockSizes: number[]; thresholds?: undefined } | { thresholds: number[]; shockSizes?: undefined };

export interface SweepResult {
  scenario: string;
  parameter: 'shockSize' | 'threshold';
  values: number[];
  systemLossPct: number[];
  totalLoss: number[];
  distressed: number[];
  affected: number[];
  depth: number[];
}
