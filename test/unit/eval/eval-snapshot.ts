// A hand-made week for the evaluation tests: ids, edges [creditor, debtor, USD], and the
// TVL and categories each test needs (defaults: TVL 1, category Unknown).
import type { Snapshot } from '../../../src/core/snapshot/types';

export function snap(week: string, ids: string[], edges: [string, string, number][], opts: { tvl?: (i: number) => number; categories?: string[] } = {}): Snapshot {
  const at = new Map(ids.map((id, i) => [id, i]));
  return {
    week,
    kind: 'observed',
    ids,
    names: ids,
    categories: opts.categories ?? ids.map(() => 'Unknown'),
    tvl: Float64Array.from(ids, (_, i) => opts.tvl?.(i) ?? 1),
    edgeSource: Int32Array.from(edges.map((e) => at.get(e[0])!)),
    edgeTarget: Int32Array.from(edges.map((e) => at.get(e[1])!)),
    edgeWeight: Float64Array.from(edges.map((e) => e[2])),
  };
}
