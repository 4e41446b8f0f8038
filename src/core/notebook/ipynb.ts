/**
 * Jupyter interchange: .dxnb <-> .ipynb (nbformat 4.5, https://nbformat.readthedocs.io).
 * Rich outputs become `display_data` with every MIME type kept (our
 * application/vnd.dexposure.* payloads as JSON, plus their text/markdown or text/plain
 * fallback), so Jupyter and GitHub show the fallback and a round trip keeps the payload.
 * Streams and errors use Jupyter's own output types.
 */
import {
  NotebookFormatError,
  notebookText,
  type CellExecution,
  type JsonObject,
  type NotebookCell,
  type NotebookDocument,
  type NotebookOutput,
} from './format';
import { lineColumn, locateJsonSyntaxError, type JsonValue } from './json-text';
import { ERROR_MIME, STDERR_MIME, STDOUT_MIME, fromBase64, isJsonMime, isTextMime, toBase64, type OutputItem } from './output-items';

/** Output metadata flag marking the cell's last-expression value (Jupyter's execute_result). */
export const EXECUTE_RESULT_KEY = 'executeResult';

const NBFORMAT_JSON_MIME = /^application\/(.*\+)?json$/;

/** The kernelspec of the .ipynb files DeXposure writes (the editor opens them on DeXposure). */
export const KERNELSPEC = { name: 'dexposure', display_name: 'DeXposure (TypeScript)', language: 'typescript' };

function splitLines(s: string): string[] {
  const out = s.match(/[^\n]*\n|[^\n]+$/g);
  return out ?? [];
}

function joinText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.join('');
  return undefined;
}

export function exportIpynb(doc: NotebookDocument): string {
  const used = new Set<string>();
  const cells = doc.cells.map((c, i) => {
    const wanted = typeof c.metadata.id === 'string' && /^[a-zA-Z0-9_-]{1,64}$/.test(c.metadata.id) ? c.metadata.id : `dx-${i}`;
    // nbformat 4.5: ids unique and at most 64 characters, so a suffix may cut the base short.
    let id = wanted;
    for (let n = 0; used.has(id); n++) {
      const suffix = n === 0 ? `-${i}` : `-${i}-${n}`;
      id = `${wanted.slice(0, 64 - suffix.length)}${suffix}`;
    }
    used.add(id);
    const { id: _dropId, ...rest } = c.metadata;
    const metadata: JsonObject = { ...rest };
    if (c.kind === 'markdown') {
      if (c.language === 'raw') return { cell_type: 'raw', id, metadata, source: splitLines(c.source) };
      return { cell_type: 'markdown', id, metadata, source: splitLines(c.source) };
    }
    if (c.language !== 'typescript') metadata.dexposure = { language: c.language };
    return {
      cell_type: 'code',
      id,
      metadata,
      execution_count: c.execution?.count ?? null,
      source: splitLines(c.source),
      outputs: c.outputs.map((o) => outputToIpynb(o, c.execution?.count ?? null)),
    };
  });
  const nb = {
    cells,
    metadata: { kernelspec: KERNELSPEC, language_info: { name: 'typescript', file_extension: '.ts' }, dexposure: doc.metadata },
    nbformat: 4,
    nbformat_minor: 5,
  };
  return `${JSON.stringify(nb, null, 1)}\n`;
}

function outputToIpynb(o: NotebookOutput, count: number | null): JsonObject {
  const items = o.items;
  if (items.length === 1 && (items[0].mime === STDOUT_MIME || items[0].mime === STDERR_MIME) && typeof items[0].data === 'string') {
    return { output_type: 'stream', name: items[0].mime === STDOUT_MIME ? 'stdout' : 'stderr', text: splitLines(items[0].data) };
  }
  const err = items.find((it) => it.mime === ERROR_MIME);
  if (err && typeof err.data === 'object' && err.data !== null && !Array.isArray(err.data) && !(err.data instanceof Uint8Array)) {
    const e = err.data as JsonObject;
    return {
      output_type: 'error',
      ename: String(e.name ?? 'Error'),
      evalue: String(e.message ?? ''),
      traceback: String(e.stack ?? '').split('\n'),
    };
  }
  const data: JsonObject = {};
  for (const it of items) {
    if (it.data instanceof Uint8Array) data[it.mime] = toBase64(it.data);
    // nbformat keeps JSON values only under application/json and application/*+json; other
    // JSON-valued types (VS Code's error type) are stored as their JSON text.
    else if (isJsonMime(it.mime)) data[it.mime] = NBFORMAT_JSON_MIME.test(it.mime) ? it.data : JSON.stringify(it.data);
    else data[it.mime] = typeof it.data === 'string' ? splitLines(it.data) : JSON.stringify(it.data);
  }
  const isResult = o.metadata[EXECUTE_RESULT_KEY] === true;
  const { [EXECUTE_RESULT_KEY]: _flag, ...metadata } = o.metadata;
  if (isResult) return { output_type: 'execute_result', execution_count: count, data, metadata };
  return { output_type: 'display_data', data, metadata };
}

// ------------------------------------------------------------------------------ import

function fail(fileName: string | undefined, path: string, detail: string): never {
  throw new NotebookFormatError(detail, fileName, path);
}

function obj(v: unknown, fileName: string | undefined, path: string): JsonObject {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(fileName, path, `expected an object, got ${v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v}`);
  return v as JsonObject;
}

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, 'g');

export function importIpynb(content: string | Uint8Array, fileName?: string): NotebookDocument {
  const text = notebookText(content, fileName);
  let raw: unknown;
  try {
    raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    const p = locateJsonSyntaxError(text);
    const pos = p ?? { ...lineColumn(text, text.length), message: (e as Error).message };
    throw new NotebookFormatError(`not valid JSON: ${pos.message}`, fileName, undefined, pos.line, pos.column);
  }
  const nb = obj(raw, fileName, '');
  if (nb.nbformat !== 4) fail(fileName, 'nbformat', `expected a Jupyter notebook in nbformat 4, got ${JSON.stringify(nb.nbformat ?? null)}`);
  const meta = nb.metadata === undefined ? {} : obj(nb.metadata, fileName, 'metadata');
  const ks = typeof meta.kernelspec === 'object' && meta.kernelspec !== null && !Array.isArray(meta.kernelspec) ? (meta.kernelspec as JsonObject) : {};
  const li = typeof meta.language_info === 'object' && meta.language_info !== null && !Array.isArray(meta.language_info) ? (meta.language_info as JsonObject) : {};
  const defaultLanguage = String(ks.language ?? li.name ?? 'python');
  if (!Array.isArray(nb.cells)) fail(fileName, 'cells', 'expected an array of cells');
  const cells = (nb.cells as JsonValue[]).map((cv, i): NotebookCell => {
    const path = `cells.${i}`;
    const c = obj(cv, fileName, path);
    const source = joinText(c.source);
    if (source === undefined) fail(fileName, `${path}.source`, 'expected a string or an array of strings');
    const cellMeta: JsonObject = c.metadata === undefined ? {} : { ...obj(c.metadata, fileName, `${path}.metadata`) };
    if (typeof c.id === 'string') cellMeta.id = c.id;
    if (c.cell_type === 'markdown' || c.cell_type === 'raw') {
      return { kind: 'markdown', language: c.cell_type === 'raw' ? 'raw' : 'markdown', source, metadata: cellMeta, outputs: [] };
    }
    if (c.cell_type !== 'code') fail(fileName, `${path}.cell_type`, `expected "code", "markdown" or "raw", got ${JSON.stringify(c.cell_type ?? null)}`);
    const dx = cellMeta.dexposure;
    let language = defaultLanguage;
    if (typeof dx === 'object' && dx !== null && !Array.isArray(dx) && typeof (dx as JsonObject).language === 'string') {
      language = (dx as JsonObject).language as string;
      delete cellMeta.dexposure;
    }
    const outputs = c.outputs === undefined ? [] : Array.isArray(c.outputs) ? c.outputs : fail(fileName, `${path}.outputs`, 'expected an array');
    const cell: NotebookCell = {
      kind: 'code',
      language,
      source,
      metadata: cellMeta,
      outputs: (outputs as JsonValue[]).map((ov, j) => outputFromIpynb(ov, fileName, `${path}.outputs.${j}`)),
    };
    if (typeof c.execution_count === 'number' && Number.isInteger(c.execution_count) && c.execution_count >= 0) {
      const ex: CellExecution = { count: c.execution_count };
      cell.execution = ex;
    }
    return cell;
  });
  const { kernelspec: _ks, language_info: _li, dexposure, ...rest } = meta;
  const metadata: JsonObject = typeof dexposure === 'object' && dexposure !== null && !Array.isArray(dexposure) ? { ...(dexposure as JsonObject) } : {};
  if (Object.keys(rest).length) metadata.ipynb = rest;
  return { metadata, cells };
}

function outputFromIpynb(v: JsonValue, fileName: string | undefined, path: string): NotebookOutput {
  const o = obj(v, fileName, path);
  const metadata: JsonObject = o.metadata === undefined ? {} : { ...obj(o.metadata, fileName, `${path}.metadata`) };
  switch (o.output_type) {
    case 'stream': {
      const t = joinText(o.text);
      if (t === undefined) fail(fileName, `${path}.text`, 'expected a string or an array of strings');
      return { items: [{ mime: o.name === 'stderr' ? STDERR_MIME : STDOUT_MIME, data: t }], metadata: {} };
    }
    case 'error': {
      const tb = Array.isArray(o.traceback) ? o.traceback.map((l) => String(l).replace(ANSI, '')).join('\n') : '';
      const name = String(o.ename ?? 'Error');
      const message = String(o.evalue ?? '');
      return { items: [{ mime: ERROR_MIME, data: { name, message, stack: tb || `${name}: ${message}` } }], metadata: {} };
    }
    case 'display_data':
    case 'execute_result': {
      const data = obj(o.data ?? {}, fileName, `${path}.data`);
      const items: OutputItem[] = Object.keys(data).map((mime) => itemFromIpynb(mime, data[mime], fileName, `${path}.data.${mime}`));
      if (o.output_type === 'execute_result') metadata[EXECUTE_RESULT_KEY] = true;
      return { items, metadata };
    }
    default:
      return fail(fileName, `${path}.output_type`, `expected "stream", "error", "display_data" or "execute_result", got ${JSON.stringify(o.output_type ?? null)}`);
  }
}

function itemFromIpynb(mime: string, v: JsonValue, fileName: string | undefined, path: string): OutputItem {
  if (isJsonMime(mime)) {
    if (typeof v === 'string') {
      try {
        return { mime, data: JSON.parse(v) as JsonValue };
      } catch {
        return { mime, data: v };
      }
    }
    return { mime, data: v };
  }
  const t = joinText(v);
  if (t === undefined) fail(fileName, path, `expected text for ${mime}`);
  if (isTextMime(mime)) return { mime, data: t };
  const b64 = t.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) fail(fileName, path, `expected base64 data for ${mime}`);
  return { mime, data: fromBase64(b64) };
}
