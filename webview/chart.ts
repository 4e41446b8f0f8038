/**
 * Chart view (application/vnd.dexposure.chart+json): a Plotly figure themed with the
 * editor's colours (unless `keepTheme` or the figure sets them itself), re-themed live,
 * saved as PNG/SVG through the extension. The wheel zooms only after the plot has been
 * clicked, so scrolling the notebook is never captured.
 */
import type { ChartPayload } from '../src/core/display/protocol';
import { PALETTE } from './colors';
import { el } from './dom';
import { saveButtons } from './image-export';
import { Plotly } from './plotly-api';
import type { ThemeColors } from './theme';
import type { ViewContext } from './view-context';

type Obj = Record<string, unknown>;

function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** `over` wins; nested objects merge. */
export function deepMerge(base: Obj, over: Obj): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isObj(v) && isObj(out[k]) ? deepMerge(out[k] as Obj, v) : v;
  return out;
}

export function themedLayout(layout: Obj | undefined, t: ThemeColors): Obj {
  const axis = { gridcolor: t.grid, linecolor: t.grid, zerolinecolor: t.grid, tickcolor: t.grid, automargin: true };
  const base: Obj = {
    paper_bgcolor: 'rgba(0,0,0,0)',
    plot_bgcolor: 'rgba(0,0,0,0)',
    font: { color: t.foreground, family: t.fontFamily, size: t.fontSize },
    colorway: PALETTE,
    margin: { t: 40, r: 20, b: 50, l: 60 },
    legend: { bgcolor: 'rgba(0,0,0,0)' },
    hoverlabel: { bgcolor: t.background, font: { color: t.foreground } },
    autosize: true,
  };
  const l = layout ?? {};
  for (const k of Object.keys(l)) if (/^[xy]axis\d*$/.test(k)) base[k] = axis;
  base.xaxis ??= axis;
  base.yaxis ??= axis;
  return deepMerge(base, l);
}

export const BASE_CONFIG = { displaylogo: false, responsive: true, scrollZoom: false, modeBarButtonsToRemove: ['toImage', 'sendDataToCloud'] };

/** Plotly in a div, themed, with click-to-enable wheel zoom. Returns the dispose function. */
export function mountPlot(host: HTMLElement, data: unknown[], layout: Obj | undefined, config: Obj | undefined, vc: ViewContext, keepTheme = false): { dispose(): void; update(data: unknown[], layout?: Obj): void } {
  let cur = { data, layout };
  let active = false;
  const conf = () => ({ ...BASE_CONFIG, ...(config ?? {}), scrollZoom: active });
  const lay = () => (keepTheme ? (cur.layout ?? {}) : themedLayout(cur.layout, vc.theme()));
  const draw = () => void Plotly.react(host, cur.data, lay(), conf());
  draw();
  const onDown = () => {
    if (active) return;
    active = true;
    draw();
  };
  const onLeave = () => {
    if (!active) return;
    active = false;
    draw();
  };
  host.addEventListener('mousedown', onDown);
  host.addEventListener('mouseleave', onLeave);
  const offTheme = keepTheme ? () => undefined : vc.onTheme(() => draw());
  return {
    dispose() {
      host.removeEventListener('mousedown', onDown);
      host.removeEventListener('mouseleave', onLeave);
      offTheme();
      Plotly.purge(host);
    },
    update(d, l) {
      cur = { data: d, layout: l ?? cur.layout };
      draw();
    },
  };
}

export function renderChart(root: HTMLElement, p: ChartPayload, vc: ViewContext): () => void {
  const status = el('span', { class: 'dx-status' });
  const setStatus = (t: string, error = false) => ((status.textContent = t), status.classList.toggle('dx-error', error));
  const host = el('div', { class: 'dx-chart', attrs: { 'data-dx': 'plot' } });
  const title = typeof p.layout?.title === 'string' ? p.layout.title : isObj(p.layout?.title) && typeof p.layout.title.text === 'string' ? p.layout.title.text : 'chart';
  root.append(
    el('div', { class: 'dx-toolbar' }, [
      el('span', { class: 'dx-sub', text: 'Click the plot to zoom with the wheel.' }),
      el('span', { class: 'dx-spacer' }),
      saveButtons(vc.messenger, title.replace(/[^\w.-]+/g, '-'), (format) => Plotly.toImage(host, { format, scale: format === 'png' ? 2 : 1 }), setStatus),
    ]),
    host,
    status,
  );
  const plot = mountPlot(host, p.data, p.layout, p.config, vc, p.keepTheme);
  return () => plot.dispose();
}
