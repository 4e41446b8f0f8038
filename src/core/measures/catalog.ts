/**
 * The network-level measures of one snapshot, one descriptor each ({ key, label, digits,
 * format, compute }), after sigma.js's declarative programs: computeMeasures, the
 * early-warning series, the CLI tables, the risk summary and graph comparisons all list
 * measures from here, so a new measure is one entry in NETWORK_MEASURES.
 *
 * Definitions follow the authors' `compute_network_risk_metrics` (data-spec §5.3);
 * parity mode counts every positive edge row (duplicates and self-loops included) as the
 * authors' array snapshot does, default mode counts distinct creditor-debtor pairs
 * without self-loops (docs/MEASURES.md).
 */
import type { Snapshot } from '../snapshot/types';
import { adjacency, type Adjacency } from './adjacency';
import { giniPositive, hhi, topShare } from './concentration';
import { sis } from './sis';
import { spilloverMatrix } from './spillover';
import type { MeasureMode, MeasuresOptions, SisResult, SpilloverMatrix } from './types';

/**
 * What the measures of one snapshot share (adjacency, SIS, spillover matrix, degrees),
 * each computed once and only when a measure asks for it: the early-warning series, which
 * needs no SIS, never runs PageRank.
 */
export class MeasureContext {
  readonly mode: MeasureMode;
  readonly nodes: number;
  private adj?: Adjacency;
  private sisResult?: SisResult;
  private spill?: SpilloverMatrix;
  private deg?: { degree: Float64Array; sumIn: number; maxIn: number };

  constructor(
    readonly snapshot: Snapshot,
    readonly options: MeasuresOptions = {},
  ) {
    this.mode = options.mode ?? 'default';
    this.nodes = snapshot.ids.length;
  }

  get adjacency(): Adjacency {
    return (this.adj ??= adjacency(this.snapshot, this.mode === 'parity' ? 'rows' : 'sum-noself'));
  }

  /** Edges the measures count: every row in parity mode, distinct pairs by default. */
  get edges(): number {
    return this.mode === 'parity' ? this.snapshot.edgeSource.length : this.adjacency.edgeCount;
  }

  get edgeWeights(): ArrayLike<number> {
    return this.mode === 'parity' ? this.snapshot.edgeWeight : this.adjacency.outWeight;
  }

  get totalTvl(): number {
    let t = 0;
    for (let i = 0; i < this.nodes; i++) t += this.snapshot.tvl[i];
    return t;
  }

  get sis(): SisResult {
    return (this.sisResult ??= sis(this.snapshot, this.options));
  }

  get spillover(): SpilloverMatrix {
    return (this.spill ??= spilloverMatrix(this.snapshot, { mode: this.mode, by: this.options.spilloverBy }));
  }

  get degrees(): { degree: Float64Array; sumIn: number; maxIn: number } {
    if (this.deg) return this.deg;
    const a = this.adjacency;
    const degree = new Float64Array(this.nodes);
    let sumIn = 0;
    let maxIn = 0;
    for (let i = 0; i < this.nodes; i++) {
      const din = a.inStart[i + 1] - a.inStart[i];
      degree[i] = din + a.outStart[i + 1] - a.outStart[i];
      sumIn += din;
      if (din > maxIn) maxIn = din;
    }
    return (this.deg = { degree, sumIn, maxIn });
  }
}

/** How a value reads in a table: a plain number, a share shown as a percentage, dollars, or a count. */
export type MeasureFormat = 'number' | 'share' | 'usd' | 'count';

export interface MeasureDescriptor<K extends string = string> {
  /** Field name in MeasuresResult and in `--json` output (never renamed). */
  key: K;
  /** Column and row label for people. */
  label: string;
  /** Digits after the point in text tables. */
  digits: number;
  format: MeasureFormat;
  description: string;
  /** Tracked by the early-warning monitor unless the user picks others. */
  warning?: boolean;
  /** Factor for charts that share one axis with other measures (density is ~1e-3). */
  chartScale?: number;
  compute(ctx: MeasureContext): number;
}

const measure = <const K extends string>(d: MeasureDescriptor<K>): MeasureDescriptor<K> => d;

function mean(sum: number, n: number): number {
  return n > 0 ? sum / n : 0;
}

export const NETWORK_MEASURES = [
  measure({ key: 'density', label: 'density', digits: 6, format: 'number', warning: true, chartScale: 1000, description: 'E / (N (N - 1)): exposures counted over possible ones', compute: (c) => (c.nodes > 1 ? c.edges / (c.nodes * (c.nodes - 1)) : 0) }),
  measure({ key: 'tvlHHI', label: 'TVL HHI', digits: 4, format: 'number', warning: true, description: 'Herfindahl index of TVL shares', compute: (c) => hhi(c.snapshot.tvl) }),
  measure({ key: 'top10TvlShare', label: 'TVL top-10 share', digits: 2, format: 'share', description: 'share of TVL held by the 10 largest protocols', compute: (c) => topShare(c.snapshot.tvl, 10) }),
  measure({ key: 'giniTVL', label: 'TVL Gini', digits: 4, format: 'number', description: 'Gini coefficient of the positive TVLs', compute: (c) => giniPositive(c.snapshot.tvl) }),
  measure({ key: 'edgeHHI', label: 'edge HHI', digits: 4, format: 'number', description: 'Herfindahl index of exposure-size shares', compute: (c) => hhi(c.edgeWeights) }),
  measure({ key: 'top10EdgeShare', label: 'edge top-10 share', digits: 2, format: 'share', description: 'share of exposure held by the 10 largest exposures', compute: (c) => topShare(c.edgeWeights, 10) }),
  measure({ key: 'spilloverIndex', label: 'spillover index', digits: 4, format: 'number', warning: true, description: 'Herfindahl index of the cross-sector exposure shares', compute: (c) => c.spillover.index }),
  measure({ key: 'spilloverTotal', label: 'cross-sector exposure', digits: 2, format: 'usd', description: 'exposure held by one sector in another (USD)', compute: (c) => c.spillover.total }),
  measure({ key: 'meanSIS', label: 'mean SIS', digits: 4, format: 'number', description: 'mean systemic importance score', compute: (c) => mean(sumOf(c.sis.sis), c.nodes) }),
  measure({ key: 'maxSIS', label: 'max SIS', digits: 4, format: 'number', description: 'largest systemic importance score', compute: (c) => maxOf(c.sis.sis) }),
  measure({ key: 'sisGini', label: 'SIS Gini', digits: 4, format: 'number', description: 'Gini coefficient of the positive SIS', compute: (c) => giniPositive(c.sis.sis) }),
  measure({ key: 'meanInDegree', label: 'mean in-degree', digits: 2, format: 'number', description: 'mean number of creditors per protocol', compute: (c) => mean(c.degrees.sumIn, c.nodes) }),
  measure({ key: 'maxInDegree', label: 'max in-degree', digits: 0, format: 'count', description: 'most creditors of one protocol', compute: (c) => c.degrees.maxIn }),
  measure({ key: 'reciprocity', label: 'reciprocity', digits: 2, format: 'share', description: 'share of exposures whose reverse also exists (mutual exposure), on distinct pairs without self-loops, as nx.reciprocity', compute: (c) => reciprocity(c) }),
  measure({ key: 'degreeGini', label: 'degree Gini', digits: 4, format: 'number', description: 'Gini coefficient of the positive degrees', compute: (c) => giniPositive(c.degrees.degree) }),
] as const;

export type NetworkMeasureKey = (typeof NETWORK_MEASURES)[number]['key'];
export type NetworkMeasures = Record<NetworkMeasureKey, number>;

/** The measures the early-warning monitor tracks by default. */
export const DEFAULT_WARNING_MEASURES: readonly NetworkMeasureKey[] = NETWORK_MEASURES.filter((m) => m.warning).map((m) => m.key);

export function measureDescriptor(key: string): MeasureDescriptor<NetworkMeasureKey> | undefined {
  return NETWORK_MEASURES.find((m) => m.key === key);
}

/** The given measures (all by default) of the context's snapshot. */
export function networkMeasures<K extends NetworkMeasureKey>(ctx: MeasureContext, keys?: readonly K[]): Pick<NetworkMeasures, K> {
  const out = {} as Pick<NetworkMeasures, K>;
  for (const m of NETWORK_MEASURES) if (!keys || (keys as readonly string[]).includes(m.key)) (out as Record<string, number>)[m.key] = m.compute(ctx);
  return out;
}

/** Share of distinct creditor-debtor pairs u -> v (u != v) whose reverse v -> u exists too. */
function reciprocity(c: MeasureContext): number {
  const a = c.mode === 'parity' ? adjacency(c.snapshot, 'sum-noself') : c.adjacency;
  if (a.edgeCount === 0) return 0;
  const n = c.nodes;
  const pairs = new Set<number>();
  for (let u = 0; u < n; u++) for (let k = a.outStart[u]; k < a.outStart[u + 1]; k++) pairs.add(u * n + a.outTarget[k]);
  let mutual = 0;
  for (let u = 0; u < n; u++) for (let k = a.outStart[u]; k < a.outStart[u + 1]; k++) if (pairs.has(a.outTarget[k] * n + u)) mutual++;
  return mutual / a.edgeCount;
}

function sumOf(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

function maxOf(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) if (a[i] > m) m = a[i];
  return m;
}
