/**
 * The stress view's contagion graph: the affected subgraph on one sigma canvas, nodes
 * coloured by the round they became distressed (red shocked, orange by the round the
 * stepper shows), yellow for losses below the distress threshold, with a note on
 * whom the shock reached (or why it reached nobody) and a round stepper over the
 * rounds that count towards the depth (none when the depth is 0). `update` takes a what-if reply
 * and changes the existing graph in place (attributes for kept nodes, add/drop only
 * the nodes that came or went, edges replaced only when they differ), so a rerun never
 * tears down the WebGL context.
 */
import { formatPercent, formatUsd } from '../src/core/display/format';
import type { GraphEdge, StressPayload, StressResultPayload } from '../src/core/display/protocol';
import { categoryColor, mixColors } from './colors';
import { button, range } from './controls';
import { el } from './dom';
import { SigmaGraph, type NodeAttrs } from './sigma-graph';
import type { ViewContext } from './view-context';

type ContagionGraphPayload = NonNullable<StressPayload['graph']>;

export interface ContagionHandlers {
  /** A node was clicked (id) or the stage was (null). */
  onSelect(id: string | null, name: string | undefined): void;
}

export interface ContagionView {
  readonly element: HTMLElement;
  readonly sigma: SigmaGraph;
  /** The selected node, if it is still in the graph. */
  readonly selected: string | null;
  update(gp: ContagionGraphPayload, r: StressResultPayload): void;
  dispose(): void;
}

function sameEdges(a: readonly GraphEdge[], b: readonly GraphEdge[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.source !== b[i]!.source || a[i]!.target !== b[i]!.target) return false;
  return true;
}

const DISTRESSED = '#f28e2b';
const BELOW_THRESHOLD = '#e6c229';

/** What the panel shows, in words: whom the shock reached, or why it reached nobody. */
export function contagionNote(gp: ContagionGraphPayload, r: StressResultPayload): string {
  const shocked = new Set(r.rounds.filter((rd) => rd.round === 0).flatMap((rd) => rd.newlyDistressed));
  const name = new Map(gp.nodes.map((n) => [n.id, n.name]));
  const creditors = new Set<string>();
  const holdings = new Set<string>();
  for (const e of gp.edges) {
    if (e.source === e.target) continue;
    if (shocked.has(e.target) && !shocked.has(e.source)) creditors.add(e.source);
    if (shocked.has(e.source) && !shocked.has(e.target)) holdings.add(e.target);
  }
  const losing = r.losses.filter((l) => !shocked.has(l.id) && l.loss > 0);
  const below = losing.filter((l) => l.distressedRound === undefined).length;
  const who = shocked.size === 1 ? (name.get([...shocked][0]!) ?? [...shocked][0]!) : `the ${shocked.size} shocked protocols`;
  if (shocked.size === 0) return 'No protocol was shocked.';
  if (losing.length === 0) {
    const held = holdings.size ? ` Shown around it: ${holdings.size} protocol${holdings.size === 1 ? '' : 's'} it holds tokens of (grey), which a loss of ${who} does not reach.` : '';
    return creditors.size === 0
      ? `No protocol holds tokens of ${who} in this week, so the shock stays where it hit.${held}`
      : `${creditors.size} creditor${creditors.size === 1 ? '' : 's'} of ${who} shown, none with a loss.`;
  }
  const distressed = losing.length - below;
  return `${losing.length} protocol${losing.length === 1 ? '' : 's'} lost value through ${who}: ${distressed} distressed, ${below} below the distress threshold (yellow).`;
}

export function createContagion(vc: ViewContext, handlers: ContagionHandlers): ContagionView {
  // Per-result lookups the reducer and tooltip read; replaced by each update.
  let round = new Map<string, number>();
  let lossOf = new Map<string, number>();
  let names = new Map<string, string>();
  let catOf = new Map<string, string>();
  let rounds: StressResultPayload['rounds'] = [];
  let maxRound = 0;
  let finalLossPct = 0;
  let step = 0;
  let selected: string | null = null;
  let edges: readonly GraphEdge[] = [];

  const caption = el('span', { attrs: { 'data-dx': 'round-caption' } });
  const tip = el('div', { class: 'dx-tooltip', style: { display: 'none' } });
  const select = (id: string | null) => {
    selected = id;
    sg.host.setAttribute('data-dx-selected', id ?? '');
    handlers.onSelect(id, id ? (names.get(id) ?? id) : undefined);
    sg.refresh();
  };
  const sg = new SigmaGraph({
    vc,
    placeholder: 'Contagion graph appears when scrolled into view.',
    nodeReducer: (id) => {
      const rd = round.get(id);
      const t = vc.theme();
      if (id === selected) return { highlighted: true, forceLabel: true, zIndex: 3 };
      if (rd === 0) return { color: mixColors(t.error, t.background, 1), zIndex: 2 };
      if (rd !== undefined && rd <= step) return { color: DISTRESSED, zIndex: 2 };
      if (rd === undefined && (lossOf.get(id) ?? 0) > 0) return { color: BELOW_THRESHOLD, zIndex: 2 };
      return { color: mixColors(categoryColor(catOf.get(id) ?? ''), t.background, 0.35), label: '', zIndex: 1 };
    },
    onClickNode: (id) => select(id),
    onClickStage: () => select(null),
    onEnterNode: (id, pos) => {
      const loss = lossOf.get(id);
      const rd = round.get(id);
      tip.textContent = `${names.get(id) ?? id}: ${loss !== undefined ? `loss ${formatUsd(loss)}` : 'no loss'}${rd !== undefined ? `, distressed in round ${rd}` : ''}`;
      tip.style.display = '';
      tip.style.left = `${pos.x + 12}px`;
      tip.style.top = `${pos.y + 12}px`;
    },
    onLeaveNode: () => (tip.style.display = 'none'),
  });
  sg.host.appendChild(tip);
  sg.host.style.height = '380px';

  const setStep = (k: number) => {
    step = Math.max(0, Math.min(maxRound, k));
    const rd = rounds.find((x) => x.round === step);
    // The last distress round also shows the losses that kept arriving after it.
    const lossPct = step === maxRound ? finalLossPct : rd?.cumulativeLossPct;
    caption.textContent = maxRound === 0
      ? `Depth 0: no protocol beyond the shocked ones became distressed; total loss ${formatPercent(finalLossPct)}`
      : `Round ${step} of ${maxRound}: ${rd ? rd.newlyDistressed.length : 0} newly distressed, cumulative loss ${lossPct !== undefined ? formatPercent(lossPct) : '—'}`;
    stepRange.value = String(step);
    sg.refresh();
  };
  let timer: ReturnType<typeof setInterval> | undefined;
  const stop = () => (timer !== undefined ? (clearInterval(timer), (timer = undefined), (playBtn.textContent = 'Play')) : undefined);
  const stepRange = range(0, 0, 1, 0, (k) => (stop(), setStep(k)), 'round');
  stepRange.addEventListener('input', () => setStep(Number(stepRange.value)));
  const playBtn = button('Play', () => {
    if (timer !== undefined) return stop();
    playBtn.textContent = 'Pause';
    if (step >= maxRound) setStep(0);
    timer = setInterval(() => (step >= maxRound ? stop() : setStep(step + 1)), 700);
  }, { secondary: true, name: 'play' });
  const stepButtons = el('span', { class: 'dx-stepper', style: { margin: '0' } }, [button('◀', () => (stop(), setStep(step - 1)), { secondary: true, name: 'prev' }), playBtn, button('▶', () => (stop(), setStep(step + 1)), { secondary: true, name: 'next' }), stepRange]);
  const stepper = el('div', { class: 'dx-stepper' }, [stepButtons, caption]);
  const note = el('div', { class: 'dx-sub', attrs: { 'data-dx': 'contagion-note' } });
  const element = el('div', {}, [el('div', { class: 'dx-sub', text: 'Contagion: red shocked, orange distressed by the round shown, yellow lost less than the distress threshold. Click a protocol to shock it.' }), note, sg.host, stepper]);
  (sg.host as unknown as { dxGraph: SigmaGraph }).dxGraph = sg;

  /** Brings the graphology graph to `gp`, touching only what changed. */
  function syncGraph(gp: ContagionGraphPayload): void {
    const g = sg.graph;
    const maxTvl = gp.nodes.reduce((m, n) => Math.max(m, n.tvl), 1);
    const want = new Map<string, NodeAttrs>(gp.nodes.map((n) => [n.id, { x: n.x, y: n.y, size: 3 + 14 * Math.sqrt(n.tvl / maxTvl), color: categoryColor(n.category), label: n.name }]));
    const gone = g.filterNodes((id) => !want.has(id));
    for (const id of gone) g.dropNode(id);
    for (const [id, a] of want) if (!g.hasNode(id)) g.addNode(id, a);
    // One batched event for the kept nodes (sigma reprocesses once, not per node).
    g.updateEachNodeAttributes((id, a) => want.get(id) ?? a);
    if (gone.length || !sameEdges(edges, gp.edges)) {
      g.clearEdges();
      const t = vc.theme();
      const color = mixColors(t.foreground, t.background, 0.25);
      for (const e of gp.edges) if (g.hasNode(e.source) && g.hasNode(e.target)) g.addEdge(e.source, e.target, { size: 0.8, color });
      edges = gp.edges;
    }
  }

  function update(gp: ContagionGraphPayload, r: StressResultPayload): void {
    stop();
    round = new Map();
    for (const rd of r.rounds) for (const id of rd.newlyDistressed) if (!round.has(id)) round.set(id, rd.round);
    for (const l of r.losses) if (l.distressedRound !== undefined && !round.has(l.id)) round.set(l.id, l.distressedRound);
    lossOf = new Map(r.losses.map((l) => [l.id, l.loss]));
    names = new Map(gp.nodes.map((n) => [n.id, n.name]));
    catOf = new Map(gp.nodes.map((n) => [n.id, n.category]));
    rounds = r.rounds;
    // The stepper walks the rounds in which protocols became distressed: as many as the
    // depth, so "Round k of n" agrees with the headline.
    maxRound = r.depth;
    finalLossPct = r.systemLossPct;
    stepButtons.style.display = maxRound === 0 ? 'none' : '';
    note.textContent = contagionNote(gp, r);
    syncGraph(gp);
    if (selected !== null && !sg.graph.hasNode(selected)) select(null);
    stepRange.max = String(maxRound);
    setStep(maxRound);
  }

  return {
    element,
    sigma: sg,
    get selected() {
      return selected;
    },
    update,
    dispose: () => (stop(), sg.dispose()),
  };
}
