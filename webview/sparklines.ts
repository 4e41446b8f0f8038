/**
 * Sparklines view (application/vnd.dexposure.sparklines+json): a row per series with
 * a small line of its course (gaps where it has no value, the last point marked), its
 * first and last value, change, low and high, formatted as in the markdown fallback
 * (src/core/display/views/sparklines.ts). Hovering a line names the nearest point's
 * x and value; a header click sorts by that column (again: reverse, then the given
 * order). Lines use the text colour, so every theme reads.
 */
import { compareCells } from '../src/core/display/format';
import { changeText, sparklineStats, sparklineValue, type SparklineRow, type SparklinesPayload } from '../src/core/display/views/sparklines';
import { el } from './dom';

const W = 160;
const H = 30;
const PAD = 3;
const SVG = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

/** Point i of a row at pixel (x, y); the row's own low and high span the height. */
function scaler(values: readonly (number | null)[]): (i: number, v: number) => [number, number] {
  const xs = values.filter((v): v is number => v !== null);
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  const n = values.length;
  return (i, v) => [PAD + (n === 1 ? (W - 2 * PAD) / 2 : (i * (W - 2 * PAD)) / (n - 1)), hi === lo ? H / 2 : H - PAD - ((v - lo) / (hi - lo)) * (H - 2 * PAD)];
}

/** The line: one polyline per run of values, a dot for a lone value and for the last one. */
function line(row: SparklineRow): SVGSVGElement {
  const s = svg('svg', { width: W, height: H, viewBox: `0 0 ${W} ${H}`, 'data-dx': 'sparkline' });
  if (!row.values.some((v) => v !== null)) return s;
  const at = scaler(row.values);
  let run: string[] = [];
  const flush = (i: number) => {
    if (run.length > 1) s.appendChild(svg('polyline', { points: run.join(' '), fill: 'none', stroke: 'currentColor', 'stroke-width': 1.4, 'stroke-linejoin': 'round' }));
    else if (run.length === 1) s.appendChild(svg('circle', { cx: at(i - 1, row.values[i - 1]!)[0], cy: at(i - 1, row.values[i - 1]!)[1], r: 1.5, fill: 'currentColor' }));
    run = [];
  };
  row.values.forEach((v, i) => {
    if (v === null) flush(i);
    else run.push(at(i, v).map((c) => c.toFixed(1)).join(','));
  });
  flush(row.values.length);
  let last = row.values.length - 1;
  while (row.values[last] === null) last--;
  const [cx, cy] = at(last, row.values[last]!);
  s.appendChild(svg('circle', { cx, cy, r: 2.2, fill: 'currentColor', 'data-dx': 'sparkline-last' }));
  return s;
}

type Column = { label: string; key: (r: SparklineRow) => unknown; numeric: boolean };

export function renderSparklines(root: HTMLElement, p: SparklinesPayload): () => void {
  if (p.title) root.appendChild(el('div', { class: 'dx-title', text: p.title }));
  if (p.x.length) root.appendChild(el('div', { class: 'dx-sub', text: `${p.x[0]} to ${p.x[p.x.length - 1]}, ${p.x.length} points` }));
  const hover = el('div', { class: 'dx-sub', text: '\u00a0', attrs: { 'data-dx': 'sparkline-hover', 'aria-live': 'polite' } });
  const stats = new Map(p.rows.map((r) => [r, sparklineStats(r, p.kind)]));
  const columns: Column[] = [
    { label: 'series', key: (r) => r.label, numeric: false },
    { label: 'trend', key: () => null, numeric: false },
    { label: 'first', key: (r) => stats.get(r)!.first, numeric: true },
    { label: 'last', key: (r) => stats.get(r)!.last, numeric: true },
    { label: 'change', key: (r) => stats.get(r)!.change, numeric: true },
    { label: 'low', key: (r) => stats.get(r)!.min, numeric: true },
    { label: 'high', key: (r) => stats.get(r)!.max, numeric: true },
  ];
  const body = el('tbody');
  const rowEl = new Map(
    p.rows.map((r) => {
      const s = stats.get(r)!;
      const spark = line(r);
      spark.addEventListener('pointermove', (ev) => {
        const box = spark.getBoundingClientRect();
        const x = ((ev.clientX - box.left) * W) / box.width;
        const i = Math.max(0, Math.min(r.values.length - 1, Math.round(((x - PAD) / (W - 2 * PAD)) * (r.values.length - 1))));
        hover.textContent = `${r.label}, ${p.x[i]}: ${sparklineValue(p, r, r.values[i])}`;
      });
      spark.addEventListener('pointerleave', () => (hover.textContent = '\u00a0'));
      const cells = [
        el('td', { text: r.label }),
        el('td', { attrs: { 'aria-label': `${r.label}: from ${sparklineValue(p, r, s.first)} to ${sparklineValue(p, r, s.last)}` } }, [spark]),
        el('td', { class: 'dx-num', text: sparklineValue(p, r, s.first) }),
        el('td', { class: 'dx-num', text: sparklineValue(p, r, s.last) }),
        el('td', { class: 'dx-num', text: changeText(p, r, s), attrs: { 'data-dx': 'change' } }),
        el('td', { class: 'dx-num', text: sparklineValue(p, r, s.min) }),
        el('td', { class: 'dx-num', text: sparklineValue(p, r, s.max) }),
      ];
      return [r, el('tr', {}, cells)] as const;
    }),
  );
  // Header clicks: descending, ascending, the given order.
  let sortBy = -1;
  let descending = true;
  const draw = () => {
    const rows = [...p.rows];
    if (sortBy >= 0) rows.sort((a, b) => (descending ? -1 : 1) * compareCells(columns[sortBy].key(a), columns[sortBy].key(b)));
    body.replaceChildren(...rows.map((r) => rowEl.get(r)!));
  };
  const head = el(
    'tr',
    {},
    columns.map((c, j) => {
      const th = el('th', { class: c.numeric ? 'dx-num' : undefined, text: c.label, attrs: { tabindex: '0', scope: 'col' } });
      if (j === 1) return th;
      const click = () => {
        if (sortBy !== j) [sortBy, descending] = [j, true];
        else if (descending) descending = false;
        else sortBy = -1;
        draw();
      };
      th.addEventListener('click', click);
      th.addEventListener('keydown', (e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), click()));
      return th;
    }),
  );
  draw();
  root.appendChild(el('div', { class: 'dx-table-wrap' }, [el('table', { class: 'dx-table', attrs: { 'data-dx': 'sparklines' } }, [el('thead', {}, [head]), body])]));
  root.appendChild(hover);
  if (p.caption) root.appendChild(el('div', { class: 'dx-sub', text: p.caption }));
  return () => {};
}
