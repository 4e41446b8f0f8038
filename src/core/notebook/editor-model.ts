/**
 * A .dxnb document as an editor holds it (the shape of vscode.NotebookData, as plain
 * objects: output items are bytes, execution is an `executionSummary` whose timing
 * needs both ends) and back. The extension's serializer only wraps these in VS Code's
 * classes, so open -> save keeps every saved byte, and that is tested here without an
 * editor:
 *
 * - an item's form in the file (a JSON value, a string, base64 bytes, or a string of
 *   base64 under an image type as Jupyter writes it) is remembered per output in the
 *   editor metadata (ITEMS_KEY) whenever the bytes alone would not tell it back;
 * - unknown properties (`extra`) of the document, cells, outputs, items and execution
 *   ride in editor metadata too (EXTRA_KEY, ITEMS_KEY, EXECUTION_KEY);
 * - execution fields that executionSummary cannot hold (a start time without an end
 *   time) are kept in EXECUTION_KEY.
 */
import type { CellExecution, JsonObject, NotebookCell, NotebookDocument, NotebookOutput } from './format';
import { fromBase64, isJsonMime, isTextMime, outputItemFromBytes, outputItemToBytes, toBase64, type OutputItem } from './output-items';

/** Metadata key carrying the format's unknown properties through the editor. */
export const EXTRA_KEY = 'dexposure.extra';
/** Cell metadata key: execution properties executionSummary cannot hold. */
export const EXECUTION_KEY = 'dexposure.extra.execution';
/** Output metadata key: per MIME type, the item's form in the file and its unknown properties. */
export const ITEMS_KEY = 'dexposure.items';

export interface EditorOutputItem {
  mime: string;
  data: Uint8Array;
}

export interface EditorOutput {
  items: EditorOutputItem[];
  metadata?: Record<string, unknown>;
}

export interface EditorExecutionSummary {
  executionOrder?: number;
  success?: boolean;
  timing?: { startTime: number; endTime: number };
}

export interface EditorCell {
  markup: boolean;
  value: string;
  languageId: string;
  metadata?: Record<string, unknown>;
  outputs?: EditorOutput[];
  executionSummary?: EditorExecutionSummary;
}

export interface EditorNotebook {
  cells: EditorCell[];
  metadata?: Record<string, unknown>;
}

/**
 * How an item's data is written in the file:
 *   json        a JSON value
 *   text        a string (bytes in the editor: its UTF-8)
 *   bytes       base64 with "encoding": "base64"
 *   base64-text a string of base64 without "encoding" (Jupyter's form for images):
 *               the editor gets the decoded bytes, so the image shows, and saving
 *               writes the same string back
 */
type ItemForm = 'json' | 'text' | 'bytes' | 'base64-text';

interface ItemNote {
  form?: ItemForm;
  extra?: JsonObject;
}

/** The form outputItemFromBytes gives an item of this MIME type when nothing is noted. */
function defaultForm(mime: string): ItemForm {
  return isJsonMime(mime) ? 'json' : isTextMime(mime) ? 'text' : 'bytes';
}

/** Binary MIME types Jupyter stores as a base64 string. */
function isBase64TextMime(mime: string): boolean {
  return (mime.startsWith('image/') && !mime.endsWith('+xml')) || mime === 'application/pdf';
}

function itemToEditor(item: OutputItem): { item: EditorOutputItem; note?: ItemNote } {
  let form: ItemForm;
  let data: Uint8Array;
  if (item.data instanceof Uint8Array) {
    form = 'bytes';
    data = item.data;
  } else if (isJsonMime(item.mime)) {
    form = 'json';
    data = outputItemToBytes(item);
  } else if (typeof item.data === 'string' && isBase64TextMime(item.mime) && isExactBase64(item.data)) {
    form = 'base64-text';
    data = fromBase64(item.data);
  } else {
    form = 'text';
    data = outputItemToBytes(item);
  }
  const note: ItemNote = {};
  if (form !== defaultForm(item.mime)) note.form = form;
  if (item.extra) note.extra = item.extra;
  return { item: { mime: item.mime, data }, note: note.form || note.extra ? note : undefined };
}

/** True when decoding and re-encoding gives the same string (so saving is byte-stable). */
function isExactBase64(s: string): boolean {
  return s.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(s) && toBase64(fromBase64(s)) === s;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function itemFromEditor(mime: string, bytes: Uint8Array, note: ItemNote | undefined): OutputItem {
  let item: OutputItem;
  switch (note?.form) {
    case 'bytes':
      item = { mime, data: new Uint8Array(bytes) };
      break;
    case 'base64-text':
      item = { mime, data: toBase64(bytes) };
      break;
    case 'text': {
      let text: string | undefined;
      try {
        text = strictUtf8.decode(bytes);
      } catch {
        text = undefined; // replaced by bytes that are not text: keep them exactly
      }
      item = text === undefined ? { mime, data: new Uint8Array(bytes) } : { mime, data: text };
      break;
    }
    default:
      item = outputItemFromBytes(mime, bytes);
  }
  if (note?.extra) item.extra = note.extra;
  return item;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function withKey(metadata: JsonObject, key: string, value: unknown): Record<string, unknown> {
  return value === undefined ? { ...metadata } : { ...metadata, [key]: value };
}

function outputToEditor(o: NotebookOutput): EditorOutput {
  const notes: Record<string, ItemNote> = {};
  let noted = false;
  const items = o.items.map((it) => {
    const { item, note } = itemToEditor(it);
    if (note) {
      notes[it.mime] = note;
      noted = true;
    }
    return item;
  });
  const metadata = withKey(withKey(o.metadata, EXTRA_KEY, o.extra) as JsonObject, ITEMS_KEY, noted ? notes : undefined);
  return { items, metadata };
}

function outputFromEditor(o: EditorOutput): NotebookOutput {
  const { [EXTRA_KEY]: extra, [ITEMS_KEY]: notes, ...metadata } = o.metadata ?? {};
  const noteOf = (mime: string): ItemNote | undefined => (isObject(notes) && isObject(notes[mime]) ? (notes[mime] as ItemNote) : undefined);
  const out: NotebookOutput = { items: o.items.map((it) => itemFromEditor(it.mime, it.data, noteOf(it.mime))), metadata: metadata as JsonObject };
  if (isObject(extra)) out.extra = extra as JsonObject;
  return out;
}

/** Execution properties that go into cell metadata rather than executionSummary. */
interface ExecutionNote {
  startTime?: number;
  endTime?: number;
  extra?: JsonObject;
}

export function docToEditor(doc: NotebookDocument): EditorNotebook {
  const cells = doc.cells.map((c): EditorCell => {
    const markup = c.kind === 'markdown';
    const cell: EditorCell = {
      markup,
      value: c.source,
      languageId: markup ? 'markdown' : c.language,
      metadata: withKey(c.metadata, EXTRA_KEY, c.extra),
    };
    if (c.outputs.length) cell.outputs = c.outputs.map(outputToEditor);
    if (c.execution) {
      const e = c.execution;
      const both = e.startTime !== undefined && e.endTime !== undefined;
      cell.executionSummary = {
        executionOrder: e.count,
        success: e.success,
        timing: both ? { startTime: e.startTime!, endTime: e.endTime! } : undefined,
      };
      const note: ExecutionNote = {};
      if (!both && e.startTime !== undefined) note.startTime = e.startTime;
      if (!both && e.endTime !== undefined) note.endTime = e.endTime;
      if (e.extra) note.extra = e.extra;
      // An execution with nothing executionSummary can hold still exists in the file.
      if (Object.keys(note).length || (e.count === undefined && e.success === undefined && !both)) cell.metadata = { ...cell.metadata, [EXECUTION_KEY]: note };
    }
    return cell;
  });
  return { cells, metadata: withKey(doc.metadata, EXTRA_KEY, doc.extra) };
}

export function editorToDoc(data: EditorNotebook): NotebookDocument {
  const cells = data.cells.map((c): NotebookCell => {
    const { [EXECUTION_KEY]: execNote, [EXTRA_KEY]: extra, ...metadata } = c.metadata ?? {};
    const cell: NotebookCell = {
      kind: c.markup ? 'markdown' : 'code',
      language: c.markup ? 'markdown' : c.languageId,
      source: c.value,
      metadata: metadata as JsonObject,
      outputs: (c.outputs ?? []).map(outputFromEditor),
    };
    if (isObject(extra)) cell.extra = extra as JsonObject;
    const s = c.executionSummary;
    const note = isObject(execNote) ? (execNote as ExecutionNote) : undefined;
    const summarised = s && (s.executionOrder !== undefined || s.success !== undefined || s.timing);
    if (!c.markup && (summarised || note)) {
      const ex: CellExecution = {};
      if (s?.executionOrder !== undefined) ex.count = s.executionOrder;
      if (s?.success !== undefined) ex.success = s.success;
      if (s?.timing) {
        ex.startTime = s.timing.startTime;
        ex.endTime = s.timing.endTime;
      } else {
        if (typeof note?.startTime === 'number') ex.startTime = note.startTime;
        if (typeof note?.endTime === 'number') ex.endTime = note.endTime;
      }
      if (isObject(note?.extra)) ex.extra = note.extra as JsonObject;
      cell.execution = ex;
    }
    return cell;
  });
  const { [EXTRA_KEY]: extra, ...metadata } = data.metadata ?? {};
  const doc: NotebookDocument = { metadata: metadata as JsonObject, cells };
  if (isObject(extra)) doc.extra = extra as JsonObject;
  return doc;
}
