/**
 * Cell formatting for typed table columns, shared by the kernel's markdown fallback
 * and the renderer's table so both read the same. Pure, no Node, no DOM.
 *
 * Conventions: `percent` cells hold percentages (12.5 means 12.5 %), matching the
 * stress results' `systemLossPct`; `usd` cells are compacted ($1.23B) because the
 * data spans ten orders of magnitude; missing or non-finite numbers render empty
 * rather than as "NaN".
 */
import type { ColumnKind, TableColumn } from './protocol';

const USD_UNITS: [number, string][] = [
  [1e12, 'T'],
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'K'],
];

/** Fixed digits with thousands separators; -0 prints as 0. */
export function formatNumber(v: number, digits = 2): string {
  if (!Number.isFinite(v)) return '';
  const s = Math.abs(v) < 0.5 * 10 ** -digits ? 0 : v;
  return s.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** $1.23B, $456.70M, $12.30K, $999.00; negative amounts keep their sign before the $. */
export function formatUsd(v: number, digits = 2): string {
  if (!Number.isFinite(v)) return '';
  const a = Math.abs(v);
  const sign = v < 0 ? '-' : '';
  for (const [scale, unit] of USD_UNITS) {
    // Round first so 999,999 does not print as "$1000.00K".
    if (Number((a / scale).toFixed(digits)) >= 1 && a >= scale * 0.9995) return `${sign}$${(a / scale).toFixed(digits)}${unit}`;
  }
  return `${sign}$${a.toFixed(digits)}`;
}

export function formatPercent(v: number, digits = 2): string {
  if (!Number.isFinite(v)) return '';
  return `${formatNumber(v, digits)}%`;
}

/** Default digits per kind when the column does not say. */
export function defaultDigits(kind: ColumnKind): number {
  switch (kind) {
    case 'integer':
      return 0;
    case 'number':
      return 4;
    default:
      return 2;
  }
}

/** Renders one cell as text. Never throws: odd values print as their string form. */
export function formatCell(value: unknown, column: Pick<TableColumn, 'kind' | 'digits'>): string {
  if (value === null || value === undefined) return '';
  const digits = column.digits ?? defaultDigits(column.kind);
  switch (column.kind) {
    case 'number':
    case 'integer':
      return typeof value === 'number' ? formatNumber(value, digits) : String(value);
    case 'percent':
      return typeof value === 'number' ? formatPercent(value, digits) : String(value);
    case 'usd':
      return typeof value === 'number' ? formatUsd(value, digits) : String(value);
    case 'boolean':
      return typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value);
    case 'date':
      if (typeof value === 'number' && Number.isFinite(value)) return new Date(value).toISOString().slice(0, 10);
      return String(value);
    default:
      return typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  }
}

/** Sort comparator for two cells of one column: missing values last, numbers numerically. */
export function compareCells(a: unknown, b: unknown): number {
  const am = a === null || a === undefined || (typeof a === 'number' && Number.isNaN(a));
  const bm = b === null || b === undefined || (typeof b === 'number' && Number.isNaN(b));
  if (am || bm) return am && bm ? 0 : am ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const as = String(a);
  const bs = String(b);
  // Names sort as a reader expects: "aave" beside "Aave", "V2" before "V10"; exact
  // code-point order only breaks ties, so the order is still total.
  return NAME_ORDER.compare(as, bs) || (as < bs ? -1 : as > bs ? 1 : 0);
}

const NAME_ORDER = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** An absolute path (POSIX, ~/, or Windows drive/UNC) at the start of a source text, up to a " (" note. */
const ABSOLUTE_PATH = /^(?:\/|~\/|[A-Za-z]:[\\/]|\\\\)(?:(?! \().)*/;

/**
 * A data source as a view shows it: an absolute path at its start becomes its last
 * component ("/home/ana/defi/data (synthetic)" -> "data (synthetic)"), the folder the
 * notebook opened, so a screenshot or a shared output never carries the machine's
 * folders. Other text is kept as it is.
 */
export function displaySource(source: string): string {
  return source.replace(ABSOLUTE_PATH, (path) => {
    const parts = path.split(/[\\/]+/).filter(Boolean);
    return parts.at(-1) ?? path;
  });
}
