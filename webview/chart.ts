/**
 * Chart view (application/vnd.dexposure.chart+json): a Plotly figure themed with the
 * editor's colours (unless `keepTheme` or the figure sets them itself), re-themed live,
 * saved as PNG/SVG through the extension. The wheel zooms only after the plot has been
 * clicked, so scrolling the notebook is never captured.
 */
import { plotlyPlainText } from '../src/core/display/plotly-text';
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

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([ T][\d:.]+Z?)?$/;

/**
 * Axes that show names get `type: 'category'` unless the figure sets a type: Plotly
 * guesses an axis type from the values, so names that look like numbers ("4360")
 * make a numeric axis on which every other name is dropped. An axis is one of names
 * when its traces give it strings that are not all dates.
 */
export function categoryAxes(data: readonly unknown[], layout: Obj): Obj {
  const names = new Set<string>();
  const others = new Set<string>();
  for (const t of data) {
    if (!isObj(t)) continue;
    for (const dim of ['x', 'y'] as const) {
      const v = t[dim];
      const ref = typeof t[`${dim}axis`] === 'string' ? (t[`${dim}axis`] as string) : dim;
      const key = `${dim}axis${ref.slice(1)}`;
      if (!Array.isArray(v) || v.length === 0) continue;
      if (v.every((x) => typeof x === 'string' || x === null) && !v.every((x) => x === null || ISO_DATE.test(x as string))) names.add(key);
      else others.add(key);
    }
  }
  const out: Obj = { ...layout };
  for (const key of names) {
    if (others.has(key)) continue;
    const axis = isObj(out[key]) ? (out[key] as Obj) : {};
    if (axis.type === undefined) out[key] = { ...axis, type: 'category' };
  }
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
  const out = deepMerge(base, l);
  // A right-hand axis (yaxis2 on side 'right') sits where Plotly puts the legend: move
  // the legend above the plot unless the figure placed it.
  const right = Object.keys(l).some((k) => /^yaxis\d*$/.test(k) && isObj(l[k]) && (l[k] as Obj).side === 'right');
  const own = isObj(l.legend) ? l.legend : {};
  if (right && own.x === undefined && own.orientation === undefined) out.legend = { ...(out.legend as Obj), orientation: 'h', x: 0, xanchor: 'left', y: 1.02, yanchor: 'bottom' };
  return out;
}

export const BASE_CONFIG = { displaylogo: false, responsive: true, scrollZoom: false, modeBarButtonsToRemove: ['toImage', 'sendDataToCloud'] };

/** Plotly in a div, themed, with click-to-enable wheel zoom. Returns the dispose function. */
export interface MountedPlot {
  dispose(): void;
  update(data: unknown[], layout?: Obj): void;
  /** The plot as an image data URL; `title`, when given, is drawn above it (wrapped). */
  toImage(format: 'png' | 'svg', title?: string): Promise<string>;
}

export function mountPlot(host: HTMLElement, data: unknown[], layout: Obj | undefined, config: Obj | undefined, vc: ViewContext, keepTheme = false): MountedPlot {
  let cur = { data, layout };
  let active = false;
  const conf = () => ({ ...BASE_CONFIG, ...(config ?? {}), scrollZoom: active });
  const lay = () => categoryAxes(cur.data, keepTheme ? (cur.layout ?? {}) : themedLayout(cur.layout, vc.theme()));
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
    toImage(format, title) {
      const scale = format === 'png' ? 2 : 1;
      if (!title) return Plotly.toImage(host, { format, scale });
      const lines = wrapTitle(title, Math.max(30, Math.floor(host.clientWidth / 8)));
      const base = lay();
      const margin = isObj(base.margin) ? base.margin : {};
      const top = (typeof margin.t === 'number' ? margin.t : 40) + 20 * lines.length;
      const fig = { data: cur.data, layout: { ...base, title: { text: lines.map((l) => l.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')).join('<br>'), x: 0.01, xanchor: 'left', y: 0.99, yanchor: 'top' }, margin: { ...margin, t: top }, width: host.clientWidth, height: host.clientHeight + 20 * lines.length } };
      return Plotly.toImage(fig, { format, scale });
    },
  };
}

/** The layout without its title: the view shows the title as text above the plot. */
function withoutTitle(layout: Obj | undefined): Obj | undefined {
  if (!layout || layout.title === undefined) return layout;
  const { title: _t, ...rest } = layout;
  return rest;
}

/** Breaks a long title into lines of about `width` characters for a saved image. */
export function wrapTitle(text: string, width = 90): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

export function renderChart(root: HTMLElement, p: ChartPayload, vc: ViewContext): () => void {
  const status = el('span', { class: 'dx-status' });
  const setStatus = (t: string, error = false) => ((status.textContent = t), status.classList.toggle('dx-error', error));
  const host = el('div', { class: 'dx-chart', attrs: { 'data-dx': 'plot' } });
  // The title is Plotly markup (names escaped as entities); shown as text, it is decoded.
  const titleMarkup = typeof p.layout?.title === 'string' ? p.layout.title : isObj(p.layout?.title) && typeof p.layout.title.text === 'string' ? p.layout.title.text : undefined;
  const titleText = titleMarkup === undefined ? undefined : plotlyPlainText(titleMarkup);
  const title = titleText ?? 'chart';
  // A long title inside the plot is clipped at the plot's width and sits under Plotly's
  // toolbar; as text above the plot it wraps and never collides with either.
  root.append(
    ...(titleText ? [el('div', { class: 'dx-title', text: titleText, attrs: { 'data-dx': 'chart-title' } })] : []),
    el('div', { class: 'dx-toolbar' }, [
      el('span', { class: 'dx-sub', text: 'Click the plot to zoom with the wheel.' }),
      el('span', { class: 'dx-spacer' }),
      saveButtons(vc.messenger, title.replace(/[^\w.-]+/g, '-'), (format) => plot.toImage(format, titleText), setStatus),
    ]),
    host,
    status,
  );
  const plot = mountPlot(host, p.data, withoutTitle(p.layout), p.config, vc, p.keepTheme);
  return () => plot.dispose();
}
