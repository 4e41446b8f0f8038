/**
 * `chartView(figure)`: a Plotly figure (application/vnd.dexposure.chart+json), and
 * small figure builders for the paper's charts: time series, scatter against the
 * y = x line (Figure 4, predicted vs realised), grouped bars (Figures 2-3).
 * Typed arrays are converted to plain arrays and non-finite numbers to null so the
 * payload survives JSON (Plotly draws null as a gap).
 */
import { chartMarkdown } from './markdown';
import { plotlyText, plotlyValues } from './plotly-text';
import { makeView, type View } from './displayable';
import { DISPLAY_PROTOCOL_VERSION, type ChartPayload } from './protocol';
import { MIME } from './views';

export interface Figure {
  data: readonly Record<string, unknown>[];
  layout?: Record<string, unknown>;
  config?: Record<string, unknown>;
  /** Keep the figure's own colours instead of the editor theme. */
  keepTheme?: boolean;
}

/** A figure a builder made: its traces and layout are the caller's to extend (`fig.data.push(...)`). */
export interface BuiltFigure extends Figure {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
}

function toJsonValue(v: unknown, path: string, depth: number): unknown {
  if (depth > 20) throw new Error(`display/chart: ${path} is nested too deeply (a cycle?)`);
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'bigint') return Number(v);
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v === undefined) return undefined;
  if (v instanceof Date) return v.toISOString();
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>, (x) => (Number.isFinite(x) ? x : null));
  if (Array.isArray(v)) return v.map((x, i) => toJsonValue(x, `${path}[${i}]`, depth + 1));
  if (typeof v === 'function' || typeof v === 'symbol') throw new Error(`display/chart: ${path} is a ${typeof v}; figures must be plain data`);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    const j = toJsonValue(x, `${path}.${k}`, depth + 1);
    if (j !== undefined) out[k] = j;
  }
  return out;
}

export function chartPayload(figure: Figure): ChartPayload {
  if (figure === null || typeof figure !== 'object') throw new Error('display/chart: expected a figure object { data: [...], layout?: {...} }');
  if (!Array.isArray(figure.data)) throw new Error(`display/chart: figure.data must be an array of traces, got ${typeof figure.data}`);
  figure.data.forEach((t, i) => {
    if (t === null || typeof t !== 'object' || Array.isArray(t)) throw new Error(`display/chart: figure.data[${i}] must be a trace object`);
  });
  const p: ChartPayload = { version: DISPLAY_PROTOCOL_VERSION, data: toJsonValue(figure.data, 'figure.data', 0) as unknown[] };
  if (figure.layout) p.layout = toJsonValue(figure.layout, 'figure.layout', 0) as Record<string, unknown>;
  if (figure.config) p.config = toJsonValue(figure.config, 'figure.config', 0) as Record<string, unknown>;
  if (figure.keepTheme) p.keepTheme = true;
  return p;
}

export function chartView(figure: Figure): View<ChartPayload> {
  const p = chartPayload(figure);
  return makeView(MIME.chart, p, chartMarkdown(p));
}

// ---- figure builders -------------------------------------------------------------

export interface Series {
  name: string;
  x: ArrayLike<number | string>;
  y: ArrayLike<number>;
}

/** Lines over time (weeks on x). */
export function timeSeriesFigure(series: Series[], opts: { title?: string; yTitle?: string; xTitle?: string; logY?: boolean } = {}): BuiltFigure {
  return {
    data: series.map((s) => ({ type: 'scatter', mode: 'lines', name: plotlyText(s.name), x: plotlyValues(s.x), y: Array.from(s.y) })),
    layout: {
      title: opts.title ? { text: plotlyText(opts.title) } : undefined,
      xaxis: { title: { text: plotlyText(opts.xTitle ?? 'week') } },
      yaxis: { title: { text: plotlyText(opts.yTitle ?? '') }, type: opts.logY ? 'log' : 'linear' },
    },
  };
}

/** Scatter with the y = x reference line spanning both axes' range (Figure 4). */
export function scatterIdentityFigure(points: { x: ArrayLike<number>; y: ArrayLike<number>; labels?: ArrayLike<string>; name?: string }, opts: { title?: string; xTitle?: string; yTitle?: string } = {}): BuiltFigure {
  const xs = Array.from(points.x);
  const ys = Array.from(points.y);
  if (xs.length !== ys.length) throw new Error(`display/chart: scatter x has ${xs.length} values but y has ${ys.length}`);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of [...xs, ...ys]) if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  if (!Number.isFinite(lo)) {
    lo = 0;
    hi = 1;
  }
  const pad = (hi - lo) * 0.05 || 0.5;
  const trace: Record<string, unknown> = { type: 'scatter', mode: 'markers', name: plotlyText(points.name ?? 'cases'), x: xs, y: ys };
  if (points.labels) trace.text = plotlyValues(points.labels);
  return {
    data: [trace, { type: 'scatter', mode: 'lines', name: 'y = x', x: [lo, hi], y: [lo, hi], line: { dash: 'dash', width: 1 }, hoverinfo: 'skip' }],
    layout: {
      title: opts.title ? { text: plotlyText(opts.title) } : undefined,
      // The same range on both axes, so y = x is the diagonal.
      xaxis: { title: { text: plotlyText(opts.xTitle ?? 'realised') }, range: [lo - pad, hi + pad] },
      yaxis: { title: { text: plotlyText(opts.yTitle ?? 'predicted') }, range: [lo - pad, hi + pad] },
    },
  };
}

/**
 * Grouped bars: one trace per group over shared categories (Figures 2-3). A group
 * with no finite value draws no bar, so it is left out of the legend and named in a
 * note under the plot instead, with the reason from `opts.missing` when given.
 */
export function groupedBarFigure(categories: readonly string[], groups: { name: string; values: ArrayLike<number> }[], opts: { title?: string; yTitle?: string; missing?: Record<string, string> } = {}): BuiltFigure {
  for (const g of groups) if (g.values.length !== categories.length) throw new Error(`display/chart: group "${g.name}" has ${g.values.length} values for ${categories.length} categories`);
  const drawn = groups.filter((g) => Array.from(g.values).some((v) => Number.isFinite(v)));
  const empty = groups.filter((g) => !drawn.includes(g));
  const layout: Record<string, unknown> = {
    title: opts.title ? { text: plotlyText(opts.title) } : undefined,
    barmode: 'group',
    // Category names are labels even when they look like numbers.
    xaxis: { type: 'category' },
    yaxis: { title: { text: plotlyText(opts.yTitle ?? '') } },
  };
  if (empty.length) {
    layout.annotations = [{ xref: 'paper', yref: 'paper', x: 0, y: -0.22, xanchor: 'left', yanchor: 'top', showarrow: false, align: 'left', text: plotlyText(`Not drawn: ${empty.map((g) => `${g.name}${opts.missing?.[g.name] ? ` (${opts.missing[g.name]})` : ' (no values)'}`).join('; ')}`) }];
    layout.margin = { b: 90 };
  }
  return { data: drawn.map((g) => ({ type: 'bar', name: plotlyText(g.name), x: plotlyValues(categories), y: Array.from(g.values) })), layout };
}
