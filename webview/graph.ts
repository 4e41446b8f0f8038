/**
 * Exposure graph view (application/vnd.dexposure.graph+json). Nodes sized by TVL and
 * coloured by category at their saved layout positions; directed edges p -> q (p holds
 * q's tokens) with width by USD weight; predicted edges in the accent colour with
 * opacity by probability, dashed (./edge-dashed on the canvas, stroke-dasharray in SVG).
 * The top-N protocols by TVL show by default, with a switch to show all. Hover: name,
 * category, TVL, SIS rank, top exposures. Click: select and highlight neighbours.
 * Search by name; filter by category and minimum exposure; toggle observed / predicted.
 */
import { formatUsd } from '../src/core/display/format';
import type { GraphEdge, GraphNode, GraphPayload } from '../src/core/display/protocol';
import { categoryColor, mixColors } from './colors';
import { button, checkbox, labelled, range, select, textfield } from './controls';
import { clear, el } from './dom';
import { DASHED } from './edge-dashed';
import { saveButtons, svgDataUrl, svgToPng } from './image-export';
import { SigmaGraph, type NodeAttrs } from './sigma-graph';
import type { ViewContext } from './view-context';

export interface GraphViewState {
  showAll: boolean;
  category: string;
  /** Minimum edge weight shown (USD). */
  minWeight: number;
  observed: boolean;
  predicted: boolean;
  query: string;
  selected: string | null;
}

const ALL = '__all__';

function nodeSize(tvl: number, maxTvl: number): number {
  return 2 + 16 * Math.sqrt(Math.max(0, tvl) / Math.max(1, maxTvl));
}

function edgeSize(w: number, maxW: number): number {
  const r = Math.log1p(Math.max(0, w)) / Math.log1p(Math.max(1, maxW));
  return 0.3 + 3 * r * r;
}

/** Largest `k` edges by weight from a list. */
function topEdges(edges: GraphEdge[], k: number): GraphEdge[] {
  return [...edges].sort((a, b) => b.weight - a.weight).slice(0, k);
}

export function renderGraph(root: HTMLElement, p: GraphPayload, vc: ViewContext, onFirstRender?: () => void): () => void {
  const byId = new Map<string, GraphNode>(p.nodes.map((n) => [n.id, n]));
  const ranked = [...p.nodes].sort((a, b) => b.tvl - a.tvl || (a.id < b.id ? -1 : 1));
  const topN = Math.min(p.topN ?? 300, ranked.length);
  const topSet = new Set(ranked.slice(0, topN).map((n) => n.id));
  const maxTvl = ranked[0]?.tvl ?? 1;
  const maxW = p.edges.reduce((m, e) => Math.max(m, e.weight), 1);
  const outEdges = new Map<string, GraphEdge[]>();
  const inEdges = new Map<string, GraphEdge[]>();
  for (const e of p.edges) {
    if (e.kind === 'predicted') continue;
    (outEdges.get(e.source) ?? outEdges.set(e.source, []).get(e.source)!).push(e);
    (inEdges.get(e.target) ?? inEdges.set(e.target, []).get(e.target)!).push(e);
  }
  const hasPredicted = p.edges.some((e) => e.kind === 'predicted');
  const hasObserved = p.edges.some((e) => e.kind !== 'predicted');
  const st: GraphViewState = { showAll: topN >= ranked.length, category: ALL, minWeight: 0, observed: true, predicted: true, query: '', selected: null };
  let neighbours = new Set<string>();
  let matches = new Set<string>();

  const status = el('span', { class: 'dx-status', attrs: { 'data-dx': 'status' } });
  const setStatus = (t: string, error = false) => ((status.textContent = t), status.classList.toggle('dx-error', error));
  const tooltip = el('div', { class: 'dx-tooltip', attrs: { 'data-dx': 'tooltip', role: 'tooltip' }, style: { display: 'none' } });
  const details = el('div', { class: 'dx-details', attrs: { 'data-dx': 'details' } });
  const counts = el('span', { class: 'dx-sub', attrs: { 'data-dx': 'counts' } });

  const nodeHidden = (id: string, n: GraphNode) => (!st.showAll && !topSet.has(id)) || (st.category !== ALL && n.category !== st.category);
  const dim = () => mixColors(vc.theme().muted, vc.theme().background, 0.3);

  const g = new SigmaGraph({
    vc,
    nodeReducer: (id) => {
      const n = byId.get(id)!;
      if (nodeHidden(id, n)) return { hidden: true };
      const focus = st.selected ?? null;
      if (focus && id !== focus && !neighbours.has(id)) return { color: dim(), label: '', zIndex: 0 };
      if (st.query && !matches.has(id)) return { color: dim(), label: '', zIndex: 0 };
      if (id === focus || matches.has(id)) return { highlighted: true, forceLabel: true, zIndex: 2 };
      return { zIndex: 1 };
    },
    edgeReducer: (_e, a) => {
      const kind = a.kind as string;
      if (kind === 'predicted' ? !st.predicted : !st.observed) return { hidden: true };
      if ((a.weight as number) < st.minWeight) return { hidden: true };
      if (st.selected && a.src !== st.selected && a.dst !== st.selected) return { hidden: true };
      return {};
    },
    onEnterNode: (id, pos) => showTooltip(id, pos),
    onLeaveNode: () => (tooltip.style.display = 'none'),
    onClickNode: (id) => select_(id === st.selected ? null : id),
    onClickStage: () => select_(null),
    onFirstRender,
  });

  // Colours are mixed against the editor background, so a theme change repaints them.
  const offTheme = vc.onTheme(() => {
    populate();
    g.refresh();
  });

  function populate(): void {
    const gr = g.graph;
    gr.clear();
    const t = vc.theme();
    const edgeColor = mixColors(t.foreground, t.background, 0.22);
    for (const n of ranked) {
      if (!st.showAll && !topSet.has(n.id)) continue;
      gr.addNode(n.id, { x: n.x, y: n.y, size: nodeSize(n.tvl, maxTvl), color: categoryColor(n.category), label: n.name });
    }
    for (const e of p.edges) {
      if (!gr.hasNode(e.source) || !gr.hasNode(e.target)) continue;
      const predicted = e.kind === 'predicted';
      gr.addEdge(e.source, e.target, {
        size: edgeSize(e.weight, maxW),
        color: predicted ? mixColors(t.accent, t.background, 0.2 + 0.8 * (e.probability ?? 1)) : edgeColor,
        ...(predicted ? { type: DASHED } : {}),
        weight: e.weight,
        kind: predicted ? 'predicted' : 'observed',
        src: e.source,
        dst: e.target,
      });
    }
    updateCounts();
  }

  function updateCounts(): void {
    let nodes = 0;
    g.graph.forEachNode((id) => (nodeHidden(id, byId.get(id)!) ? 0 : nodes++));
    counts.textContent = `${nodes.toLocaleString('en-US')} of ${p.nodes.length.toLocaleString('en-US')} protocols shown${st.showAll ? '' : ` (top ${topN} by TVL)`}, ${p.edges.length.toLocaleString('en-US')} exposures in the data`;
  }

  function showTooltip(id: string, pos: { x: number; y: number }): void {
    const n = byId.get(id);
    if (!n) return;
    clear(tooltip);
    tooltip.append(
      el('div', { class: 'dx-tt-name', text: n.name }),
      el('div', { text: `${n.category} · TVL ${formatUsd(n.tvl)}${n.sisRank ? ` · SIS rank ${n.sisRank}` : ''}` }),
    );
    const top = topEdges(outEdges.get(id) ?? [], 3);
    if (top.length) tooltip.append(el('div', { class: 'dx-sub', text: 'Largest exposures (holds tokens of):' }), el('ul', {}, top.map((e) => el('li', { text: `${byId.get(e.target)?.name ?? e.target}: ${formatUsd(e.weight)}` }))));
    tooltip.style.display = '';
    const w = g.host.clientWidth;
    tooltip.style.left = `${Math.min(pos.x + 14, Math.max(0, w - 240))}px`;
    tooltip.style.top = `${pos.y + 14}px`;
  }

  function renderDetails(): void {
    clear(details);
    const id = st.selected;
    if (!id) return;
    const n = byId.get(id)!;
    const list = (title: string, es: GraphEdge[], other: (e: GraphEdge) => string) =>
      es.length ? el('div', {}, [el('div', { class: 'dx-sub', text: title }), el('ul', {}, topEdges(es, 8).map((e) => el('li', { text: `${byId.get(other(e))?.name ?? other(e)}: ${formatUsd(e.weight)}` })))]) : null;
    details.append(
      el('div', { class: 'dx-title', text: n.name }),
      el('div', { text: `${n.category} · TVL ${formatUsd(n.tvl)}${n.sisRank ? ` · SIS rank ${n.sisRank}` : ''}${n.sis !== undefined ? ` (SIS ${n.sis.toFixed(3)})` : ''} · ${neighbours.size} neighbours` }),
      el('div', { class: 'dx-grid-2' }, [
        list('Holds tokens of (exposure to):', outEdges.get(id) ?? [], (e) => e.target),
        list('Its tokens are held by (exposed to it):', inEdges.get(id) ?? [], (e) => e.source),
      ]),
    );
  }

  function select_(id: string | null): void {
    st.selected = id;
    neighbours = new Set();
    if (id) {
      for (const e of outEdges.get(id) ?? []) neighbours.add(e.target);
      for (const e of inEdges.get(id) ?? []) neighbours.add(e.source);
      for (const e of p.edges) if (e.kind === 'predicted' && (e.source === id || e.target === id)) neighbours.add(e.source === id ? e.target : e.source);
    }
    g.host.setAttribute('data-dx-selected', id ?? '');
    renderDetails();
    g.refresh();
  }

  function search(q: string): void {
    st.query = q.trim().toLowerCase();
    matches = new Set();
    if (st.query) for (const n of p.nodes) if (n.name.toLowerCase().includes(st.query) && g.graph.hasNode(n.id) && !nodeHidden(n.id, n)) matches.add(n.id);
    setStatus(st.query ? `${matches.size} match${matches.size === 1 ? '' : 'es'} for "${q.trim()}"${matches.size === 0 && !st.showAll ? ' (try "Show all")' : ''}` : '');
    if (matches.size === 1) {
      const only = [...matches][0]!;
      select_(only);
      g.focus(only);
    } else g.refresh();
  }

  // Controls
  const catSelect = select([{ value: ALL, label: 'All categories' }, ...p.categories.map((c) => ({ value: c, label: c }))], ALL, (v) => {
    st.category = v;
    updateCounts();
    g.refresh();
  }, 'category');
  const minLabel = el('span', { class: 'dx-sub', text: 'any', attrs: { 'data-dx': 'min-label' } });
  const logMax = Math.log10(Math.max(10, maxW));
  const minRange = range(0, 100, 1, 0, (k) => {
    st.minWeight = k === 0 ? 0 : Math.pow(10, (k / 100) * logMax);
    minLabel.textContent = k === 0 ? 'any' : `≥ ${formatUsd(st.minWeight)}`;
    g.refresh();
  }, 'min-exposure');
  minRange.addEventListener('input', () => (minLabel.textContent = Number(minRange.value) === 0 ? 'any' : `≥ ${formatUsd(Math.pow(10, (Number(minRange.value) / 100) * logMax))}`));
  const searchBox = textfield('Search protocols', (v) => search(v), 'search');
  const legend = el('div', { class: 'dx-legend', attrs: { 'data-dx': 'legend' } }, [
    ...p.categories.slice(0, 16).map((c) => el('span', { class: 'dx-legend-item', title: `Show only ${c}` }, [el('span', { class: 'dx-swatch', style: { background: categoryColor(c) } }), el('span', { text: c })])),
    ...(p.categories.length > 16 ? [el('span', { class: 'dx-sub', text: `+${p.categories.length - 16} more categories` })] : []),
    hasObserved ? el('span', { class: 'dx-legend-item' }, [el('span', { class: 'dx-swatch-line', style: { color: vc.theme().muted } }), el('span', { text: 'observed exposure (width: USD)' })]) : null,
    hasPredicted ? el('span', { class: 'dx-legend-item' }, [el('span', { class: 'dx-swatch-line dx-swatch-dash', style: { color: vc.theme().accent } }), el('span', { text: 'predicted (opacity: probability)' })]) : null,
    el('span', { class: 'dx-sub', text: 'node size: TVL · arrow p → q: p holds q\u2019s tokens' }),
  ]);
  legend.querySelectorAll<HTMLElement>('.dx-legend-item').forEach((item, i) => {
    const c = p.categories[i];
    if (c === undefined || i >= 16) return;
    item.addEventListener('click', () => {
      st.category = st.category === c ? ALL : c;
      (catSelect as unknown as { value: string }).value = st.category;
      updateCounts();
      g.refresh();
    });
  });

  const toolbar = el('div', { class: 'dx-toolbar' }, [
    searchBox,
    labelled('Category', catSelect),
    labelled('Min exposure', minRange),
    minLabel,
    ranked.length > topN ? checkbox(`Show all ${p.nodes.length.toLocaleString('en-US')}`, st.showAll, (v) => {
      st.showAll = v;
      populate();
      search(st.query);
    }, 'show-all') : null,
    hasObserved && hasPredicted ? checkbox('Observed', true, (v) => ((st.observed = v), g.refresh()), 'observed') : null,
    hasPredicted ? checkbox('Predicted', true, (v) => ((st.predicted = v), g.refresh()), 'predicted') : null,
    el('span', { class: 'dx-spacer' }),
    button('Reset view', () => (select_(null), g.resetCamera()), { secondary: true, name: 'reset' }),
    saveButtons(vc.messenger, (p.title ?? `exposure-graph${p.week ? `-${p.week}` : ''}`).replace(/[^\w.-]+/g, '-'), async (format) => {
      const { svg, width, height } = g.toSvg(p.title ?? (p.week ? `Exposure graph, week ${p.week}` : undefined));
      return format === 'svg' ? svgDataUrl(svg) : svgToPng(svg, width, height);
    }, setStatus),
  ]);

  const header = el('div', {}, [
    el('div', { class: 'dx-title', text: p.title ?? `Exposure graph${p.week ? ` — week ${p.week}` : ''}` }),
    counts,
    p.source ? el('div', { class: 'dx-sub', text: `Source: ${p.source}` }) : null,
  ]);
  g.host.appendChild(tooltip);
  root.append(header, toolbar, g.host, legend, status, details);
  populate();
  (g.host as unknown as { dxGraph: SigmaGraph }).dxGraph = g;
  return () => (offTheme(), g.dispose());
}

export type { NodeAttrs };
