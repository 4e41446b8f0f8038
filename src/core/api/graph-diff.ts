/**
 * Comparing two graphs of the same market, typically a forecast G^(t+h) against the
 * realised G_(t+h), or G_t against G_(t+h) to see what changed: the headline measures
 * of each, and which exposures the two share. Exposures are distinct directed
 * (holder, issuer) id pairs between protocols present in both graphs (self-loops left
 * out), so a forecast, which keeps the anchor's protocols, is not charged for
 * protocols that appear later.
 */
import type { Snapshot } from '../snapshot/types';
import type { LabelledSnapshot } from '../stress/types';
import { NETWORK_MEASURES, type MeasureDescriptor, type NetworkMeasures } from '../measures/catalog';
import { computeMeasures } from '../measures/compute';
import type { MeasuresOptions } from '../measures/types';
import { MIME_BUNDLE } from '../display/protocol';
import { tableView, type ColumnSpec } from '../display/table-view';
import { withDisplay } from './show';
import { MEASURE_KIND, measureDisplayValue } from './measure-display';

/** One graph's counts and every measure of the catalog (src/core/measures/catalog.ts), by key. */
export interface GraphSummary extends NetworkMeasures {
  label: string;
  week: string;
  kind: string;
  nodes: number;
  edges: number;
  totalTvl: number;
}

export interface GraphDiff {
  a: GraphSummary;
  b: GraphSummary;
  /** Protocol ids present in both graphs; the edge counts below are on this set. */
  commonNodes: number;
  edgesA: number;
  edgesB: number;
  /** Exposures in both graphs. */
  kept: number;
  /** Exposures in b only. */
  added: number;
  /** Exposures in a only. */
  dropped: number;
  /** kept / edgesA: share of a's exposures that b has (a forecast's precision against the realised graph). */
  precision: number;
  /** kept / edgesB: share of b's exposures that a has (a forecast's recall). */
  recall: number;
  /** kept / (kept + added + dropped). */
  jaccard: number;
}

/** A bare snapshot is labelled by its kind ('forecast', 'observed', 'realised'). */
function labelled(g: Snapshot | LabelledSnapshot<Snapshot>): LabelledSnapshot<Snapshot> {
  return 'snapshot' in g ? { ...g } : { label: g.kind, snapshot: g };
}

function summary({ label, snapshot: s }: LabelledSnapshot<Snapshot>, opts: MeasuresOptions): GraphSummary {
  const m = computeMeasures(s, opts);
  const measures = Object.fromEntries(NETWORK_MEASURES.map((d) => [d.key, m[d.key]])) as NetworkMeasures;
  return { label, week: s.week, kind: s.kind, nodes: m.nodes, edges: m.edges, totalTvl: m.totalTvl, ...measures };
}

function measureColumn(d: MeasureDescriptor): ColumnSpec {
  return { kind: MEASURE_KIND[d.format], digits: d.format === 'usd' ? undefined : d.digits, description: d.description };
}

/** Distinct directed id pairs of `s` between ids in `keep`, self-loops excluded. */
function pairSet(s: Snapshot, keep: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (let e = 0; e < s.edgeSource.length; e++) {
    const u = s.ids[s.edgeSource[e]];
    const v = s.ids[s.edgeTarget[e]];
    if (u !== v && keep.has(u) && keep.has(v)) out.add(`${u}\u0000${v}`);
  }
  return out;
}

const ratio = (x: number, y: number) => (y > 0 ? x / y : NaN);

/**
 * `graphDiff(forecast, realised)` or `graphDiff({ label, snapshot }, { label, snapshot })`:
 * measures of both graphs side by side and the exposures kept, added and dropped from a to b.
 */
export function graphDiff(a: Snapshot | LabelledSnapshot<Snapshot>, b: Snapshot | LabelledSnapshot<Snapshot>, opts: MeasuresOptions = {}): GraphDiff {
  const la = labelled(a);
  const lb = labelled(b);
  // two graphs of one kind: tell them apart by week, else by position
  if (la.label === lb.label && la.snapshot.week !== lb.snapshot.week) {
    la.label = `${la.label} ${la.snapshot.week}`;
    lb.label = `${lb.label} ${lb.snapshot.week}`;
  }
  if (la.label === lb.label) lb.label = `${lb.label} (2)`;
  const bIds = new Set(lb.snapshot.ids);
  const common = new Set(la.snapshot.ids.filter((id) => bIds.has(id)));
  const ea = pairSet(la.snapshot, common);
  const eb = pairSet(lb.snapshot, common);
  let kept = 0;
  for (const p of ea) if (eb.has(p)) kept++;
  const added = eb.size - kept;
  const dropped = ea.size - kept;
  const d: GraphDiff = {
    a: summary(la, opts),
    b: summary(lb, opts),
    commonNodes: common.size,
    edgesA: ea.size,
    edgesB: eb.size,
    kept,
    added,
    dropped,
    precision: ratio(kept, ea.size),
    recall: ratio(kept, eb.size),
    jaccard: ratio(kept, kept + added + dropped),
  };
  // One table (a bundle shows one rich view): the measures, with the exposure counts in its caption.
  return withDisplay(d, () => {
    const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : 'n/a');
    const caption = `Exposures among the ${d.commonNodes} protocols in both graphs: ${d.edgesA} in ${d.a.label}, ${d.edgesB} in ${d.b.label}; ${d.kept} kept (in both), ${d.added} added (only in ${d.b.label}), ${d.dropped} dropped (only in ${d.a.label}); precision ${pct(d.precision)}, recall ${pct(d.recall)}, Jaccard ${pct(d.jaccard)}.`;
    // every measure of the catalog, in its order, under its label
    const rows = [d.a, d.b].map((g) => ({
      graph: g.label,
      week: g.week,
      protocols: g.nodes,
      exposures: g.edges,
      'total TVL': g.totalTvl,
      ...Object.fromEntries(NETWORK_MEASURES.map((m) => [m.label, measureDisplayValue(m, g[m.key])])),
    }));
    const columns: Record<string, ColumnSpec> = { 'total TVL': { kind: 'usd' }, ...Object.fromEntries(NETWORK_MEASURES.map((m) => [m.label, measureColumn(m)])) };
    const view = tableView(rows, { title: `${d.a.label} (${d.a.week}) vs ${d.b.label} (${d.b.week})`, caption, columns });
    return view[MIME_BUNDLE]();
  });
}
