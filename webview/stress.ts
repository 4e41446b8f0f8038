/**
 * Stress-test view (application/vnd.dexposure.stress+json): headline figures (system
 * loss, depth, affected, distressed), the contagion rounds as a stepper over the
 * affected subgraph, a bar chart of the largest losses, observed / predicted / realised
 * side by side when present, and what-if controls (shock size slider, "shock this
 * protocol" on the selected node) that ask the kernel for a rerun through the
 * extension and redraw in place. Without messaging, or without a reply in time, the
 * controls say why and the saved result stays.
 */
import { formatNumber, formatPercent, formatUsd } from '../src/core/display/format';
import type { StressPayload, StressResultPayload } from '../src/core/display/protocol';
import { mountPlot } from './chart';
import { categoryColor, mixColors } from './colors';
import { button, range, setDisabled } from './controls';
import { clear, el } from './dom';
import { saveButtons } from './image-export';
import { Plotly } from './plotly-api';
import { SigmaGraph } from './sigma-graph';
import { renderTable } from './table';
import type { ViewContext } from './view-context';

function figure(label: string, value: string, name: string): HTMLElement {
  return el('div', { class: 'dx-figure' }, [el('span', { class: 'dx-figure-value', text: value, attrs: { 'data-dx': name } }), el('span', { class: 'dx-figure-label', text: label })]);
}

function lossBars(r: StressResultPayload, k = 15): { data: unknown[]; layout: Record<string, unknown> } {
  const top = r.losses.slice(0, k).reverse();
  return {
    data: [{ type: 'bar', orientation: 'h', x: top.map((l) => l.loss), y: top.map((l) => (top.filter((o) => o.name === l.name).length > 1 ? `${l.name} (${l.id})` : l.name)), marker: { color: top.map((l) => categoryColor(l.category)) }, hovertext: top.map((l) => `${l.name} (${l.category}): loss ${formatUsd(l.loss)} of TVL ${formatUsd(l.tvl)}`), hoverinfo: 'text' }],
    layout: { title: { text: `Largest losses${r.label ? ` (${r.label})` : ''}` }, height: Math.max(260, 22 * top.length + 80), margin: { l: 160, r: 20, t: 40, b: 40 }, xaxis: { title: { text: 'loss (USD)' } } },
  };
}

export function renderStress(root: HTMLElement, initial: StressPayload, vc: ViewContext): () => void {
  let disposers: (() => void)[] = [];
  let shockSize = initial.whatIf?.shockSize ?? initial.scenario.shockSize ?? 0.5;
  let selected: string | null = null;
  let busy = false;

  const disposeAll = () => {
    for (const d of disposers) d();
    disposers = [];
  };

  function draw(p: StressPayload, note?: { text: string; error?: boolean }): void {
    disposeAll();
    clear(root);
    const r = p.result;
    const status = el('span', { class: 'dx-status', attrs: { 'data-dx': 'status' } });
    const setStatus = (t: string, error = false) => ((status.textContent = t), status.classList.toggle('dx-error', error));
    if (note) setStatus(note.text, note.error);

    const bars = lossBars(r);
    const barHost = el('div', { class: 'dx-chart', attrs: { 'data-dx': 'loss-bars' }, style: { 'min-height': '260px' } });

    root.append(
      el('div', { class: 'dx-title', text: `Stress test: ${p.scenario.name}${r.week ? ` — week ${r.week}` : ''}` }),
      ...(p.scenario.description ? [el('div', { class: 'dx-sub', text: p.scenario.description })] : []),
      el('div', { class: 'dx-headline' }, [
        figure('system loss', formatPercent(r.systemLossPct), 'system-loss'),
        figure(`lost of ${formatUsd(r.totalTvl)} TVL`, formatUsd(r.totalLoss), 'total-loss'),
        figure('depth (rounds)', formatNumber(r.depth, 0), 'depth'),
        figure('affected', formatNumber(r.affected, 0), 'affected'),
        figure('distressed', formatNumber(r.distressed, 0), 'distressed'),
      ]),
    );

    // What-if controls
    const whatIf = p.whatIf;
    const sizeLabel = el('span', { class: 'dx-sub', text: `${Math.round(shockSize * 100)}%`, attrs: { 'data-dx': 'shock-label' } });
    const slider = range(whatIf?.min ?? 0, whatIf?.max ?? 1, whatIf?.step ?? 0.05, shockSize, (v) => {
      shockSize = v;
      rerun({ shockSize: v });
    }, 'shock-size');
    slider.addEventListener('input', () => (sizeLabel.textContent = `${Math.round(Number(slider.value) * 100)}%`));
    const shockBtn = button('Shock selected protocol', () => selected && rerun({ shockSize, shockProtocol: selected }), { name: 'shock-selected', secondary: true });
    setDisabled(shockBtn, true, 'Select a protocol in the contagion graph first.');
    const controls = el('div', { class: 'dx-toolbar', attrs: { 'data-dx': 'what-if' } }, [el('span', { text: 'What if the shock were' }), slider, sizeLabel, p.graph ? shockBtn : null, el('span', { class: 'dx-spacer' }),
      saveButtons(vc.messenger, `stress-${p.scenario.name}`.replace(/[^\w.-]+/g, '-'), async (format) => {
        const img = await Plotly.toImage(barHost, { format, scale: format === 'png' ? 2 : 1 });
        return img;
      }, setStatus)]);
    let why: string | undefined;
    if (!whatIf) why = 'What-if reruns are off for this output: build it in a running kernel with dx.stressView(result, { snapshot, scenario }).';
    else if (!vc.messenger.available) why = 'What-if reruns need VS Code with a running kernel (no channel to the extension here). Showing the saved result.';
    if (why) {
      setDisabled(slider as unknown as HTMLElement, true, why);
      slider.disabled = true;
      setDisabled(shockBtn, true, why);
      if (!note) setStatus(why);
    }
    root.append(controls, status);

    function rerun(req: { shockSize?: number; shockProtocol?: string }): void {
      if (!whatIf || busy) return;
      busy = true;
      setStatus(req.shockProtocol ? `Rerunning with ${req.shockProtocol} shocked…` : `Rerunning with a ${Math.round((req.shockSize ?? 0) * 100)}% shock…`);
      root.setAttribute('aria-busy', 'true');
      const t0 = performance.now();
      vc.messenger
        .whatIf({ handle: whatIf.handle, ...req })
        .then((next) => {
          busy = false;
          root.removeAttribute('aria-busy');
          draw(next, { text: `Updated in ${Math.round(performance.now() - t0)} ms.` });
        })
        .catch((e: unknown) => {
          busy = false;
          root.removeAttribute('aria-busy');
          setStatus(e instanceof Error ? e.message : String(e), true);
        });
    }

    // Comparison
    const all = [r, ...(p.comparison ?? [])];
    if (all.length > 1) {
      const cmp = el('div', { class: 'dx-compare', attrs: { 'data-dx': 'comparison' } });
      root.append(cmp);
      disposers.push(renderTable(cmp, {
        version: 1,
        title: 'Same scenario on each graph',
        columns: [{ name: 'graph', kind: 'string' }, { name: 'system loss', kind: 'percent' }, { name: 'total loss', kind: 'usd' }, { name: 'depth', kind: 'integer' }, { name: 'affected', kind: 'integer' }, { name: 'distressed', kind: 'integer' }],
        rows: all.map((x, i) => [x.label ?? `result ${i + 1}`, x.systemLossPct, x.totalLoss, x.depth, x.affected, x.distressed]),
      }, vc));
    }

    // Contagion stepper + loss bars
    const grid = el('div', { class: p.graph ? 'dx-grid-2' : '' });
    root.append(grid);
    if (p.graph) {
      const gp = p.graph;
      const round = new Map<string, number>();
      for (const rd of r.rounds) for (const id of rd.newlyDistressed) if (!round.has(id)) round.set(id, rd.round);
      for (const l of r.losses) if (l.distressedRound !== undefined && !round.has(l.id)) round.set(l.id, l.distressedRound);
      const lossOf = new Map(r.losses.map((l) => [l.id, l.loss]));
      const maxRound = r.rounds.reduce((m, rd) => Math.max(m, rd.round), 0);
      let step = maxRound;
      const maxTvl = gp.nodes.reduce((m, n) => Math.max(m, n.tvl), 1);
      const names = new Map(gp.nodes.map((n) => [n.id, n.name]));
      const catOf = new Map(gp.nodes.map((n) => [n.id, n.category]));
      const caption = el('span', { attrs: { 'data-dx': 'round-caption' } });
      const sg = new SigmaGraph({
        vc,
        placeholder: 'Contagion graph appears when scrolled into view.',
        nodeReducer: (id) => {
          const rd = round.get(id);
          const t = vc.theme();
          if (id === selected) return { highlighted: true, forceLabel: true, zIndex: 3 };
          if (rd === 0) return { color: mixColors(t.error, t.background, 1), zIndex: 2 };
          if (rd !== undefined && rd <= step) return { color: '#f28e2b', zIndex: 2 };
          return { color: mixColors(categoryColor(catOf.get(id) ?? ''), t.background, 0.35), label: '', zIndex: 1 };
        },
        onClickNode: (id) => {
          selected = id;
          setDisabled(shockBtn, why !== undefined, why ?? `Rerun with ${names.get(id) ?? id} shocked alone`);
          shockBtn.textContent = `Shock ${names.get(id) ?? id}`;
          sg.host.setAttribute('data-dx-selected', id);
          sg.refresh();
        },
        onClickStage: () => {
          selected = null;
          setDisabled(shockBtn, true, 'Select a protocol in the contagion graph first.');
          shockBtn.textContent = 'Shock selected protocol';
          sg.host.setAttribute('data-dx-selected', '');
          sg.refresh();
        },
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
      const tip = el('div', { class: 'dx-tooltip', style: { display: 'none' } });
      sg.host.appendChild(tip);
      sg.host.style.height = '380px';
      for (const n of gp.nodes) sg.graph.addNode(n.id, { x: n.x, y: n.y, size: 3 + 14 * Math.sqrt(n.tvl / maxTvl), color: categoryColor(n.category), label: n.name });
      for (const e of gp.edges) if (sg.graph.hasNode(e.source) && sg.graph.hasNode(e.target)) sg.graph.addEdge(e.source, e.target, { size: 0.8, color: mixColors(vc.theme().foreground, vc.theme().background, 0.25) });
      const setStep = (k: number) => {
        step = Math.max(0, Math.min(maxRound, k));
        const rd = r.rounds.find((x) => x.round === step);
        caption.textContent = `Round ${step} of ${maxRound}: ${rd ? rd.newlyDistressed.length : 0} newly distressed, cumulative loss ${rd ? formatPercent(rd.cumulativeLossPct) : '—'}`;
        stepRange.value = String(step);
        sg.refresh();
      };
      let timer: ReturnType<typeof setInterval> | undefined;
      const stop = () => (timer !== undefined ? (clearInterval(timer), (timer = undefined), (playBtn.textContent = 'Play')) : undefined);
      const stepRange = range(0, maxRound, 1, step, (k) => (stop(), setStep(k)), 'round');
      stepRange.addEventListener('input', () => setStep(Number(stepRange.value)));
      const playBtn = button('Play', () => {
        if (timer !== undefined) return stop();
        playBtn.textContent = 'Pause';
        if (step >= maxRound) setStep(0);
        timer = setInterval(() => (step >= maxRound ? stop() : setStep(step + 1)), 700);
      }, { secondary: true, name: 'play' });
      const stepper = el('div', { class: 'dx-stepper' }, [button('◀', () => (stop(), setStep(step - 1)), { secondary: true, name: 'prev' }), playBtn, button('▶', () => (stop(), setStep(step + 1)), { secondary: true, name: 'next' }), stepRange, caption]);
      grid.append(el('div', {}, [el('div', { class: 'dx-sub', text: 'Contagion: red shocked, orange distressed by the round shown. Click a protocol to shock it.' }), sg.host, stepper]));
      setStep(maxRound);
      (sg.host as unknown as { dxGraph: SigmaGraph }).dxGraph = sg;
      disposers.push(() => (stop(), sg.dispose()));
    }
    grid.append(barHost);
    const plot = mountPlot(barHost, bars.data, bars.layout, { displayModeBar: false }, vc);
    disposers.push(() => plot.dispose());
  }

  draw(initial);
  return disposeAll;
}
