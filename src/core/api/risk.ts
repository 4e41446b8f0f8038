/**
 * Systemic-risk measures and stress tests for notebooks: the functions of
 * src/core/measures, src/core/stress and src/core/warnings, whose results also
 * display themselves (a table of the watchlist, the stress view with its what-if
 * controls, a chart of a sweep or of the early-warning series).
 */
import type { Snapshot } from '../snapshot/types';
import { computeMeasures } from '../measures/compute';
import { measureDescriptor, NETWORK_MEASURES } from '../measures/catalog';
import { watchlist as watchlistOf } from '../measures/sis';
import { spilloverMatrix } from '../measures/spillover';
import type { MeasuresOptions, MeasuresResult, SisOptions, SpilloverMatrix, SpilloverOptions, WatchlistEntry } from '../measures/types';
import { compareStress, runStress, sweep as sweepOf, type CompareOptions } from '../stress/run';
import type { PresetName } from '../stress/scenario';
import type { Scenario, StressComparison, StressOptions, StressResult, SweepResult } from '../stress/types';
import { earlyWarnings } from '../warnings/early-warning';
import type { EarlyWarningOptions, EarlyWarningResult } from '../warnings/types';
import { MIME_BUNDLE } from '../display/protocol';
import { tableView } from '../display/table-view';
import { summaryView, type KeyFigure } from '../display/views/summary';
import { chartView, timeSeriesFigure, type BuiltFigure } from '../display/chart-view';
import { plotlyText, plotlyValues } from '../display/plotly-text';
import { formatUsd } from '../display/format';
import { stressView } from '../display/stress-view';
import { withDisplay, withDisplays } from './show';
import { MEASURE_KIND, measureDisplayValue } from './measure-display';

const bundleOf = (v: { [MIME_BUNDLE](): Record<string, unknown> }) => v[MIME_BUNDLE]();

function protocolRows(list: WatchlistEntry[]): Record<string, unknown>[] {
  return list.map((p) => ({ rank: p.rank, name: p.name, id: p.id, category: p.category, tvl: p.tvl, sis: p.sis, pagerank: p.pagerank, tailExposure: p.tailExposure }));
}

/** TVL shown as money ($1.23B), not as a long decimal. */
const PROTOCOL_COLUMNS = { tvl: { kind: 'usd' as const } };

/** The week's size and every network measure of the catalog, as key figures. */
export function measureFigures(m: MeasuresResult): KeyFigure[] {
  return [
    { label: 'protocols', value: m.nodes, kind: 'integer', description: 'protocols in the graph' },
    { label: 'exposures', value: m.edges, kind: 'integer', description: m.mode === 'parity' ? 'exposure rows' : 'distinct creditor-debtor pairs, self-loops left out' },
    { label: 'total TVL', value: m.totalTvl, kind: 'usd', description: 'total value locked of all protocols' },
    ...NETWORK_MEASURES.map((d) => ({ label: d.label, value: measureDisplayValue(d, m[d.key]), kind: MEASURE_KIND[d.format], digits: d.format === 'share' ? 1 : d.format === 'usd' ? 2 : d.digits, description: d.description })),
  ];
}

/** Every measure of one week; displays them as key figures, then the top 20 protocols by SIS. */
export function measures(s: Snapshot, opts: MeasuresOptions = {}): MeasuresResult {
  const m = computeMeasures(s, opts);
  return withDisplays(m, () => [
    bundleOf(summaryView(measureFigures(m), { title: `Week ${m.week} (${m.kind}): network measures`, caption: `${m.mode} mode; hover a figure for its definition (docs/MEASURES.md)` })),
    bundleOf(tableView(protocolRows(m.protocols.slice(0, 20)), { title: `Week ${m.week} (${m.kind}): top 20 protocols by systemic importance`, columns: PROTOCOL_COLUMNS })),
  ]);
}

/** The k most systemically important protocols, as a displayable list. */
export function watchlist(s: Snapshot, k = 20, opts: SisOptions = {}): WatchlistEntry[] {
  const list = watchlistOf(s, k, opts);
  return withDisplay(list, () => bundleOf(tableView(protocolRows(list), { title: `Watchlist: top ${k} by SIS, week ${s.week}`, columns: PROTOCOL_COLUMNS })));
}

/**
 * The spillover heatmap. Sector-to-sector exposures span many orders of magnitude, and
 * on a linear colour scale one large cell turns every other cell the same dark colour;
 * so the colour is log10 of the dollars, the colour bar is labelled in dollars at each
 * power of ten, and the hover shows the exact amount. Empty cells stay blank.
 */
export function spilloverFigure(m: SpilloverMatrix, week: string): BuiltFigure {
  const z = m.matrix.map((row) => row.map((v) => (v > 0 ? Math.log10(v) : null)));
  const logs = z.flat().filter((v): v is number => v !== null);
  const lo = logs.length ? Math.floor(Math.min(...logs)) : 0;
  const hi = logs.length ? Math.ceil(Math.max(...logs)) : 1;
  const tickvals: number[] = [];
  for (let k = lo; k <= hi; k++) tickvals.push(k);
  return {
    data: [{
      type: 'heatmap', z, x: plotlyValues(m.sectors), y: plotlyValues(m.sectors), customdata: m.matrix, colorscale: 'Viridis', zmin: lo, zmax: hi,
      colorbar: { title: { text: 'exposure (USD, log scale)' }, tickvals, ticktext: tickvals.map((k) => formatUsd(10 ** k, 0)) },
      hovertemplate: '%{y} holds %{x}: %{customdata:$,.3s}<extra></extra>',
    }],
    layout: { title: { text: `Sector spillovers, week ${week} (index ${m.index.toFixed(4)})` }, xaxis: { title: { text: 'issuer sector' }, type: 'category' }, yaxis: { title: { text: 'holder sector' }, type: 'category', automargin: true } },
  };
}

/** The sector spillover matrix; displays as a heatmap (log colour scale in dollars). */
export function spillover(s: Snapshot, opts: SpilloverOptions = {}): SpilloverMatrix {
  const m = spilloverMatrix(s, opts);
  return withDisplay(m, () => bundleOf(chartView(spilloverFigure(m, s.week))));
}

/** Runs a scenario (a preset name or a scenario object); displays the stress view with what-if controls. */
export function stress(s: Snapshot, scenario: PresetName | Scenario, opts: StressOptions = {}): StressResult {
  const r = runStress(s, scenario, opts);
  return withDisplay(r, () => bundleOf(stressView(r, { snapshot: s, scenario, stressOptions: opts })));
}

/** The same scenario on several graphs (observed, forecast, realised), on their common protocols. */
export function compare(graphs: Parameters<typeof compareStress>[0], scenario: PresetName | Scenario, opts: CompareOptions = {}): StressComparison {
  const c = compareStress(graphs, scenario, opts);
  // The scenario (not only its name) so the view states the real shock size.
  return withDisplay(c, () => bundleOf(stressView(c, { scenario })));
}

/** System loss as a function of shock size or threshold; displays as a line chart. */
export function sweep(s: Snapshot, scenario: PresetName | Scenario, spec: { shockSizes: number[] } | { thresholds: number[] }, opts: StressOptions = {}): SweepResult {
  const r = sweepOf(s, scenario, spec, opts);
  return withDisplay(r, () =>
    bundleOf(
      chartView({
        data: [{ type: 'scatter', mode: 'lines+markers', name: plotlyText(r.scenario), x: r.values, y: r.systemLossPct }],
        layout: {
          title: { text: `${plotlyText(r.scenario)}: system loss vs ${r.parameter === 'shockSize' ? 'shock size' : 'distress threshold'}, week ${s.week}` },
          xaxis: { title: { text: r.parameter === 'shockSize' ? 'shock (loss ratio)' : 'distress threshold (share of TVL)' } },
          yaxis: { title: { text: 'system loss (% of TVL)' } },
        },
      }),
    ),
  );
}

/** Early-warning series and alerts over a range of weeks; displays the series with alert weeks marked. */
export async function warnings(source: Snapshot[] | { snapshots(from?: string, to?: string): AsyncIterable<Snapshot> }, opts: EarlyWarningOptions & { from?: string; to?: string } = {}): Promise<EarlyWarningResult> {
  let snaps: Snapshot[];
  if (Array.isArray(source)) snaps = source;
  else {
    snaps = [];
    for await (const s of source.snapshots(opts.from, opts.to)) snaps.push(s);
  }
  const r = earlyWarnings(snaps, opts);
  return withDisplays(r, () => {
    const weeks = r.series.map((p) => p.week);
    const fig = timeSeriesFigure(
      r.measures.map((key) => {
        const d = measureDescriptor(key)!;
        const scale = d.chartScale ?? 1;
        return { name: scale === 1 ? d.label : `${d.label} (x${scale})`, x: weeks, y: r.series.map((p) => (p[key] ?? Number.NaN) * scale) };
      }),
      { title: `Early-warning signals (alert when |z| > ${r.k}, ${r.window}-week window)` },
    );
    const shapes = r.alertWeeks.map((w) => ({ type: 'line', x0: w, x1: w, yref: 'paper', y0: 0, y1: 1, line: { dash: 'dot', width: 1, color: '#d62728' } }));
    fig.layout = { ...fig.layout, shapes };
    const md = r.alerts.length ? r.alerts.map((x) => `- ${x.week}: ${x.measure}, z = ${x.zScore.toFixed(2)}`).join('\n') : '- no alerts';
    return [bundleOf(chartView(fig)), { 'text/markdown': `**${r.alerts.length} alerts** in ${r.alertWeeks.length} weeks:\n\n${md}` }];
  });
}
