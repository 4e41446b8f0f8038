/**
 * Induced sub-snapshot on a set of protocol ids: the common node set on which observed,
 * forecast and realised graphs are compared (data-spec §5.5: every caller applies the
 * same shocked set to all three graphs, restricted to the node mask).
 */
import type { CompositionTable, Snapshot } from '../snapshot/types';

export function inducedSubgraph(s: Snapshot, keep: ReadonlySet<string>): Snapshot {
  const n = s.ids.length;
  const newIndex = new Int32Array(n).fill(-1);
  const nodes: number[] = [];
  for (let i = 0; i < n; i++) {
    if (keep.has(s.ids[i]) && newIndex[i] < 0) {
      newIndex[i] = nodes.length;
      nodes.push(i);
    }
  }
  if (nodes.length === n) return s;
  const pick = <T>(col: T[]): T[] => nodes.map((i) => col[i]);
  const src: number[] = [];
  const dst: number[] = [];
  const w: number[] = [];
  const p: number[] = [];
  for (let e = 0; e < s.edgeSource.length; e++) {
    const a = newIndex[s.edgeSource[e]];
    const b = newIndex[s.edgeTarget[e]];
    if (a < 0 || b < 0) continue;
    src.push(a);
    dst.push(b);
    w.push(s.edgeWeight[e]);
    if (s.edgeProbability) p.push(s.edgeProbability[e]);
  }
  let composition: CompositionTable | undefined;
  if (s.composition) {
    const c = s.composition;
    const offsets = new Uint32Array(nodes.length + 1);
    const tokens: string[] = [];
    const values: number[] = [];
    nodes.forEach((i, j) => {
      for (let k = c.offsets[i]; k < c.offsets[i + 1]; k++) {
        tokens.push(c.tokens[k]);
        values.push(c.values[k]);
      }
      offsets[j + 1] = tokens.length;
    });
    composition = { offsets, tokens, values: Float64Array.from(values) };
  }
  const out: Snapshot = {
    week: s.week,
    kind: s.kind,
    ids: pick(s.ids),
    names: pick(s.names),
    categories: pick(s.categories),
    tvl: Float64Array.from(nodes, (i) => s.tvl[i]),
    edgeSource: Int32Array.from(src),
    edgeTarget: Int32Array.from(dst),
    edgeWeight: Float64Array.from(w),
  };
  if (s.sectors) out.sectors = pick(s.sectors);
  if (s.chains) out.chains = pick(s.chains);
  if (composition) out.composition = composition;
  if (s.edgeProbability) out.edgeProbability = Float64Array.from(p);
  if (s.forecast) out.forecast = s.forecast;
  return out;
}
