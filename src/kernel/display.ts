/**
 * Values -> MIME bundles (the display protocol of src/core/display/protocol.ts).
 *
 * Order of precedence: a value's own `[MIME_BUNDLE]()`; strings and numbers as
 * text/plain; arrays of plain records as a table payload (+ markdown table); a
 * Plotly-looking figure `{ data: [...], layout? }` as a chart payload; Errors; anything
 * else as util.inspect text (+ application/json when it is plain JSON). Every bundle
 * carries a `text/markdown` or `text/plain` fallback.
 *
 * Binary payloads (e.g. image/png) travel as base64 strings inside a bundle.
 */
import { inspect } from 'node:util';
import {
  DISPLAY_PROTOCOL_VERSION,
  MIME,
  MIME_BUNDLE,
  MIME_BUNDLES,
  type ChartPayload,
  type ColumnKind,
  type MimeBundle,
  type TableColumn,
  type TablePayload,
} from '../core/display/protocol';

import { ERROR_MIME } from '../core/notebook/output-items';

/** VS Code's built-in error MIME type ({ name, message, stack }). */
export { ERROR_MIME };

/** A value with `[NO_DISPLAY]: true` is not displayed as a cell result (e.g. display handles). */
export const NO_DISPLAY: unique symbol = Symbol.for('dexposure.noDisplay') as never;

/** Rows shown in the markdown fallback of a table (the payload keeps them all). */
const MARKDOWN_TABLE_ROWS = 30;

export function toMimeBundle(value: unknown): MimeBundle | undefined {
  if (value === undefined) return undefined;
  if (value !== null && (typeof value === 'object' || typeof value === 'function')) {
    if ((value as { [NO_DISPLAY]?: unknown })[NO_DISPLAY] === true) return undefined;
    const own = (value as { [MIME_BUNDLE]?: unknown })[MIME_BUNDLE];
    if (typeof own === 'function') return withFallback(checkBundle(own.call(value)), value);
  }
  if (typeof value === 'string') return { 'text/plain': value };
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return { 'text/plain': String(value) };
  if (value instanceof Error || isErrorLike(value)) return errorBundle(value as Error);
  if (Array.isArray(value) && isRecordArray(value)) return tableBundle(value);
  if (isPlotlyFigure(value)) return chartBundle(value);
  const bundle: MimeBundle = { 'text/plain': inspect(value, { depth: 4, colors: false, maxArrayLength: 100, breakLength: 100 }) };
  if (isPlainJson(value, 0)) bundle['application/json'] = value;
  return bundle;
}

/**
 * The outputs a value displays as: several when it has `[MIME_BUNDLES]()` (a table
 * and a chart, say), else the one of toMimeBundle; undefined for no display.
 */
export function toMimeBundles(value: unknown): MimeBundle[] | undefined {
  if (value !== null && typeof value === 'object' && (value as { [NO_DISPLAY]?: unknown })[NO_DISPLAY] !== true) {
    const many = (value as { [MIME_BUNDLES]?: unknown })[MIME_BUNDLES];
    if (typeof many === 'function') {
      const list = many.call(value) as unknown;
      if (!Array.isArray(list) || list.length === 0) throw new TypeError('display: [MIME_BUNDLES]() must return a non-empty array of MIME bundles');
      return list.map((b) => withFallback(checkBundle(b), value));
    }
  }
  const one = toMimeBundle(value);
  return one ? [one] : undefined;
}

function checkBundle(b: unknown): MimeBundle {
  if (typeof b !== 'object' || b === null || Array.isArray(b)) {
    throw new TypeError(`display: [MIME_BUNDLE]() must return an object of MIME type -> payload, got ${b === null ? 'null' : typeof b}`);
  }
  return b as MimeBundle;
}

function withFallback(bundle: MimeBundle, value: unknown): MimeBundle {
  if (typeof bundle['text/plain'] === 'string' || typeof bundle['text/markdown'] === 'string') return bundle;
  return { ...bundle, 'text/plain': inspect(value, { depth: 1, colors: false }) };
}

function isErrorLike(v: unknown): boolean {
  return Object.prototype.toString.call(v) === '[object Error]';
}

export function errorBundle(e: Error): MimeBundle {
  const name = e.name || 'Error';
  const message = e.message ?? '';
  const stack = typeof e.stack === 'string' ? e.stack : `${name}: ${message}`;
  return { [ERROR_MIME]: { name, message, stack }, 'text/plain': stack };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function isRecordArray(a: unknown[]): a is Record<string, unknown>[] {
  return a.length > 0 && a.every(isPlainObject);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function columnKind(values: unknown[]): ColumnKind {
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.length === 0) return 'string';
  if (present.every((v) => typeof v === 'number' || typeof v === 'bigint')) {
    return present.every((v) => typeof v === 'bigint' || Number.isInteger(v)) ? 'integer' : 'number';
  }
  if (present.every((v) => typeof v === 'boolean')) return 'boolean';
  if (present.every((v) => v instanceof Date || (typeof v === 'string' && ISO_DATE.test(v)))) return 'date';
  return 'string';
}

function cellValue(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  return inspect(v, { depth: 1, colors: false, breakLength: Infinity });
}

function tableBundle(records: Record<string, unknown>[]): MimeBundle {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const r of records)
    for (const k of Object.keys(r))
      if (!seen.has(k)) {
        seen.add(k);
        names.push(k);
      }
  const columns: TableColumn[] = names.map((name) => ({ name, kind: columnKind(records.map((r) => r[name])) }));
  const rows = records.map((r) => names.map((n) => cellValue(r[n])));
  const payload: TablePayload = { version: DISPLAY_PROTOCOL_VERSION, columns, rows };
  return { [MIME.table]: payload, 'text/markdown': markdownTable(names, rows) };
}

export function markdownTable(names: string[], rows: unknown[][]): string {
  const esc = (v: unknown): string => (v === null ? '' : String(v)).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const lines = [`| ${names.map(esc).join(' | ')} |`, `| ${names.map(() => '---').join(' | ')} |`];
  for (const r of rows.slice(0, MARKDOWN_TABLE_ROWS)) lines.push(`| ${r.map(esc).join(' | ')} |`);
  if (rows.length > MARKDOWN_TABLE_ROWS) lines.push('', `… ${rows.length - MARKDOWN_TABLE_ROWS} more rows (${rows.length} in all)`);
  return lines.join('\n');
}

function isPlotlyFigure(v: unknown): v is { data: unknown[]; layout?: Record<string, unknown>; config?: Record<string, unknown> } {
  if (!isPlainObject(v)) return false;
  const keys = Object.keys(v);
  if (!keys.includes('data') || !keys.every((k) => k === 'data' || k === 'layout' || k === 'config' || k === 'frames')) return false;
  const data = v.data;
  if (!Array.isArray(data) || !data.every((t) => isPlainObject(t))) return false;
  const traceLike = data.length === 0 || data.some((t) => 'type' in t || 'x' in t || 'y' in t || 'values' in t || 'z' in t);
  return traceLike && (v.layout === undefined || isPlainObject(v.layout)) && (v.config === undefined || isPlainObject(v.config));
}

function chartBundle(fig: { data: unknown[]; layout?: Record<string, unknown>; config?: Record<string, unknown> }): MimeBundle {
  const payload: ChartPayload = { version: DISPLAY_PROTOCOL_VERSION, data: jsonSafe(fig.data) as unknown[] };
  if (fig.layout) payload.layout = jsonSafe(fig.layout) as Record<string, unknown>;
  if (fig.config) payload.config = jsonSafe(fig.config) as Record<string, unknown>;
  const types = fig.data.map((t) => String((t as { type?: unknown }).type ?? 'scatter'));
  const title = chartTitle(fig.layout);
  const text = `Plotly figure${title ? ` "${title}"` : ''}: ${fig.data.length} trace${fig.data.length === 1 ? '' : 's'} (${[...new Set(types)].join(', ') || 'none'})`;
  return { [MIME.chart]: payload, 'text/plain': text };
}

function chartTitle(layout: Record<string, unknown> | undefined): string | undefined {
  const t = layout?.title;
  if (typeof t === 'string') return t;
  if (isPlainObject(t) && typeof t.text === 'string') return t.text;
  return undefined;
}

/** Plain JSON (plain objects, arrays, finite numbers, strings, booleans, null), bounded in size. */
function isPlainJson(v: unknown, depth: number): boolean {
  if (depth > 20) return false;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.length <= 10_000 && v.every((x) => isPlainJson(x, depth + 1));
  if (isPlainObject(v)) return Object.values(v).every((x) => x !== undefined && isPlainJson(x, depth + 1));
  return false;
}

/** A JSON round trip that maps typed arrays to arrays and drops what JSON cannot hold. */
function jsonSafe(v: unknown): unknown {
  return JSON.parse(
    JSON.stringify(v, (_k, x: unknown) => {
      if (ArrayBuffer.isView(x) && !(x instanceof DataView)) return Array.from(x as unknown as ArrayLike<number>);
      if (typeof x === 'bigint') return Number(x);
      return x;
    }) ?? 'null',
  );
}
