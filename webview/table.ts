/**
 * Table view (application/vnd.dexposure.table+json): typed columns formatted as in the
 * markdown fallback (src/core/display/format), click-to-sort headers (ascending,
 * descending, original order), copy as CSV (raw values) or Markdown (formatted), save
 * as SVG/PNG. Large tables render their first rows and grow on demand.
 */
import { columnLabel } from '../src/core/display/columns';
import { compareCells, formatCell } from '../src/core/display/format';
import { markdownTable } from '../src/core/display/markdown';
import type { TablePayload } from '../src/core/display/protocol';
import { button } from './controls';
import { clear, el } from './dom';
import { escapeXml, saveButtons, svgToPng } from './image-export';
import type { ViewContext } from './view-context';

const PAGE = 500;

function isNumeric(kind: string): boolean {
  return kind === 'number' || kind === 'integer' || kind === 'percent' || kind === 'usd';
}

export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(p: TablePayload, rows: readonly (readonly unknown[])[]): string {
  return [p.columns.map((c) => csvCell(c.name)).join(','), ...rows.map((r) => r.map(csvCell).join(','))].join('\r\n');
}

async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // The webview may refuse the async clipboard without focus; execCommand still works there.
    const ta = el('textarea', { style: { position: 'fixed', left: '-9999px' } });
    ta.value = text;
    document.body.appendChild(ta);
    ta.select();
    const ok = document.execCommand('copy');
    ta.remove();
    if (!ok) throw new Error('The clipboard is not available here.');
  }
}

function tableSvg(p: TablePayload, rows: readonly (readonly unknown[])[], fg: string, bg: string): { svg: string; width: number; height: number } {
  const charW = 7.2;
  const widths = p.columns.map((c, j) => Math.min(320, 16 + charW * Math.max((columnLabel(c)).length, ...rows.slice(0, 200).map((r) => formatCell(r[j], c).length))));
  const rowH = 22;
  const shown = rows.slice(0, 200);
  const width = widths.reduce((a, b) => a + b, 0);
  const height = rowH * (shown.length + 1) + (p.title ? rowH : 0) + 4;
  const out: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12"><rect width="100%" height="100%" fill="${escapeXml(bg)}"/>`];
  let y = 0;
  if (p.title) {
    y += rowH;
    out.push(`<text x="4" y="${y - 6}" fill="${escapeXml(fg)}" font-weight="bold">${escapeXml(p.title)}</text>`);
  }
  const line = (cells: string[], bold: boolean) => {
    y += rowH;
    let x = 0;
    cells.forEach((t, j) => {
      const num = isNumeric(p.columns[j]!.kind) && !bold;
      out.push(`<text x="${num ? x + widths[j]! - 8 : x + 8}" y="${y - 7}" fill="${escapeXml(fg)}"${num ? ' text-anchor="end"' : ''}${bold ? ' font-weight="bold"' : ''}>${escapeXml(t)}</text>`);
      x += widths[j]!;
    });
    out.push(`<line x1="0" x2="${width}" y1="${y}" y2="${y}" stroke="${escapeXml(fg)}" stroke-opacity="0.2"/>`);
  };
  line(p.columns.map((c) => columnLabel(c)), true);
  for (const r of shown) line(p.columns.map((c, j) => formatCell(r[j], c)), false);
  out.push('</svg>');
  return { svg: out.join(''), width, height };
}

export function renderTable(root: HTMLElement, p: TablePayload, vc: ViewContext): () => void {
  const order = p.rows.map((_, i) => i);
  let sortCol = -1;
  let sortDir: 1 | -1 = 1;
  let limit = PAGE;
  const status = el('span', { class: 'dx-status', attrs: { 'data-dx': 'status' } });
  const setStatus = (t: string, error = false) => {
    status.textContent = t;
    status.classList.toggle('dx-error', error);
  };
  const sortedRows = () => order.map((i) => p.rows[i]!);

  const thead = el('thead');
  const tbody = el('tbody');
  const table = el('table', { class: 'dx-table' }, [thead, tbody]);
  const more = el('div');

  const headRow = el('tr');
  p.columns.forEach((c, j) => {
    const arrow = el('span', { class: 'dx-sort', attrs: { 'aria-hidden': 'true' } });
    const th = el('th', { class: isNumeric(c.kind) ? 'dx-num' : '', title: `${c.description ? `${c.description}. ` : ''}Click to sort.`, attrs: { tabindex: '0', scope: 'col', 'aria-sort': 'none' } }, [el('span', { text: columnLabel(c) }), arrow]);
    const activate = () => {
      if (sortCol !== j) {
        sortCol = j;
        sortDir = 1;
      } else if (sortDir === 1) sortDir = -1;
      else sortCol = -1;
      order.sort((a, b) => (sortCol < 0 ? a - b : sortDir * compareCells(p.rows[a]![sortCol], p.rows[b]![sortCol]) || a - b));
      headRow.querySelectorAll('th').forEach((h, k) => {
        h.setAttribute('aria-sort', k === sortCol ? (sortDir === 1 ? 'ascending' : 'descending') : 'none');
        (h.querySelector('.dx-sort') as HTMLElement).textContent = k === sortCol ? (sortDir === 1 ? '▲' : '▼') : '';
      });
      fill();
    };
    th.addEventListener('click', activate);
    th.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' && e.key !== ' ') return;
      e.preventDefault();
      activate();
    });
    headRow.appendChild(th);
  });
  thead.appendChild(headRow);

  function fill(): void {
    clear(tbody);
    const frag = document.createDocumentFragment();
    const n = Math.min(limit, order.length);
    for (let k = 0; k < n; k++) {
      const r = p.rows[order[k]!]!;
      const tr = el('tr');
      p.columns.forEach((c, j) => tr.appendChild(el('td', { class: isNumeric(c.kind) ? 'dx-num' : '', text: formatCell(r[j], c) })));
      frag.appendChild(tr);
    }
    tbody.appendChild(frag);
    clear(more);
    if (order.length > n) more.appendChild(button(`Show ${Math.min(PAGE, order.length - n)} more of ${order.length - n} remaining rows`, () => ((limit += PAGE), fill()), { secondary: true, name: 'more' }));
  }
  fill();

  const toolbar = el('div', { class: 'dx-toolbar' }, [
    el('span', { class: 'dx-sub', text: `${p.rows.length} row${p.rows.length === 1 ? '' : 's'} × ${p.columns.length} column${p.columns.length === 1 ? '' : 's'}` }),
    el('span', { class: 'dx-spacer' }),
    button('Copy CSV', () => copyText(toCsv(p, sortedRows())).then(() => setStatus(`Copied ${p.rows.length} rows as CSV.`), (e: Error) => setStatus(e.message, true)), { secondary: true, name: 'copy-csv' }),
    button('Copy Markdown', () => copyText(markdownTable(p.columns, sortedRows(), Infinity)).then(() => setStatus(`Copied ${p.rows.length} rows as Markdown.`), (e: Error) => setStatus(e.message, true)), { secondary: true, name: 'copy-md' }),
    saveButtons(vc.messenger, p.title ? p.title.replace(/[^\w.-]+/g, '-') : 'table', async (format) => {
      const t = vc.theme();
      const { svg, width, height } = tableSvg(p, sortedRows(), t.foreground, t.background);
      return format === 'svg' ? `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}` : svgToPng(svg, width, height);
    }, setStatus),
  ]);

  root.append(
    ...(p.title ? [el('div', { class: 'dx-title', text: p.title })] : []),
    toolbar,
    el('div', { class: 'dx-table-wrap' }, [table]),
    more,
    ...(p.caption ? [el('div', { class: 'dx-sub', text: p.caption })] : []),
    status,
  );
  return () => undefined;
}
