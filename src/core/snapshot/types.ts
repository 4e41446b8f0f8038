/**
 * The weekly exposure snapshot: the one shape every loader produces and every
 * measure, stress test, feature builder and forecast consumes.
 *
 * Columnar on purpose: a full-scale week has ~5,700 protocols and ~30,000 exposures
 * (up to ~11k / ~74k in 2025), measures must run in tens of milliseconds, and the
 * columns map one-to-one onto the Arrow cache. Use `protocols()` / `exposures()` in
 * ./access for an object view.
 *
 * Direction: an exposure edge p -> q means p holds tokens issued by q, i.e. p is a
 * creditor of q and loses when q is distressed (PAPER-NOTES "Exposure"; the
 * authors' stress code reads edge src -> dst the same way, data-spec §5.4).
 */

/** Token holdings of every protocol, as a CSR layout: node i holds
 *  tokens[offsets[i] .. offsets[i+1]) with USD values in values[...]. */
export interface CompositionTable {
  offsets: Uint32Array; // length N + 1
  tokens: string[]; // token symbols, length offsets[N]
  values: Float64Array; // USD, length offsets[N]
}

export type SnapshotKind = 'observed' | 'forecast' | 'realised';

export interface Snapshot {
  /** Monday of the week, ISO YYYY-MM-DD. */
  week: string;
  kind: SnapshotKind;
  /** Node columns, all of length N. */
  ids: string[];
  names: string[];
  /** Raw DefiLlama category from meta_df.csv, or "Unknown" when the id has none. */
  categories: string[];
  /** Broad sector from mapping/id_to_info.json when known, else "Unknown". */
  sectors?: string[];
  /** Chains the protocol is deployed on, when known. */
  chains?: (string[] | undefined)[];
  /** Total value locked in USD (node weight w(p)); finite, >= 0. */
  tvl: Float64Array;
  composition?: CompositionTable;
  /** Edge columns, all of length E; source/target are node indices into ids. */
  edgeSource: Int32Array;
  edgeTarget: Int32Array;
  /** USD exposure weight; finite, >= 0. */
  edgeWeight: Float64Array;
  /** Forecast graphs only: predicted existence probability of each edge. */
  edgeProbability?: Float64Array;
  /** Forecast graphs only: the week and horizon the forecast was made from. */
  forecast?: { fromWeek: string; horizon: number; model: string };
}

/** A plain protocol record (object view of one node). */
export interface Protocol {
  id: string;
  name: string;
  category: string;
  sector?: string;
  chains?: string[];
  tvl: number;
  composition?: Record<string, number>;
}

/** A plain exposure record (object view of one edge). */
export interface Exposure {
  source: string;
  target: string;
  weight: number;
  probability?: number;
}

export const UNKNOWN_CATEGORY = 'Unknown';
