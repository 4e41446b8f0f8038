/**
 * Plain-text tables and number formats for the CLI's human output (`--json` prints the
 * raw values instead). Columns are padded to their widest cell; numbers align right.
 */

import type { MeasureDescriptor } from '../core/measures/catalog';

export interface Column {
  header: string;
  align?: 'left' | 'right';
}

export function formatTable(columns: Column[], rows: string[][]): string {
  const widths = columns.map((c, j) => Math.max(c.header.length, ...rows.map((r) => (r[j] ?? '').length)));
  const cell = (text: string, j: number): string => (columns[j].align === 'right' ? text.padStart(widths[j]) : text.padEnd(widths[j]));
  const lines = [columns.map((c, j) => cell(c.header, j)).join('  '), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const r of rows) lines.push(columns.map((_, j) => cell(r[j] ?? '', j)).join('  '));
  return lines.map((l) => l.trimEnd()).join('\n');
}

/** USD with a K/M/B/T suffix: 1234567 -> "$1.23M". */
export function usd(x: number): string {
  const a = Math.abs(x);
  const sign = x < 0 ? '-' : '';
  for (const [v, s] of [[1e12, 'T'], [1e9, 'B'], [1e6, 'M'], [1e3, 'K']] as const) {
    if (a >= v) return `${sign}$${(a / v).toFixed(2)}${s}`;
  }
  return `${sign}$${a.toFixed(2)}`;
}

export function pct(x: number, digits = 2): string {
  return `${x.toFixed(digits)}%`;
}

/** Fixed digits for values of order 1; scientific notation for small ones (densities, PageRank). */
export function num(x: number, digits = 4): string {
  if (x !== 0 && Math.abs(x) < 10 ** -digits) return x.toExponential(2);
  return x.toFixed(digits);
}

/** A network measure's value as its descriptor says it reads (src/core/measures/catalog.ts). */
export function measureText(d: Pick<MeasureDescriptor, 'format' | 'digits'>, x: number | undefined): string {
  if (x === undefined) return '';
  switch (d.format) {
    case 'share':
      return pct(100 * x, d.digits);
    case 'usd':
      return usd(x);
    case 'count':
      return String(x);
    default:
      return num(x, d.digits);
  }
}
