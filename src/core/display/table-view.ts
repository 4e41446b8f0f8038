/**
 * `tableView(data, opts)`: a typed table (application/vnd.dexposure.table+json) from
 * row objects, row arrays with named columns, or an object of columns (typed arrays
 * welcome). Column kinds are inferred from the values unless given; non-finite
 * numbers become null so the payload is valid JSON and the cell renders empty.
 */
import { inspect } from 'node:util';
import { KNOWN_FIELDS, fieldLabel, kindFromName } from './columns';
import { tableMarkdown } from './markdown';
import { makeView, type View } from './displayable';
import { DISPLAY_PROTOCOL_VERSION, type ColumnKind, type TableColumn, type TablePayload } from './protocol';
import { MIME } from './views';

export type ColumnSpec = Partial<Omit<TableColumn, 'name'>>;

export interface TableViewOptions {
  title?: string;
  caption?: string;
  /** Column names for row arrays; or kind/digits overrides by name. */
  columns?: (string | TableColumn)[] | Record<string, ColumnSpec>;
  /** Rows in the markdown fallback (default 20). */
  markdownRows?: number;
}

export type TableInput = readonly Record<string, unknown>[] | readonly (readonly unknown[])[] | Record<string, ArrayLike<unknown>>;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/;

/** The narrowest kind that holds every non-missing value of a column. */
export function inferKind(values: Iterable<unknown>): ColumnKind {
  let allInt = true;
  let allNum = true;
  let allBool = true;
  let allDate = true;
  let seen = false;
  for (const v of values) {
    if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) continue;
    seen = true;
    const isNum = typeof v === 'number';
    allNum &&= isNum;
    allInt &&= isNum && Number.isInteger(v);
    allBool &&= typeof v === 'boolean';
    allDate &&= typeof v === 'string' && ISO_DATE.test(v);
  }
  if (!seen) return 'string';
  if (allInt) return 'integer';
  if (allNum) return 'number';
  if (allBool) return 'boolean';
  if (allDate) return 'date';
  return 'string';
}

/** A JSON-safe cell: non-finite numbers and invalid dates are missing (null); a Date at
 *  midnight UTC is a day (YYYY-MM-DD), another Date keeps its time; any other object is
 *  shown as Node prints it, so a cell never holds structure the table cannot draw. */
function cleanCell(v: unknown): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return null;
    const iso = v.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (v === undefined || v === null) return null;
  if (typeof v === 'object' || typeof v === 'function' || typeof v === 'symbol') return inspect(v, { depth: 1, colors: false, breakLength: Infinity });
  return v;
}

function isTypedOrArray(x: unknown): x is ArrayLike<unknown> {
  return Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView));
}

/** Normalises the accepted inputs to names + rows. */
function toNamesAndRows(data: TableInput, opts: TableViewOptions): { names: string[]; rows: unknown[][] } {
  const given = Array.isArray(opts.columns) ? opts.columns.map((c) => (typeof c === 'string' ? c : c.name)) : undefined;
  if (Array.isArray(data)) {
    if (data.length > 0 && Array.isArray(data[0])) {
      const rows = (data as readonly (readonly unknown[])[]).map((r, i) => {
        if (!Array.isArray(r)) throw new Error(`display/table: row ${i} is not an array (expected every row to be an array like row 0)`);
        return r.map(cleanCell);
      });
      const width = rows[0]?.length ?? 0;
      const names = given ?? Array.from({ length: width }, (_, j) => `col${j + 1}`);
      rows.forEach((r, i) => {
        if (r.length !== names.length) throw new Error(`display/table: row ${i} has ${r.length} cells, expected ${names.length} (one per column)`);
      });
      return { names, rows };
    }
    const objs = data as readonly Record<string, unknown>[];
    const names: string[] = given ? [...given] : [];
    if (!given) {
      const seen = new Set<string>();
      objs.forEach((o, i) => {
        if (o === null || typeof o !== 'object') throw new Error(`display/table: row ${i} is ${o === null ? 'null' : typeof o}, expected an object or an array`);
        for (const k of Object.keys(o)) {
          if (seen.has(k)) continue;
          seen.add(k);
          names.push(k);
        }
      });
    }
    return { names, rows: objs.map((o) => names.map((n) => cleanCell(o[n]))) };
  }
  if (data === null || typeof data !== 'object') throw new Error(`display/table: expected rows (array) or columns (object of arrays), got ${data === null ? 'null' : typeof data}`);
  const cols = data as Record<string, ArrayLike<unknown>>;
  const names = given ?? Object.keys(cols);
  let n = -1;
  for (const name of names) {
    const c = cols[name];
    if (!isTypedOrArray(c)) throw new Error(`display/table: column "${name}" is not an array`);
    if (n >= 0 && c.length !== n) throw new Error(`display/table: column "${name}" has ${c.length} values, expected ${n} like the first column`);
    n = c.length;
  }
  const rows: unknown[][] = [];
  for (let i = 0; i < Math.max(n, 0); i++) rows.push(names.map((name) => cleanCell(cols[name]![i])));
  return { names, rows };
}

export function tablePayload(data: TableInput, opts: TableViewOptions = {}): TablePayload {
  const { names, rows } = toNamesAndRows(data, opts);
  const specs: Record<string, ColumnSpec> = {};
  if (Array.isArray(opts.columns)) for (const c of opts.columns) if (typeof c !== 'string') specs[c.name] = c;
  if (opts.columns && !Array.isArray(opts.columns)) Object.assign(specs, opts.columns);
  const columns: TableColumn[] = names.map((name, j) => {
    const spec = specs[name] ?? {};
    const inferred = inferKind(rows.map((r) => r[j]));
    const kind = spec.kind ?? (((inferred === 'number' || inferred === 'integer') && kindFromName(name)) || inferred);
    const col: TableColumn = { name, kind };
    const label = spec.label ?? fieldLabel(name);
    if (label !== undefined && label !== name) col.label = label;
    if (spec.digits !== undefined) col.digits = spec.digits;
    const description = spec.description ?? KNOWN_FIELDS[name]?.description;
    if (description !== undefined) col.description = description;
    return col;
  });
  const payload: TablePayload = { version: DISPLAY_PROTOCOL_VERSION, columns, rows };
  if (opts.title !== undefined) payload.title = opts.title;
  if (opts.caption !== undefined) payload.caption = opts.caption;
  return payload;
}

/** A typed, sortable table with CSV/Markdown copy in the renderer. */
export function tableView(data: TableInput, opts: TableViewOptions = {}): View<TablePayload> {
  const payload = tablePayload(data, opts);
  return makeView(MIME.table, payload, tableMarkdown(payload, opts.markdownRows));
}
