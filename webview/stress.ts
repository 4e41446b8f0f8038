/**
 * Stress-test view (application/vnd.dexposure.stress+json): headline figures (system
 * loss, depth, affected, distressed), the contagion rounds as a stepper over the
 * affected subgraph, a bar chart of the largest losses, observed / predicted / realised
 * side by side when present, and what-if controls (shock size slider, "shock this
 * protocol" on the selected node) that ask the kernel for a rerun through the
 * extension. A reply updates the view in place: the headline figures and status at
 * once, then, after that frame is painted, the bars (Plotly.react on the same plot)
 * and the contagion graph (the same sigma canvas and WebGL context). Without
 * messaging, or without a reply in time, the controls say why and the saved result
 * stays.
 */
import { formatNumber, formatPercent, formatUsd } from '../src/core/display/format';
import type { StressPayload, StressResultPayload } from '../src/core/display/protocol';
import { plotlyText } from '../src/core/display/plotly-text';
import { mountPlot } from './chart';
import { categoryColor } from './colors';
import { createContagion, type ContagionView } from './contagion';
import { button, range, setDisabled } from './controls';
import { clear, el } from './dom';
import { saveButtons } from './image-export';
import { Plotly } from './plotly-api';
import { renderTable } from './table';
import type { ViewContext } from './view-context';

type WhatIfRequest = { shockSize?: number; shockProtocol?: string };

const FIGURES = ['system-loss', 'total-loss', 'depth', 'affected', 'distressed'] as const;
type FigureName = (typeof FIGURES)[number];

function figure(name: FigureName): { box: HTMLElement; value: HTMLElement; label: HTMLElement } {
  const value = el('span', { class: 'dx-figure-value', attrs: { 'data-dx': name } });
  const label = el('span', { class: 'dx-figure-label' });
  return { box: el('div', { class: 'dx-figure' }, [value, label]), value, label };
}

function figureTexts(r: StressResultPayload): Record<FigureName, [value: string, label: string]> {
  return {
    'system-loss': [formatPercent(r.systemLossPct), 'system loss'],
    'total-loss': [formatUsd(r.totalLoss), `lost of ${formatUsd(r.totalTvl)} TVL`],
    depth: [formatNumber(r.depth, 0), 'depth (rounds)'],
    affected: [formatNumber(r.affected, 0), 'affected'],
    distressed: [formatNumber(r.distressed, 0), 'distressed'],
  };
}

function lossBars(r: StressResultPayload, k = 15): { data: unknown[]; layout: Record<string, unknown> } {
  const top = r.losses.slice(0, k).reverse();
  return {
    data: [{ type: 'bar', orientation: 'h', x: top.map((l) => l.loss), y: top.map((l) => plotlyText(top.filter((o) => o.name === l.name).length > 1 ? `${l.name} (${l.id})` : l.name)), marker: { color: top.map((l) => categoryColor(l.category)) }, hovertext: top.map((l) => plotlyText(`${l.name} (${l.category}): loss ${formatUsd(l.loss)} of TVL ${formatUsd(l.tvl)}`)), hoverinfo: 'text' }],
    layout: { title: { text: plotlyText(`Largest losses${r.label ? ` (${r.label})` : ''}`) }, height: Math.max(260, 22 * top.length + 80), margin: { l: 160, r: 20, t: 40, b: 40 }, xaxis: { title: { text: 'loss (USD)' }, tickprefix: '$' },
      // Names are labels even when they look like numbers ("4360"): a category axis, never a numeric one.
      yaxis: { type: 'category', automargin: true } },
  };
}

/** Runs `fn` in a task after the next frame has been painted. */
function afterPaint(fn: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const raf = requestAnimationFrame(() => (timer = setTimeout(fn, 0)));
  return () => (cancelAnimationFrame(raf), timer !== undefined && clearTimeout(timer));
}

export function renderStress(root: HTMLElement, initial: StressPayload, vc: ViewContext): () => void {
  let cur = initial;
  let shockSize = initial.whatIf?.shockSize ?? initial.scenario.shockSize ?? 0.5;
  let inFlight = false;
  let wanted: WhatIfRequest | undefined;
  /** The newest request made (sent or waiting); undefined once the view shows a saved or failed state. */
  let asked: WhatIfRequest | undefined;
  let why: string | undefined;
  let revision = 0;
  let cancelDeferred: (() => void) | undefined;
  let disposeTable: (() => void) | undefined;
  let contagion: ContagionView | undefined;

  // Skeleton, built once; every part below is filled from the current payload.
  const title = el('div', { class: 'dx-title' });
  const description = el('div', { class: 'dx-sub' });
  const figures = Object.fromEntries(FIGURES.map((n) => [n, figure(n)])) as Record<FigureName, ReturnType<typeof figure>>;
  const status = el('span', { class: 'dx-status', attrs: { 'data-dx': 'status' } });
  const setStatus = (t: string, error = false) => ((status.textContent = t), status.classList.toggle('dx-error', error));
  const barHost = el('div', { class: 'dx-chart', attrs: { 'data-dx': 'loss-bars' }, style: { 'min-height': '260px' } });

  const sizeLabel = el('span', { class: 'dx-sub', attrs: { 'data-dx': 'shock-label' } });
  const showSize = (v: number) => (sizeLabel.textContent = `${Math.round(v * 100)}%`);
  // While the slider is dragged, its value is asked for at most once a frame (the last
  // value of the frame wins) and the rerun queue keeps only the newest request, so a
  // fast drag never lines up stale work; the release ('change') asks at once, unless
  // that value was the last one asked for already.
  let frame: number | undefined;
  const askSlider = (): void => {
    if (frame !== undefined) cancelAnimationFrame(frame);
    frame = undefined;
    const v = Number(slider.value);
    shockSize = v;
    if (asked?.shockSize === v && asked.shockProtocol === undefined) return;
    rerun({ shockSize: v });
  };
  const slider = range(0, 1, 0.05, shockSize, askSlider, 'shock-size');
  slider.addEventListener('input', () => {
    showSize(Number(slider.value));
    frame ??= requestAnimationFrame(askSlider);
  });
  const noSelection = 'Select a protocol in the contagion graph first.';
  const shockBtn = button('Shock selected protocol', () => contagion?.selected && rerun({ shockSize, shockProtocol: contagion.selected }), { name: 'shock-selected', secondary: true });
  let selectedName: string | undefined;
  const showSelection = (id: string | null, name = selectedName) => {
    selectedName = name;
    setDisabled(shockBtn, id === null || why !== undefined, id === null ? noSelection : (why ?? `Rerun with ${name ?? id} shocked alone`));
    shockBtn.textContent = id === null ? 'Shock selected protocol' : `Shock ${name ?? id}`;
  };
  showSelection(null);
  const whatIfParts = el('span', { class: 'dx-toolbar', style: { margin: '0' } }, [el('span', { text: 'What if the shock were' }), slider, sizeLabel, shockBtn]);
  const controls = el('div', { class: 'dx-toolbar', attrs: { 'data-dx': 'what-if' } }, [whatIfParts, el('span', { class: 'dx-spacer' }),
    saveButtons(vc.messenger, `stress-${initial.scenario.name}`.replace(/[^\w.-]+/g, '-'), (format) => Plotly.toImage(barHost, { format, scale: format === 'png' ? 2 : 1 }), setStatus)]);
  const cmp = el('div', { class: 'dx-compare', attrs: { 'data-dx': 'comparison' } });
  const grid = el('div', {}, [barHost]);
  root.append(title, description, el('div', { class: 'dx-headline' }, FIGURES.map((n) => figures[n].box)), controls, status, cmp, grid);
  let plot: ReturnType<typeof mountPlot> | undefined;

  /** What the user reads first: title, figures, slider state, status. */
  function showHeadline(p: StressPayload, note?: { text: string; error?: boolean }): void {
    const r = p.result;
    title.textContent = `Stress test: ${p.scenario.name}${r.week ? ` — week ${r.week}` : ''}`;
    description.textContent = p.scenario.description ?? '';
    description.style.display = p.scenario.description ? '' : 'none';
    const texts = figureTexts(r);
    for (const n of FIGURES) [figures[n].value.textContent, figures[n].label.textContent] = texts[n];

    const w = p.whatIf;
    slider.min = String(w?.min ?? 0);
    slider.max = String(w?.max ?? 1);
    slider.step = String(w?.step ?? 0.05);
    // A value dragged to but not yet asked for (its frame pending) stays under the pointer.
    if (frame === undefined) {
      slider.value = String(shockSize);
      showSize(shockSize);
    }
    why = undefined;
    // Without a rerun handle (comparisons, results shown without their snapshot) the
    // controls cannot work at all: they are hidden, not greyed.
    whatIfParts.style.display = w ? '' : 'none';
    if (!w) why = 'What-if reruns are off for this output.';
    else if (!vc.messenger.available) why = 'What-if reruns need VS Code with a running kernel (no channel to the extension here). Showing the saved result.';
    slider.disabled = why !== undefined;
    setDisabled(slider as unknown as HTMLElement, why !== undefined, why ?? '');
    shockBtn.style.display = p.graph ? '' : 'none';
    showSelection(contagion?.selected ?? null);
    root.setAttribute('data-dx-shock', String(w?.shockSize ?? p.scenario.shockSize ?? ''));
    if (note) setStatus(note.text, note.error);
    else setStatus(w ? (why ?? '') : '');
  }

  /** Everything else: comparison table, contagion graph, loss bars. */
  function showDetails(p: StressPayload): void {
    const r = p.result;
    disposeTable?.();
    disposeTable = undefined;
    clear(cmp);
    const all = [r, ...(p.comparison ?? [])];
    cmp.style.display = all.length > 1 ? '' : 'none';
    if (all.length > 1) {
      disposeTable = renderTable(cmp, {
        version: 1,
        title: 'Same scenario on each graph',
        columns: [{ name: 'graph', kind: 'string' }, { name: 'system loss', kind: 'percent' }, { name: 'total loss', kind: 'usd' }, { name: 'depth', kind: 'integer' }, { name: 'affected', kind: 'integer' }, { name: 'distressed', kind: 'integer' }],
        rows: all.map((x, i) => [x.label ?? `result ${i + 1}`, x.systemLossPct, x.totalLoss, x.depth, x.affected, x.distressed]),
      }, vc);
    }
    if (p.graph && !contagion) {
      contagion = createContagion(vc, { onSelect: showSelection });
      grid.prepend(contagion.element);
    }
    if (contagion) {
      contagion.element.style.display = p.graph ? '' : 'none';
      if (p.graph) contagion.update(p.graph, r);
    }
    grid.className = p.graph ? 'dx-grid-2' : '';
    // Mounted once the grid has its final columns (Plotly sizes to its container).
    const b = lossBars(r);
    if (plot) plot.update(b.data, b.layout);
    else plot = mountPlot(barHost, b.data, b.layout, { displayModeBar: false }, vc);
    root.setAttribute('data-dx-revision', String(revision));
  }

  /**
   * Sends the latest request; one at a time. A request made while another is in
   * flight replaces any earlier waiting one, and a reply that a newer request has
   * overtaken is not shown: the view always ends on the last value asked for.
   */
  function rerun(req: WhatIfRequest): void {
    if (!cur.whatIf) return;
    wanted = req;
    asked = req;
    root.setAttribute('aria-busy', 'true');
    setStatus(req.shockProtocol ? `Rerunning with ${req.shockProtocol} shocked…` : `Rerunning with a ${Math.round((req.shockSize ?? 0) * 100)}% shock…`);
    if (!inFlight) send();
  }

  function send(): void {
    const w = cur.whatIf;
    const req = wanted;
    wanted = undefined;
    if (!w || !req) return;
    inFlight = true;
    const t0 = performance.now();
    const settle = (): boolean => {
      inFlight = false;
      if (wanted) {
        send();
        return false;
      }
      root.removeAttribute('aria-busy');
      return true;
    };
    vc.messenger
      .whatIf({ handle: w.handle, ...req })
      .then((next) => {
        if (!settle()) return;
        cur = next;
        revision++;
        showHeadline(next, { text: `Updated in ${Math.round(performance.now() - t0)} ms.` });
        cancelDeferred?.();
        cancelDeferred = afterPaint(() => {
          cancelDeferred = undefined;
          showDetails(next);
        });
      })
      .catch((e: unknown) => {
        if (!settle()) return;
        // A failed value may be asked for again.
        asked = undefined;
        setStatus(e instanceof Error ? e.message : String(e), true);
      });
  }

  showHeadline(initial);
  showDetails(initial);
  return () => {
    if (frame !== undefined) cancelAnimationFrame(frame);
    cancelDeferred?.();
    disposeTable?.();
    contagion?.dispose();
    plot?.dispose();
  };
}
