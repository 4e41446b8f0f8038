/**
 * Exposure graph view (application/vnd.dexposure.graph+json). Nodes sized by TVL and
 * coloured by category at their saved layout positions, stretched to the canvas's
 * shape; directed edges p -> q (p holds q's tokens), width and strength by the
 * exposure's rank among the edges shown (capped on screen, faint for the many small
 * ones; a filter or an expanded sector re-ranks what it keeps, so its heaviest read strong);
 * predicted edges in the accent colour with opacity by probability, dashed
 * (./edge-dashed on the canvas, stroke-dasharray in SVG). The largest protocols by TVL
 * are always labelled. The top-N protocols by TVL show by default, with a switch to
 * show all. Weeks above SECTOR_VIEW_ABOVE protocols open on the sector overview
 * (./graph-sectors: one node per category, exposures summed); a click on a sector
 * expands it into its protocols. Hover: name, category, TVL, SIS rank, top exposures.
 * Click: select and highlight neighbours. Search by name; filter by category and
 * minimum exposure; what is filtered out is dimmed, or hidden on request; the camera
 * zooms to fit what the filters keep, and back out when they are cleared.
 */
import { displaySource, formatUsd } from '../src/core/display/format';
import { sectorOverview, type SectorOverview } from '../src/core/display/graph-sectors';
import type { GraphEdge, GraphNode, GraphPayload } from '../src/core/display/protocol';
import { categoryColor, categoryGroup, categoryLegend, mixColors, OTHER_LABEL } from './colors';
import { button, checkbox, labelled, range, select, textfield } from './controls';
import { clear, el } from './dom';
import { DASHED } from './edge-dashed';
import { saveButtons, svgDataUrl, svgToPng } from './image-export';
import { SigmaGraph, type EdgeAttrs, type NodeAttrs } from './sigma-graph';
import type { ViewContext } from './view-context';

export interface GraphViewState {
  /** Sector overview (one node per category) or the protocols themselves. */
  mode: 'sectors' | 'protocols';
  showAll: boolean;
  category: string;
  /** Minimum edge weight shown (USD). */
  minWeight: number;
  observed: boolean;
  predicted: boolean;
  query: string;
  selected: string | null;
  /** Filtered-out protocols are hidden instead of dimmed. */
  hideFiltered: boolean;
}

const ALL = '__all__';
/** The category filter's value for the rare categories together (the legend's and overview's "Other"). */
const OTHER = '__other__';
/** Weeks with more protocols than this open on the sector overview. */
export const SECTOR_VIEW_ABOVE = 3000;
/** The largest protocols (by TVL) among those shown always carry their name. */
export const LABELLED_TOP = 12;
/** Widest edge on screen, in pixels, at any zoom. */
export const MAX_EDGE_PX = 2.5;
const SECTOR = 'sector:';
/** The sector overview draws about this many of its links (of up to ~250) strongly. */
const SECTOR_LINKS_STRONG = 20;
/** A selection names this many of its neighbours, its largest exposures (the label placement drops colliding ones). */
const NEIGHBOURS_LABELLED = 20;
/** Search matches listed as buttons to pick from. */
const MATCHES_LISTED = 8;

function nodeSize(tvl: number, maxTvl: number): number {
  return 2 + 16 * Math.sqrt(Math.max(0, tvl) / Math.max(1, maxTvl));
}

/** How many of the (ascending) `sorted` weights are heavier than `w`. */
function heavierThan(sorted: Float64Array, w: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= w) lo = mid + 1;
    else hi = mid;
  }
  return sorted.length - lo;
}

/**
 * Width and strength by how many exposures are heavier: the largest ~`scale` stand
 * out whatever the week's size, and the tens of thousands of small ones stay faint and thin.
 */
function edgeLook(heavier: number, scale = 100): { size: number; strength: number } {
  return { size: 1.7 + (MAX_EDGE_PX - 1.7) / (1 + (2 * heavier) / scale), strength: 0.03 + 0.57 / (1 + heavier / scale) };
}

/** Largest `k` edges by weight from a list. */
function topEdges(edges: GraphEdge[], k: number): GraphEdge[] {
  return [...edges].sort((a, b) => b.weight - a.weight).slice(0, k);
}

/** Marks `root` with the time of the first drawn frame (data-dx-first-render; bench/render.ts waits for it). */
const markFirstRender = (root: HTMLElement) => () => root.setAttribute('data-dx-first-render', String(performance.now()));

export function renderGraph(root: HTMLElement, p: GraphPayload, vc: ViewContext, onFirstRender: () => void = markFirstRender(root)): () => void {
  const byId = new Map<string, GraphNode>(p.nodes.map((n) => [n.id, n]));
  const ranked = [...p.nodes].sort((a, b) => b.tvl - a.tvl || (a.id < b.id ? -1 : 1));
  const topN = Math.min(p.topN ?? 300, ranked.length);
  const topSet = new Set(ranked.slice(0, topN).map((n) => n.id));
  const maxTvl = ranked[0]?.tvl ?? 1;
  const maxW = p.edges.reduce((m, e) => Math.max(m, e.weight), 1);
  const outEdges = new Map<string, GraphEdge[]>();
  const inEdges = new Map<string, GraphEdge[]>();
  const maxIncident = new Map<string, number>();
  for (const e of p.edges) {
    for (const id of [e.source, e.target]) maxIncident.set(id, Math.max(maxIncident.get(id) ?? 0, e.weight));
    if (e.kind === 'predicted') continue;
    (outEdges.get(e.source) ?? outEdges.set(e.source, []).get(e.source)!).push(e);
    (inEdges.get(e.target) ?? inEdges.set(e.target, []).get(e.target)!).push(e);
  }
  const hasPredicted = p.edges.some((e) => e.kind === 'predicted');
  const hasObserved = p.edges.some((e) => e.kind !== 'predicted');
  let overview: SectorOverview | undefined;
  // Rare categories (two or more) form one "Other" sector, as they share one colour.
  const rare = p.categories.filter((c) => categoryGroup(c) === OTHER_LABEL);
  const sectors = () => (overview ??= sectorOverview(p, rare.length > 1 ? (c) => (categoryGroup(c) === OTHER_LABEL ? OTHER_LABEL : c) : undefined));
  const canSectors = p.categories.length > 1;
  const st: GraphViewState = {
    mode: canSectors && p.nodes.length > SECTOR_VIEW_ABOVE ? 'sectors' : 'protocols',
    showAll: topN >= ranked.length,
    category: ALL,
    minWeight: 0,
    observed: true,
    predicted: true,
    query: '',
    selected: null,
    hideFiltered: false,
  };
  let neighbours = new Set<string>();
  /** The selection's neighbours that carry their name: its largest exposures either way. */
  let namedNeighbours = new Set<string>();
  let matches = new Set<string>();
  let named = new Set<string>();

  const status = el('span', { class: 'dx-status', attrs: { 'data-dx': 'status' } });
  const setStatus = (t: string, error = false) => ((status.textContent = t), status.classList.toggle('dx-error', error));
  const tooltip = el('div', { class: 'dx-tooltip', attrs: { 'data-dx': 'tooltip', role: 'tooltip' }, style: { display: 'none' } });
  const details = el('div', { class: 'dx-details', attrs: { 'data-dx': 'details' } });
  const counts = el('span', { class: 'dx-sub', attrs: { 'data-dx': 'counts' } });

  const filtering = () => st.category !== ALL || st.query !== '' || st.minWeight > 0;
  /** Whether a protocol passes the category, search and minimum-exposure filters. */
  const inCategory = (c: string) => st.category === ALL || (st.category === OTHER ? categoryGroup(c) === OTHER_LABEL : c === st.category);
  const passes = (n: GraphNode) => inCategory(n.category) && (!st.query || matches.has(n.id)) && (st.minWeight <= 0 || (maxIncident.get(n.id) ?? 0) >= st.minWeight);
  const dim = () => mixColors(vc.theme().muted, vc.theme().background, 0.3);
  const strong = () => mixColors(vc.theme().foreground, vc.theme().background, 0.65);

  /** An edge the Observed/Predicted switches or the minimum exposure leave out. */
  const toggledOff = (a: EdgeAttrs) => (a.kind === 'predicted' ? !st.predicted : !st.observed) || (a.weight as number) < st.minWeight;
  /** A protocol edge with an end the category, search or minimum-exposure filters leave out. */
  const filteredOut = (a: EdgeAttrs) => a.kind !== 'sector' && filtering() && (!passes(byId.get(a.src as string)!) || !passes(byId.get(a.dst as string)!));

  /**
   * Sorted weights of the protocol edges shown, when the filters or switches leave some
   * out (null when all show: their looks are set in populate). The edges shown are then
   * shaded by rank among themselves: ranked among the week's, those inside one sector
   * would all be faint.
   */
  let shownW: Float64Array | null = null;
  const shownLooks = new Map<number, { size: number; color: string; zIndex: number }>();
  function rankShown(): void {
    shownW = null;
    shownLooks.clear();
    if (st.mode !== 'protocols') return;
    const kept: number[] = [];
    let all = 0;
    g.graph.forEachEdge((_e, a) => {
      all++;
      if (!toggledOff(a) && !filteredOut(a)) kept.push(a.weight as number);
    });
    if (kept.length < all) shownW = Float64Array.from(kept).sort();
  }
  function shownLook(a: EdgeAttrs): { size: number; color?: string; zIndex: number } {
    const r = heavierThan(shownW!, a.weight as number);
    let look = shownLooks.get(r);
    if (!look) {
      const t = vc.theme();
      const l = edgeLook(r);
      look = { size: l.size, color: mixColors(t.foreground, t.background, l.strength), zIndex: -r };
      shownLooks.set(r, look);
    }
    // Predicted edges keep their colour (by probability).
    return a.kind === 'predicted' ? { size: look.size, zIndex: look.zIndex } : look;
  }

  /** Names the LABELLED_TOP largest protocols among those the filters keep. */
  function relabel(): void {
    named = new Set();
    if (st.mode !== 'protocols') return;
    for (const n of ranked) {
      if (named.size >= LABELLED_TOP) break;
      if (g.graph.hasNode(n.id) && passes(n)) named.add(n.id);
    }
  }

  const g = new SigmaGraph({
    vc,
    nodeReducer: (id, a) => {
      if (id.startsWith(SECTOR)) {
        if (st.selected && id !== st.selected && !neighbours.has(id)) return { color: dim(), zIndex: 0 };
        return { forceLabel: true, zIndex: 1 };
      }
      const n = byId.get(id)!;
      const focus = st.selected ?? null;
      // A selection shows its neighbours whatever the filters say.
      if (focus && id === focus) return { highlighted: true, forceLabel: true, zIndex: 3 };
      if (focus && neighbours.has(id)) return { zIndex: 2, size: Math.max(a.size, 4), forceLabel: namedNeighbours.has(id) };
      if (!passes(n)) return st.hideFiltered ? { hidden: true } : { color: dim(), label: '', zIndex: 0 };
      if (focus) return { color: dim(), label: '', zIndex: 0 };
      if (st.query && matches.has(id)) return { highlighted: true, forceLabel: true, zIndex: 3 };
      if (named.has(id)) return { forceLabel: true, zIndex: 2 };
      return { zIndex: 1 };
    },
    edgeReducer: (_e, a) => {
      if (toggledOff(a)) return { hidden: true };
      // A selection's exposures are drawn strong, whatever their rank in the week.
      if (st.selected) return a.src === st.selected || a.dst === st.selected ? { color: a.kind === 'predicted' ? (a.color as string) : strong(), size: Math.max(a.size as number, 1.8), zIndex: 1 } : { hidden: true };
      if (filteredOut(a)) return { hidden: true };
      return shownW && a.kind !== 'sector' ? shownLook(a) : {};
    },
    onEnterNode: (id, pos) => showTooltip(id, pos),
    onLeaveNode: () => (tooltip.style.display = 'none'),
    onClickNode: (id) => (id.startsWith(SECTOR) ? expandSector(id.slice(SECTOR.length)) : select_(id === st.selected ? null : id)),
    onClickStage: () => select_(null),
    onFirstRender,
  });

  // Colours are mixed against the editor background, so a theme change repaints them.
  const offTheme = vc.onTheme(() => {
    populate();
    g.refresh();
  });

  /** Horizontal stretch of the saved (round) layout to the canvas's shape, so it fills it. */
  function aspect(): number {
    const w = g.host.clientWidth || root.clientWidth || 960;
    const h = g.host.clientHeight || 520;
    return Math.min(2.5, Math.max(1, w / h));
  }

  function populate(): void {
    const gr = g.graph;
    gr.clear();
    // The node under the pointer may be gone (a clicked sector): no leave event comes.
    tooltip.style.display = 'none';
    const t = vc.theme();
    const k = aspect();
    const edgeColor = (heavier: number, scale?: number) => mixColors(t.foreground, t.background, edgeLook(heavier, scale).strength);
    if (st.mode === 'sectors') {
      const o = sectors();
      const maxSector = Math.max(1, ...o.sectors.map((s) => s.tvl));
      for (const s of o.sectors) gr.addNode(SECTOR + s.category, { x: s.x * k, y: s.y, size: 6 + 26 * Math.sqrt(s.tvl / maxSector), color: categoryColor(s.members[0] ?? s.category), label: s.members.length > 1 ? `${s.category} (${s.members.length} categories)` : s.category });
      const w = Float64Array.from(o.edges, (e) => e.weight).sort();
      for (const e of o.edges) {
        const r = heavierThan(w, e.weight);
        gr.addEdge(SECTOR + e.source, SECTOR + e.target, { size: edgeLook(r, SECTOR_LINKS_STRONG).size, color: edgeColor(r, SECTOR_LINKS_STRONG), zIndex: -r, weight: e.weight, kind: 'sector', src: SECTOR + e.source, dst: SECTOR + e.target });
      }
    } else {
      for (const n of ranked) {
        if (!st.showAll && !topSet.has(n.id)) continue;
        gr.addNode(n.id, { x: n.x * k, y: n.y, size: nodeSize(n.tvl, maxTvl), color: categoryColor(n.category), label: n.name });
      }
      const inGraph = p.edges.filter((e) => gr.hasNode(e.source) && gr.hasNode(e.target));
      const graphW = Float64Array.from(inGraph, (e) => e.weight).sort();
      for (const e of inGraph) {
        const predicted = e.kind === 'predicted';
        const r = heavierThan(graphW, e.weight);
        gr.addEdge(e.source, e.target, {
          size: edgeLook(r).size,
          color: predicted ? mixColors(t.accent, t.background, 0.2 + 0.8 * (e.probability ?? 1)) : edgeColor(r),
          ...(predicted ? { type: DASHED } : {}),
          zIndex: -r,
          weight: e.weight,
          kind: predicted ? 'predicted' : 'observed',
          src: e.source,
          dst: e.target,
        });
      }
    }
    g.host.setAttribute('data-dx-mode', st.mode);
    for (const c of protocolControls) if (c) c.style.display = st.mode === 'sectors' ? 'none' : '';
    relabel();
    rankShown();
    updateCounts();
  }

  function updateCounts(): void {
    const all = p.nodes.length.toLocaleString('en-US');
    if (st.mode === 'sectors') {
      const o = sectors();
      counts.textContent = `${o.sectors.length} sectors (categories) of ${all} protocols; ${p.edges.length.toLocaleString('en-US')} exposures summed into ${o.edges.length} links between sectors${o.predicted ? ' (predicted, weighted by probability)' : ''}. Click a sector to see its protocols.`;
      return;
    }
    let nodes = 0;
    g.graph.forEachNode((id) => (passes(byId.get(id)!) ? nodes++ : 0));
    counts.textContent = `${nodes.toLocaleString('en-US')} of ${all} protocols shown${st.showAll ? '' : ` (top ${topN} by TVL)`}${filtering() ? ` match the filters${st.hideFiltered ? '' : ' (the rest dimmed)'}` : ''}, ${p.edges.length.toLocaleString('en-US')} exposures in the data`;
  }

  function showTooltip(id: string, pos: { x: number; y: number }): void {
    clear(tooltip);
    if (id.startsWith(SECTOR)) {
      const c = id.slice(SECTOR.length);
      const s = sectors().sectors.find((x) => x.category === c);
      if (!s) return;
      const out = sectors().edges.filter((e) => e.source === c).slice(0, 3);
      tooltip.append(
        el('div', { class: 'dx-tt-name', text: c }),
        el('div', { text: `${s.protocols.toLocaleString('en-US')} protocols · TVL ${formatUsd(s.tvl)} · exposure inside the sector ${formatUsd(s.internal)}` }),
      );
      if (s.members.length > 1) tooltip.append(el('div', { class: 'dx-sub', text: `${s.members.length} rare categories: ${s.members.slice(0, 12).join(', ')}${s.members.length > 12 ? ', …' : ''}` }));
      if (out.length) tooltip.append(el('div', { class: 'dx-sub', text: 'Largest exposures (holds tokens of):' }), el('ul', {}, out.map((e) => el('li', { text: `${e.target}: ${formatUsd(e.weight)} (${e.count.toLocaleString('en-US')} exposures)` }))));
      tooltip.append(el('div', { class: 'dx-sub', text: 'Click to see its protocols' }));
    } else {
      const n = byId.get(id);
      if (!n) return;
      tooltip.append(
        el('div', { class: 'dx-tt-name', text: n.name }),
        el('div', { text: `${n.category} · TVL ${formatUsd(n.tvl)}${n.sisRank ? ` · SIS rank ${n.sisRank}` : ''}` }),
      );
      const top = topEdges(outEdges.get(id) ?? [], 3);
      if (top.length) tooltip.append(el('div', { class: 'dx-sub', text: 'Largest exposures (holds tokens of):' }), el('ul', {}, top.map((e) => el('li', { text: `${byId.get(e.target)?.name ?? e.target}: ${formatUsd(e.weight)}` }))));
    }
    tooltip.style.display = '';
    const w = g.host.clientWidth;
    tooltip.style.left = `${Math.min(pos.x + 14, Math.max(0, w - 240))}px`;
    tooltip.style.top = `${pos.y + 14}px`;
  }

  function renderDetails(): void {
    clear(details);
    const id = st.selected;
    if (!id || id.startsWith(SECTOR)) return;
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
    const heaviest = new Map<string, number>();
    const add = (other: string, w: number) => {
      neighbours.add(other);
      heaviest.set(other, Math.max(heaviest.get(other) ?? 0, w));
    };
    if (id) {
      for (const e of outEdges.get(id) ?? []) add(e.target, e.weight);
      for (const e of inEdges.get(id) ?? []) add(e.source, e.weight);
      for (const e of p.edges) if (e.kind === 'predicted' && (e.source === id || e.target === id)) add(e.source === id ? e.target : e.source, e.weight);
    }
    namedNeighbours = new Set([...heaviest.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, NEIGHBOURS_LABELLED).map(([n]) => n));
    g.host.setAttribute('data-dx-selected', id ?? '');
    renderDetails();
    g.refresh();
  }

  /** Zooms to what the filters keep, or back to the whole graph when nothing filters. */
  function fit(): void {
    // A selection (a search with one match) shows it with its neighbours.
    if (st.mode === 'protocols' && st.selected && g.zoomToNodes([st.selected, ...neighbours])) return;
    if (st.mode === 'sectors' || !filtering()) {
      g.resetCamera();
      return;
    }
    const keep: string[] = [];
    g.graph.forEachNode((id) => (passes(byId.get(id)!) ? keep.push(id) : 0));
    if (!g.zoomToNodes(keep)) g.resetCamera();
  }

  /** Re-applies the filters: labels, counts, reducers, camera. */
  function filtersChanged(): void {
    relabel();
    rankShown();
    updateCounts();
    g.refresh();
    fit();
  }

  function setMode(mode: GraphViewState['mode']): void {
    if (st.mode === mode) return;
    st.mode = mode;
    modeSelect.value = mode;
    select_(null);
    populate();
    g.refresh();
    fit();
  }

  /** A sector's click: its protocols, all of them, with the rest hidden, zoomed to fit. */
  function expandSector(sector: string): void {
    const members = sectors().sectors.find((x) => x.category === sector)?.members ?? [sector];
    const c = members.length === 1 ? members[0]! : OTHER;
    st.category = c;
    catSelect.value = c;
    st.hideFiltered = true;
    setChecked(hideBox, true);
    if (!st.showAll) {
      st.showAll = true;
      if (showAllBox) setChecked(showAllBox, true);
    }
    st.mode = 'protocols';
    modeSelect.value = 'protocols';
    select_(null);
    populate();
    filtersChanged();
  }

  /** Matches best first: the exact name, then names starting with the query, then by TVL. */
  function rankedMatches(): GraphNode[] {
    const q = st.query;
    const score = (n: GraphNode) => {
      const name = n.name.toLowerCase();
      return name === q ? 0 : name.startsWith(q) ? 1 : 2;
    };
    return [...matches].map((id) => byId.get(id)!).sort((a, b) => score(a) - score(b) || b.tvl - a.tvl || (a.id < b.id ? -1 : 1));
  }

  /** The matches as buttons (several matches): a click selects one. */
  function renderMatches(list: GraphNode[]): void {
    clear(matchList);
    if (list.length < 2) return;
    const shown = list.slice(0, MATCHES_LISTED);
    matchList.append(
      el('span', { class: 'dx-sub', text: 'Select: ' }),
      ...shown.map((n) => {
        const b = el('button', { class: 'dx-match', text: n.name, title: `${n.category} · TVL ${formatUsd(n.tvl)}`, attrs: { type: 'button', 'data-dx-node': n.id } });
        b.classList.toggle('dx-match-on', st.selected === n.id);
        b.addEventListener('click', () => {
          select_(n.id);
          renderMatches(list);
          fit();
        });
        return b;
      }),
    );
    if (list.length > shown.length) matchList.append(el('span', { class: 'dx-sub', text: ` and ${list.length - shown.length} more (type more of the name)` }));
  }

  /**
   * Search by name (case-insensitive substring). One match is selected; among several,
   * a protocol whose whole name is the query is selected (typing "WBTC" means WBTC, not
   * every name containing it), the others stay highlighted and listed to pick from, and
   * Enter picks the best. The camera fits the selection, or all the matches.
   */
  function search(q: string): void {
    st.query = q.trim().toLowerCase();
    if (st.query && st.mode === 'sectors') {
      // Searching names a protocol: leave the overview for all the protocols.
      st.showAll = true;
      if (showAllBox) setChecked(showAllBox, true);
      setMode('protocols');
    }
    matches = new Set();
    if (st.query) for (const n of p.nodes) if (n.name.toLowerCase().includes(st.query) && g.graph.hasNode(n.id)) matches.add(n.id);
    const list = rankedMatches();
    const exact = list.filter((n) => n.name.toLowerCase() === st.query);
    const pick = list.length === 1 ? list[0]! : exact.length === 1 ? exact[0]! : null;
    const n = matches.size;
    setStatus(st.query ? `${n} match${n === 1 ? '' : 'es'} for "${q.trim()}"${n === 0 && !st.showAll ? ' (try "Show all")' : ''}${pick && n > 1 ? `; selected the one named exactly "${pick.name}"` : ''}${!pick && n > 1 ? ' (highlighted; Enter selects the first)' : ''}` : '');
    if (pick) select_(pick.id);
    else if (st.selected) select_(null);
    renderMatches(list);
    filtersChanged();
  }

  /** Enter in the search box: select the best match. */
  function pickFirstMatch(): void {
    const first = rankedMatches()[0];
    if (!first || st.selected === first.id) return;
    select_(first.id);
    renderMatches(rankedMatches());
    fit();
  }

  function setChecked(c: HTMLElement, v: boolean): void {
    (c as HTMLElement & { checked: boolean }).checked = v;
    c.toggleAttribute('checked', v);
  }

  function chooseCategory(c: string): void {
    if (st.mode === 'sectors' && c !== ALL) {
      expandSector(c);
      return;
    }
    st.category = c;
    catSelect.value = c;
    filtersChanged();
  }

  // Controls
  const modeSelect = select([{ value: 'sectors', label: 'Sectors (overview)' }, { value: 'protocols', label: 'Protocols' }], st.mode, (v) => setMode(v === 'sectors' ? 'sectors' : 'protocols'), 'mode');
  const catSelect = select([
    { value: ALL, label: 'All categories' },
    ...p.categories.map((c) => ({ value: c, label: c })),
    ...(rare.length > 1 ? [{ value: OTHER, label: `${OTHER_LABEL}: the ${rare.length} rare categories` }] : []),
  ], ALL, (v) => chooseCategory(v), 'category');
  const minLabel = el('span', { class: 'dx-sub', text: 'any', attrs: { 'data-dx': 'min-label' } });
  const logMax = Math.log10(Math.max(10, maxW));
  const minRange = range(0, 100, 1, 0, (k) => {
    st.minWeight = k === 0 ? 0 : Math.pow(10, (k / 100) * logMax);
    minLabel.textContent = k === 0 ? 'any' : `≥ ${formatUsd(st.minWeight)}`;
    filtersChanged();
  }, 'min-exposure');
  minRange.addEventListener('input', () => (minLabel.textContent = Number(minRange.value) === 0 ? 'any' : `≥ ${formatUsd(Math.pow(10, (Number(minRange.value) / 100) * logMax))}`));
  const searchBox = textfield('Search protocols', (v) => search(v), 'search');
  searchBox.addEventListener('keydown', (e) => {
    if ((e as KeyboardEvent).key === 'Enter') pickFirstMatch();
  });
  const matchList = el('div', { class: 'dx-matches', attrs: { 'data-dx': 'matches' } });
  // One entry per colour (./colors): the frequent categories, then "Other" for the rare
  // ones sharing its colour (named on hover), then Unknown. A click filters to a category.
  const legendGroups = categoryLegend(p.categories);
  const legend = el('div', { class: 'dx-legend', attrs: { 'data-dx': 'legend' } }, [
    ...legendGroups.map((grp) => {
      const one = grp.members.length === 1 ? grp.members[0]! : undefined;
      const item = el('span', {
        class: 'dx-legend-item',
        title: one !== undefined ? `Show only ${one}` : `${grp.label}: ${grp.members.join(', ')}${grp.label === OTHER_LABEL ? ' (click to show only these)' : ''}`,
        attrs: { 'data-dx-category': grp.label },
      }, [el('span', { class: 'dx-swatch', style: { background: grp.color } }), el('span', { text: one ?? `${grp.label} (${grp.members.length})` })]);
      const value = one ?? (grp.label === OTHER_LABEL ? OTHER : undefined);
      if (value !== undefined) item.addEventListener('click', () => chooseCategory(st.category === value ? ALL : value));
      return item;
    }),
    hasObserved ? el('span', { class: 'dx-legend-item' }, [el('span', { class: 'dx-swatch-line', style: { color: vc.theme().muted } }), el('span', { text: 'observed exposure (the larger, the darker and wider)' })]) : null,
    hasPredicted ? el('span', { class: 'dx-legend-item' }, [el('span', { class: 'dx-swatch-line dx-swatch-dash', style: { color: vc.theme().accent } }), el('span', { text: 'predicted (opacity: probability)' })]) : null,
    el('span', { class: 'dx-sub', text: 'node size: TVL · arrow p → q: p holds q\u2019s tokens' }),
  ]);

  const showAllBox = ranked.length > topN
    ? checkbox(`Show all ${p.nodes.length.toLocaleString('en-US')}`, st.showAll, (v) => {
      st.showAll = v;
      populate();
      search(st.query);
    }, 'show-all')
    : null;
  const hideBox = checkbox('Hide filtered out', st.hideFiltered, (v) => {
    st.hideFiltered = v;
    updateCounts();
    g.refresh();
  }, 'hide-filtered');
  const observedBox = hasObserved && hasPredicted ? checkbox('Observed', true, (v) => ((st.observed = v), rankShown(), g.refresh()), 'observed') : null;
  const predictedBox = hasPredicted ? checkbox('Predicted', true, (v) => ((st.predicted = v), rankShown(), g.refresh()), 'predicted') : null;
  const protocolControls = [showAllBox, hideBox, observedBox, predictedBox];

  const toolbar = el('div', { class: 'dx-toolbar' }, [
    canSectors ? labelled('View', modeSelect) : null,
    searchBox,
    labelled('Category', catSelect),
    labelled('Min exposure', minRange),
    minLabel,
    ...protocolControls,
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
    // The folder's name; its full path on hover.
    p.source ? el('div', { class: 'dx-sub', text: `Source: ${displaySource(p.source)}`, attrs: { title: p.source, 'data-dx': 'source' } }) : null,
  ]);
  g.host.appendChild(tooltip);
  root.append(header, toolbar, g.host, legend, status, matchList, details);
  populate();
  (g.host as unknown as { dxGraph: SigmaGraph }).dxGraph = g;
  return () => (offTheme(), g.dispose());
}

export type { NodeAttrs };
