/**
 * Values -> MIME bundles (the display protocol of src/core/display/protocol.ts).
 *
 * Order of precedence: a value's own `[MIME_BUNDLE]()`; strings and numbers as
 * text/plain; arrays of plain records as a table and a Plotly-looking figure
 * `{ data: [...], layout? }` as a chart, both built by src/core/display exactly as
 * `dx.table` and `dx.chart` build them; Errors; anything
 * else as util.inspect text (+ application/json when it is plain JSON). Every bundle
 * carries a `text/markdown` or `text/plain` fallback.
 *
 * Binary payloads (e.g. image/png) travel as base64 strings inside a bundle.
 */
import { inspect } from 'node:util';
import { MIME_BUNDLE, MIME_BUNDLES, type MimeBundle } from '../core/display/protocol';
import { tableView } from '../core/display/table-view';
import { chartView, type Figure } from '../core/display/chart-view';

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
  // The same builders as dx.table and dx.chart, so a value looks the same either way.
  if (Array.isArray(value) && isRecordArray(value)) return tableView(value, { markdownRows: MARKDOWN_TABLE_ROWS })[MIME_BUNDLE]();
  if (isPlotlyFigure(value)) return chartView(value)[MIME_BUNDLE]();
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

function isPlotlyFigure(v: unknown): v is Figure {
  if (!isPlainObject(v)) return false;
  const keys = Object.keys(v);
  if (!keys.includes('data') || !keys.every((k) => k === 'data' || k === 'layout' || k === 'config' || k === 'frames')) return false;
  const data = v.data;
  if (!Array.isArray(data) || !data.every((t) => isPlainObject(t))) return false;
  const traceLike = data.length === 0 || data.some((t) => 'type' in t || 'x' in t || 'y' in t || 'values' in t || 'z' in t);
  return traceLike && (v.layout === undefined || isPlainObject(v.layout)) && (v.config === undefined || isPlainObject(v.config));
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
