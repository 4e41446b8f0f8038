/**
 * Every systemic-risk measure of one snapshot in one call: SIS (with PageRank), the
 * spillover matrix and index, and the network aggregates of the authors'
 * `compute_network_risk_metrics` (data-spec §5.3): TVL HHI / top-10 share / Gini, edge
 * HHI / top-10 share, density E / (N (N - 1)), in-degree mean and max, degree Gini,
 * SIS mean / max / Gini.
 * Parity mode counts every positive edge row (duplicates and self-loops included) as the
 * authors' array snapshot does; default mode counts distinct creditor-debtor pairs
 * without self-loops (docs/MEASURES.md).
 */
import { checkResultFinite, checkSumsFinite } from '../snapshot/finite';
import type { Snapshot } from '../snapshot/types';
import { adjacency } from './adjacency';
import { giniPositive, hhi, topShare } from './concentration';
import { rankedProtocols, sis } from './sis';
import { spilloverMatrix } from './spillover';
import type { MeasuresOptions, MeasuresResult } from './types';

export function computeMeasures(s: Snapshot, opts: MeasuresOptions = {}): MeasuresResult {
  checkSumsFinite(s, 'measures');
  const result = measures(s, opts);
  // finite sums can still overflow in a square (HHI) or a product: refuse, never report Infinity/NaN
  checkResultFinite(result, 'measures', s.week);
  return result;
}

function measures(s: Snapshot, opts: MeasuresOptions): MeasuresResult {
  const mode = opts.mode ?? 'default';
  const n = s.ids.length;
  const r = sis(s, opts);
  const spill = spilloverMatrix(s, { mode, by: opts.spilloverBy });
  const adj = adjacency(s, mode === 'parity' ? 'rows' : 'sum-noself');
  let edges: number;
  let edgeWeights: ArrayLike<number>;
  if (mode === 'parity') {
    // Every row counts for density (the authors' E is the array's edge count).
    edges = s.edgeSource.length;
    edgeWeights = s.edgeWeight;
  } else {
    edges = adj.edgeCount;
    edgeWeights = adj.outWeight;
  }
  let totalTvl = 0;
  for (let i = 0; i < n; i++) totalTvl += s.tvl[i];
  const degree = new Float64Array(n);
  let maxIn = 0;
  let sumIn = 0;
  for (let i = 0; i < n; i++) {
    const din = adj.inStart[i + 1] - adj.inStart[i];
    const dout = adj.outStart[i + 1] - adj.outStart[i];
    degree[i] = din + dout;
    sumIn += din;
    if (din > maxIn) maxIn = din;
  }
  let sisSum = 0;
  let sisMax = 0;
  for (let i = 0; i < n; i++) {
    sisSum += r.sis[i];
    if (r.sis[i] > sisMax) sisMax = r.sis[i];
  }
  return {
    week: s.week,
    kind: s.kind,
    mode,
    nodes: n,
    edges,
    totalTvl,
    density: n > 1 ? edges / (n * (n - 1)) : 0,
    tvlHHI: hhi(s.tvl),
    top10TvlShare: topShare(s.tvl, 10),
    edgeHHI: hhi(edgeWeights),
    top10EdgeShare: topShare(edgeWeights, 10),
    giniTVL: giniPositive(s.tvl),
    spilloverIndex: spill.index,
    spilloverTotal: spill.total,
    meanSIS: n > 0 ? sisSum / n : 0,
    maxSIS: sisMax,
    sisGini: giniPositive(r.sis),
    meanInDegree: n > 0 ? sumIn / n : 0,
    maxInDegree: maxIn,
    degreeGini: giniPositive(degree),
    sisWeights: r.weights,
    pagerankConverged: r.pagerankConverged,
    pagerankIterations: r.pagerankIterations,
    protocols: rankedProtocols(s, r),
    spillover: spill,
  };
}
