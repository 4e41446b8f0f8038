/**
 * The .dxnb notebook file format, version 1 (docs/NOTEBOOK-FORMAT.md): parse with
 * path-precise validation, serialize canonically (sorted keys, 2-space indent, trailing
 * newline) so parse -> serialize is byte-identical for any file this module wrote.
 * Unknown properties are kept (in `extra`) and written back: user data is never dropped.
 * Pure: used by the VS Code serializer and the CLI alike.
 */
import { canonicalJson, decodeUtf8Strict, lineColumn, locateJsonSyntaxError, type JsonValue } from './json-text';
import { fromBase64, isCanonicalBase64, isJsonMime, toBase64, type OutputItem } from './output-items';

export const NOTEBOOK_FORMAT = 'dexposure-notebook';
export const NOTEBOOK_FORMAT_VERSION = 1;

export type JsonObject = { [key: string]: JsonValue };

export type CellKind = 'markdown' | 'code';

export interface CellExecution {
  count?: number;
  success?: boolean;
  /** Milliseconds since the epoch. */
  startTime?: number;
  endTime?: number;
  extra?: JsonObject;
}

export interface NotebookOutput {
  items: OutputItem[];
  metadata: JsonObject;
  extra?: JsonObject;
}

export interface NotebookCell {
  kind: CellKind;
  /** 'typescript' | 'javascript' | 'markdown' for our notebooks; other ids are kept. */
  language: string;
  source: string;
  metadata: JsonObject;
  outputs: NotebookOutput[];
  execution?: CellExecution;
  extra?: JsonObject;
}

export interface NotebookDocument {
  metadata: JsonObject;
  cells: NotebookCell[];
  extra?: JsonObject;
}

/** Any problem with a notebook file: where (file, JSON path or line/column) and what. */
export class NotebookFormatError extends Error {
  constructor(
    readonly detail: string,
    readonly fileName?: string,
    readonly path?: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    const where = path !== undefined ? `At ${path || '(top level)'}: ` : line !== undefined ? `At line ${line}, column ${column}: ` : '';
    super(`${fileName ? `${fileName}: ` : ''}${where}${detail}`);
    this.name = 'NotebookFormatError';
  }
}

export function emptyNotebook(): NotebookDocument {
  return { metadata: {}, cells: [] };
}

// ---------------------------------------------------------------------------- parsing

type Json = JsonValue | undefined;

function describe(v: Json): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function setOwn(o: JsonObject, k: string, v: JsonValue): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

class Reader {
  constructor(readonly fileName: string | undefined) {}

  fail(path: string, detail: string): never {
    throw new NotebookFormatError(detail, this.fileName, path);
  }

  object(v: Json, path: string): JsonObject {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(path, `expected an object, got ${describe(v)}`);
    return v as JsonObject;
  }

  array(v: Json, path: string): JsonValue[] {
    if (!Array.isArray(v)) this.fail(path, `expected an array, got ${describe(v)}`);
    return v as JsonValue[];
  }

  string(v: Json, path: string): string {
    if (typeof v !== 'string') this.fail(path, `expected a string, got ${describe(v)}`);
    return v as string;
  }

  /** Properties of `o` not in `known`, or undefined when there are none. */
  extra(o: JsonObject, known: readonly string[]): JsonObject | undefined {
    let out: JsonObject | undefined;
    for (const k of Object.keys(o)) {
      if (known.includes(k)) continue;
      out ??= {};
      setOwn(out, k, o[k]);
    }
    return out;
  }
}

const DOC_KEYS = ['format', 'version', 'metadata', 'cells'] as const;
const CELL_KEYS = ['kind', 'language', 'source', 'metadata', 'outputs', 'execution'] as const;
const OUTPUT_KEYS = ['items', 'metadata'] as const;
const ITEM_KEYS = ['mime', 'data', 'encoding'] as const;
const EXEC_KEYS = ['count', 'success', 'startTime', 'endTime'] as const;

/** The text of a notebook file's bytes; invalid UTF-8 is refused with its byte offset. */
export function notebookText(content: string | Uint8Array, fileName?: string): string {
  if (typeof content === 'string') return content;
  if (!(content instanceof Uint8Array)) throw new NotebookFormatError(`expected the file's text or bytes, got ${typeof content}`, fileName);
  const d = decodeUtf8Strict(content);
  if ('text' in d) return d.text;
  const b = content[d.badByte];
  throw new NotebookFormatError(
    `not valid UTF-8 at byte ${d.badByte} (0x${b === undefined ? 'end' : b.toString(16).padStart(2, '0')}); the file was not opened, so nothing in it is changed. Re-save it as UTF-8.`,
    fileName,
  );
}

/**
 * Parses .dxnb text, or the file's bytes (strict UTF-8). Throws NotebookFormatError (and
 * only that) on any problem.
 */
export function parseNotebook(content: string | Uint8Array, fileName?: string): NotebookDocument {
  const text = notebookText(content, fileName);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw new NotebookFormatError('the file is empty; expected a DeXposure notebook (JSON)', fileName);
  let raw: JsonValue;
  try {
    raw = JSON.parse(body) as JsonValue;
  } catch (e) {
    const p = locateJsonSyntaxError(body);
    if (p) throw new NotebookFormatError(`not valid JSON: ${p.message}`, fileName, undefined, p.line, p.column);
    const pos = lineColumn(body, body.length);
    throw new NotebookFormatError(`not valid JSON: ${(e as Error).message}`, fileName, undefined, pos.line, pos.column);
  }
  const r = new Reader(fileName);
  const top = r.object(raw, '');
  if (top.format !== NOTEBOOK_FORMAT) {
    if (top.format === undefined && 'nbformat' in top) r.fail('format', 'this is a Jupyter notebook (.ipynb), not a .dxnb file; import it with importIpynb or `dexposure run`');
    r.fail('format', `expected "${NOTEBOOK_FORMAT}", got ${describe(top.format)}: not a DeXposure notebook`);
  }
  const version = top.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) return r.fail('version', `expected a positive integer format version, got ${describe(version)}`);
  if (version > NOTEBOOK_FORMAT_VERSION) {
    throw new NotebookFormatError(
      `written by a newer DeXposure Notebooks (format ${version}); this version reads format ${NOTEBOOK_FORMAT_VERSION}. Update the extension to open it.`,
      fileName,
    );
  }
  const doc: NotebookDocument = {
    metadata: top.metadata === undefined ? {} : r.object(top.metadata, 'metadata'),
    cells: r.array(top.cells, 'cells').map((c, i) => parseCell(r, c, `cells.${i}`)),
  };
  const extra = r.extra(top, DOC_KEYS);
  if (extra) doc.extra = extra;
  return doc;
}

function parseCell(r: Reader, v: JsonValue, path: string): NotebookCell {
  const o = r.object(v, path);
  const kind = o.kind;
  if (kind !== 'markdown' && kind !== 'code') r.fail(`${path}.kind`, `expected "markdown" or "code", got ${describe(kind)}`);
  const language = o.language === undefined ? (kind === 'markdown' ? 'markdown' : 'typescript') : r.string(o.language, `${path}.language`);
  const cell: NotebookCell = {
    kind: kind as CellKind,
    language,
    source: r.string(o.source, `${path}.source`),
    metadata: o.metadata === undefined ? {} : r.object(o.metadata, `${path}.metadata`),
    outputs: o.outputs === undefined ? [] : r.array(o.outputs, `${path}.outputs`).map((x, i) => parseOutput(r, x, `${path}.outputs.${i}`)),
  };
  if (o.execution !== undefined) cell.execution = parseExecution(r, o.execution, `${path}.execution`);
  const extra = r.extra(o, CELL_KEYS);
  if (extra) cell.extra = extra;
  return cell;
}

function parseOutput(r: Reader, v: JsonValue, path: string): NotebookOutput {
  const o = r.object(v, path);
  const out: NotebookOutput = {
    items: r.array(o.items, `${path}.items`).map((x, i) => parseItem(r, x, `${path}.items.${i}`)),
    metadata: o.metadata === undefined ? {} : r.object(o.metadata, `${path}.metadata`),
  };
  const extra = r.extra(o, OUTPUT_KEYS);
  if (extra) out.extra = extra;
  return out;
}

function parseItem(r: Reader, v: JsonValue, path: string): OutputItem {
  const o = r.object(v, path);
  const mime = r.string(o.mime, `${path}.mime`);
  if (mime === '') r.fail(`${path}.mime`, 'expected a MIME type, got an empty string');
  const extra = r.extra(o, ITEM_KEYS);
  const item = parseItemData(r, o, mime, path);
  if (extra) item.extra = extra;
  return item;
}

function parseItemData(r: Reader, o: JsonObject, mime: string, path: string): OutputItem {
  if (!('data' in o)) r.fail(`${path}.data`, 'missing the item data');
  if (o.encoding !== undefined) {
    if (o.encoding !== 'base64') r.fail(`${path}.encoding`, `expected "base64" (the only encoding), got ${describe(o.encoding)}`);
    const s = r.string(o.data, `${path}.data`);
    if (!isCanonicalBase64(s)) r.fail(`${path}.data`, 'expected base64 data (A-Z a-z 0-9 + /, padded with =)');
    return { mime, data: fromBase64(s) };
  }
  if (!isJsonMime(mime) && typeof o.data !== 'string') r.fail(`${path}.data`, `expected a string for ${mime} (a text MIME type), got ${describe(o.data)}`);
  return { mime, data: o.data };
}

function parseExecution(r: Reader, v: JsonValue, path: string): CellExecution {
  const o = r.object(v, path);
  const ex: CellExecution = {};
  if (o.count !== undefined && o.count !== null) {
    if (typeof o.count !== 'number' || !Number.isInteger(o.count) || o.count < 0) r.fail(`${path}.count`, `expected a non-negative integer, got ${describe(o.count)}`);
    ex.count = o.count as number;
  }
  if (o.success !== undefined && o.success !== null) {
    if (typeof o.success !== 'boolean') r.fail(`${path}.success`, `expected true or false, got ${describe(o.success)}`);
    ex.success = o.success as boolean;
  }
  for (const k of ['startTime', 'endTime'] as const) {
    const t = o[k];
    if (t === undefined || t === null) continue;
    if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) r.fail(`${path}.${k}`, `expected a time in milliseconds since 1970, got ${describe(t)}`);
    ex[k] = t as number;
  }
  const extra = r.extra(o, EXEC_KEYS);
  if (extra) ex.extra = extra;
  return ex;
}

// ------------------------------------------------------------------------ serializing

function withExtra(known: JsonObject, extra: JsonObject | undefined): JsonObject {
  if (!extra) return known;
  const out: JsonObject = {};
  for (const k of Object.keys(extra)) if (!(k in known)) setOwn(out, k, extra[k]);
  for (const k of Object.keys(known)) setOwn(out, k, known[k]);
  return out;
}

function itemToJson(item: OutputItem): JsonObject {
  if (item.data instanceof Uint8Array) return withExtra({ mime: item.mime, encoding: 'base64', data: toBase64(item.data) }, item.extra);
  return withExtra({ mime: item.mime, data: item.data }, item.extra);
}

/** The canonical text of `doc`: sorted keys, 2-space indent, trailing newline. */
export function serializeNotebook(doc: NotebookDocument): string {
  const cells = doc.cells.map((c) => {
    const o: JsonObject = { kind: c.kind, language: c.language, source: c.source, metadata: c.metadata ?? {} };
    if (c.kind === 'code' || c.outputs.length > 0) {
      o.outputs = c.outputs.map((out) => withExtra({ items: out.items.map(itemToJson), metadata: out.metadata ?? {} }, out.extra));
    }
    if (c.execution) {
      const e: JsonObject = {};
      if (c.execution.count !== undefined) e.count = c.execution.count;
      if (c.execution.success !== undefined) e.success = c.execution.success;
      if (c.execution.startTime !== undefined) e.startTime = c.execution.startTime;
      if (c.execution.endTime !== undefined) e.endTime = c.execution.endTime;
      o.execution = withExtra(e, c.execution.extra);
    }
    return withExtra(o, c.extra);
  });
  const top = withExtra({ format: NOTEBOOK_FORMAT, version: NOTEBOOK_FORMAT_VERSION, metadata: doc.metadata ?? {}, cells }, doc.extra);
  return `${canonicalJson(top)}\n`;
}
