/**
 * `sparklinesView(series, opts)`: many weekly series side by side
 * (application/vnd.dexposure.sparklines+json), one row each: its name, a small line of
 * its course, and its first and last value, change, low and high. For watching dozens
 * of protocols or measures over the same weeks at once, where one chart of all of them
 * would be a tangle. Drawn by webview/sparklines.ts (hover a line for a week's value);
 * the markdown fallback draws the lines with block characters. Pure: the renderer
 * bundles this module.
 */
import { makeView, type View } from '../displayable';
import { formatCell, formatNumber } from '../format';
import { escapeMarkdown, markdownTable } from '../markdown';
import { DISPLAY_PROTOCOL_VERSION } from '../protocol';
import { arr, fail, num, obj, str, versioned } from '../validate';
import { defineView } from '../view-descriptor';

export type SeriesKind = 'number' | 'integer' | 'percent' | 'usd';
const KINDS: readonly SeriesKind[] = ['number', 'integer', 'percent', 'usd'];

export interface SparklineRow {
  label: string;
  /** One value per point of the payload's `x`; null where the series has none. */
  values: (number | null)[];
  /** How values are formatted ('percent': 12.5 means 12.5%); the payload's kind when absent. */
  kind?: SeriesKind;
  digits?: number;
}

export interface SparklinesPayload {
  version: number;
  title?: string;
  caption?: string;
  /** The points' labels, e.g. the weeks, shared by every row. */
  x: string[];
  kind: SeriesKind;
  digits?: number;
  rows: SparklineRow[];
}

export interface SparklinesOptions {
  /** The points' labels (e.g. `release.weeks`); default 1, 2, 3, ... */
  x?: readonly (string | number)[];
  kind?: SeriesKind;
  digits?: number;
  title?: string;
  caption?: string;
}

/** Rows as `{ label, values, kind?, digits? }` records, or an object of label -> values. */
export type SparklinesInput = readonly { label: string; values: ArrayLike<number | null>; kind?: SeriesKind; digits?: number }[] | Record<string, ArrayLike<number | null>>;

export function sparklinesPayload(series: SparklinesInput, opts: SparklinesOptions = {}): SparklinesPayload {
  if (series === null || typeof series !== 'object') throw new Error('display/sparklines: expected an array of { label, values } rows or an object of label -> values');
  const rows = Array.isArray(series) ? series : Object.entries(series).map(([label, values]) => ({ label, values }));
  const kind = opts.kind ?? 'number';
  if (!KINDS.includes(kind)) throw new Error(`display/sparklines: kind ${JSON.stringify(kind)}; expected one of ${KINDS.join(', ')}`);
  const n = opts.x?.length ?? Math.max(0, ...rows.map((r) => r?.values?.length ?? 0));
  const x = opts.x ? Array.from(opts.x, String) : Array.from({ length: n }, (_, i) => String(i + 1));
  const p: SparklinesPayload = {
    version: DISPLAY_PROTOCOL_VERSION,
    x,
    kind,
    rows: rows.map((r, i) => {
      if (typeof r?.label !== 'string') throw new Error(`display/sparklines: row ${i} needs a label (a string)`);
      if (r.values === null || typeof r.values !== 'object' || typeof r.values.length !== 'number') throw new Error(`display/sparklines: row ${i} (${r.label}) needs values (an array of numbers)`);
      if (r.values.length !== n) throw new Error(`display/sparklines: row ${i} (${r.label}) has ${r.values.length} values for ${n} points${opts.x ? ' (opts.x)' : ''}`);
      if (r.kind !== undefined && !KINDS.includes(r.kind)) throw new Error(`display/sparklines: row ${i} (${r.label}) has kind ${JSON.stringify(r.kind)}; expected one of ${KINDS.join(', ')}`);
      const out: SparklineRow = { label: r.label, values: Array.from(r.values, (v) => (typeof v === 'number' && Number.isFinite(v) ? v : null)) };
      if (r.kind !== undefined) out.kind = r.kind;
      if (r.digits !== undefined) out.digits = r.digits;
      return out;
    }),
  };
  if (opts.digits !== undefined) p.digits = opts.digits;
  if (opts.title) p.title = opts.title;
  if (opts.caption) p.caption = opts.caption;
  return p;
}

/** What a row's line says in figures; null where the series has no value to say it. */
export interface SparklineStats {
  first: number | null;
  last: number | null;
  min: number | null;
  max: number | null;
  /** last vs first: relative (12.5 = +12.5%), or in percentage points for a 'percent' row; null when first is 0 or missing. */
  change: number | null;
}

export function sparklineStats(row: SparklineRow, kind: SeriesKind): SparklineStats {
  const xs = row.values.filter((v): v is number => v !== null);
  if (xs.length === 0) return { first: null, last: null, min: null, max: null, change: null };
  const first = xs[0];
  const last = xs[xs.length - 1];
  const pointChange = (row.kind ?? kind) === 'percent';
  const change = pointChange ? last - first : first === 0 ? null : (100 * (last - first)) / Math.abs(first);
  return { first, last, min: Math.min(...xs), max: Math.max(...xs), change };
}

/** A row's value as text, by its kind and digits. */
export function sparklineValue(p: Pick<SparklinesPayload, 'kind' | 'digits'>, row: SparklineRow, v: number | null): string {
  return v === null ? 'n/a' : formatCell(v, { kind: row.kind ?? p.kind, digits: row.digits ?? p.digits });
}

/** The change as text: "+12.5%" (relative) or "+1.20 pp" (a percent row). */
export function changeText(p: Pick<SparklinesPayload, 'kind'>, row: SparklineRow, s: SparklineStats): string {
  if (s.change === null) return 'n/a';
  const sign = s.change > 0 ? '+' : '';
  return (row.kind ?? p.kind) === 'percent' ? `${sign}${formatNumber(s.change, 2)} pp` : `${sign}${formatNumber(s.change, 1)}%`;
}

const BLOCKS = '▁▂▃▄▅▆▇█';

/** The line in eight block heights (a missing value is a space): ▁▃▅█. */
export function blockLine(values: readonly (number | null)[]): string {
  const xs = values.filter((v): v is number => v !== null);
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return values.map((v) => (v === null ? ' ' : BLOCKS[hi === lo ? 3 : Math.round(((v - lo) / (hi - lo)) * (BLOCKS.length - 1))])).join('');
}

export function validateSparklines(x: unknown): SparklinesPayload {
  const p = versioned(x);
  if (p.title !== undefined) str(p.title, 'title');
  const n = arr(p.x, 'x').map((v, i) => str(v, `x[${i}]`)).length;
  if (!KINDS.includes(p.kind as SeriesKind)) fail('kind', `one of ${KINDS.join(', ')}`, p.kind);
  arr(p.rows, 'rows').forEach((r, i) => {
    const o = obj(r, `rows[${i}]`);
    str(o.label, `rows[${i}].label`);
    const vs = arr(o.values, `rows[${i}].values`);
    if (vs.length !== n) fail(`rows[${i}].values`, `${n} values (one per x)`, `${vs.length} values`);
    vs.forEach((v, j) => v !== null && num(v, `rows[${i}].values[${j}]`));
    if (o.kind !== undefined && !KINDS.includes(o.kind as SeriesKind)) fail(`rows[${i}].kind`, `one of ${KINDS.join(', ')}`, o.kind);
  });
  return p as unknown as SparklinesPayload;
}

export function sparklinesMarkdown(p: SparklinesPayload, maxRows = 30): string {
  const parts: string[] = [];
  if (p.title) parts.push(`**${escapeMarkdown(p.title)}**`, '');
  if (p.x.length) parts.push(`${escapeMarkdown(p.x[0])} to ${escapeMarkdown(p.x[p.x.length - 1])}, ${p.x.length} points`, '');
  const rows = p.rows.map((r) => {
    const s = sparklineStats(r, p.kind);
    return [r.label, s.first === null ? '' : blockLine(r.values), sparklineValue(p, r, s.first), sparklineValue(p, r, s.last), changeText(p, r, s), sparklineValue(p, r, s.min), sparklineValue(p, r, s.max)];
  });
  const text = { kind: 'string' } as const;
  parts.push(markdownTable([{ name: 'series', ...text }, { name: 'trend', ...text }, { name: 'first', ...text }, { name: 'last', ...text }, { name: 'change', ...text }, { name: 'low', ...text }, { name: 'high', ...text }], rows, maxRows));
  if (p.caption) parts.push('', `_${escapeMarkdown(p.caption)}_`);
  return parts.join('\n');
}

export const view = defineView({ name: 'sparklines', summary: 'sparklines', validate: validateSparklines, markdown: (p) => sparklinesMarkdown(p) });

/** Many series over the same points, one small line each with its first, last, change, low and high. */
export function sparklinesView(series: SparklinesInput, opts: SparklinesOptions = {}): View<SparklinesPayload> {
  const p = sparklinesPayload(series, opts);
  return makeView(view.mime, p, sparklinesMarkdown(p));
}
