/**
 * Result types of the systemic-risk measures (src/core/measures). The renderer, the
 * kernel's `dx` object and the CLI's `--json` output all read these shapes; field
 * names of `MeasuresResult` and `ProtocolMeasures` are part of the CLI interface
 * (`dexposure measures --json`), so add fields freely but never rename them.
 */
import type { NetworkMeasures } from './catalog';

/**
 * Which conventions to follow.
 * - `default`: the paper's text, made precise (docs/MEASURES.md, "Default mode").
 * - `parity`: the authors' published code (DeXposure-FM `macroprudential_tools.py`),
 *   quirks included, so a user can reproduce the paper's numbers (data-spec §5.1-5.5).
 */
export type MeasureMode = 'default' | 'parity';

export interface PagerankOptions {
  /** Damping factor (NetworkX default 0.85). */
  alpha?: number;
  /** Power-iteration cap (NetworkX default 100). */
  maxIterations?: number;
  /** Convergence when the L1 change of one iteration is below N * tolerance (NetworkX). */
  tolerance?: number;
  /** Use USD exposure weights (true, the authors' choice) or count edges. */
  weighted?: boolean;
  mode?: MeasureMode;
}

export interface PagerankResult {
  /** PageRank of node i at index i (sums to 1 when converged; all 0 on a parity-mode failure). */
  scores: Float64Array;
  iterations: number;
  converged: boolean;
}

/** Weights of the three SIS components; default 1/3 each (paper §6.2). */
export interface SisWeights {
  pagerank: number;
  tail: number;
  tvl: number;
}

export interface SisOptions extends PagerankOptions {
  weights?: Partial<SisWeights>;
  /** How many largest outgoing exposures make up the tail share (default 5). */
  tailK?: number;
}

/** SIS and its components, columnar (index i = node i of the snapshot). */
export interface SisResult {
  /** Raw PageRank. */
  pagerank: Float64Array;
  /** PageRank normalised to the common [0, 1] scale (see docs/MEASURES.md). */
  pagerankNorm: Float64Array;
  /** Share of the node's top-k outgoing exposures in all its outgoing exposure, in [0, 1]. */
  tailExposure: Float64Array;
  /** ln(1 + TVL), normalised to [0, 1]. */
  logTvlNorm: Float64Array;
  sis: Float64Array;
  weights: SisWeights;
  pagerankConverged: boolean;
  pagerankIterations: number;
}

/** One protocol's measures (object view, CLI JSON `protocols[]`). */
export interface ProtocolMeasures {
  id: string;
  name: string;
  category: string;
  tvl: number;
  pagerank: number;
  pagerankNorm: number;
  tailExposure: number;
  logTvlNorm: number;
  sis: number;
  /** 1-based rank by SIS (ties broken by id, ascending). */
  rank: number;
}

export type WatchlistEntry = ProtocolMeasures;

export interface SpilloverMatrix {
  /** Sector labels (the protocols' categories by default), sorted ascending. */
  sectors: string[];
  /** K x K, row-major: matrix[i][j] = total USD exposure held by sector i in sector j. */
  matrix: number[][];
  /** Sum of the off-diagonal cells (cross-sector exposure, USD). */
  total: number;
  /** HHI of the off-diagonal cells' shares of `total`; 0 when total is 0. */
  index: number;
}

export interface SpilloverOptions {
  mode?: MeasureMode;
  /** Group by raw category (default) or by the mapping's broad sector when the snapshot has it. */
  by?: 'category' | 'sector';
}

export interface MeasuresOptions extends SisOptions {
  spilloverBy?: 'category' | 'sector';
}

/** Every measure of one snapshot (CLI `dexposure measures --json`); the network
 *  measures (density, TVL HHI, ...) are those of ./catalog.ts. */
export interface MeasuresResult extends NetworkMeasures {
  week: string;
  kind: string;
  mode: MeasureMode;
  nodes: number;
  /** Edges the measures counted (rows in parity mode, distinct creditor-debtor pairs by default). */
  edges: number;
  totalTvl: number;
  sisWeights: SisWeights;
  pagerankConverged: boolean;
  pagerankIterations: number;
  /** Every protocol, ranked by SIS (highest first). */
  protocols: ProtocolMeasures[];
  spillover: SpilloverMatrix;
}
