/**
 * Every systemic-risk measure of one snapshot in one call: SIS per protocol (with
 * PageRank), the spillover matrix, and every network measure of ./catalog.ts (the
 * aggregates of the authors' `compute_network_risk_metrics`, data-spec §5.3).
 * Parity mode counts every positive edge row (duplicates and self-loops included) as the
 * authors' array snapshot does; default mode counts distinct creditor-debtor pairs
 * without self-loops (docs/MEASURES.md).
 */
import { checkResultFinite, checkSumsFinite } from '../snapshot/finite';
import type { Snapshot } from '../snapshot/types';
import { MeasureContext, networkMeasures } from './catalog';
import { rankedProtocols } from './sis';
import type { MeasuresOptions, MeasuresResult } from './types';

export function computeMeasures(s: Snapshot, opts: MeasuresOptions = {}): MeasuresResult {
  checkSumsFinite(s, 'measures');
  const result = measures(s, opts);
  // finite sums can still overflow in a square (HHI) or a product: refuse, never report Infinity/NaN
  checkResultFinite(result, 'measures', s.week);
  return result;
}

function measures(s: Snapshot, opts: MeasuresOptions): MeasuresResult {
  const ctx = new MeasureContext(s, opts);
  const r = ctx.sis;
  return {
    week: s.week,
    kind: s.kind,
    mode: ctx.mode,
    nodes: ctx.nodes,
    edges: ctx.edges,
    totalTvl: ctx.totalTvl,
    ...networkMeasures(ctx),
    sisWeights: r.weights,
    pagerankConverged: r.pagerankConverged,
    pagerankIterations: r.pagerankIterations,
    protocols: rankedProtocols(s, r),
    spillover: ctx.spillover,
  };
}
