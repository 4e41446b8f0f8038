/**
 * NotebookSerializer for `.dxnb` files: wraps the pure parseNotebook/serializeNotebook
 * of src/core/notebook and maps outputs item by item (core's output-items rules: JSON
 * MIME types as JSON values, text as strings, binaries as base64 in the file).
 * Unknown properties the format keeps (`extra`) ride along in VS Code metadata under
 * EXTRA_KEY, so a round trip through the editor writes them back.
 *
 * A corrupt or newer-version file must not open as an empty notebook that a later save
 * would write over the user's file: deserializeNotebook throws, VS Code refuses to open
 * the editor, and the specific message is shown.
 */
import * as vscode from 'vscode';
import {
  emptyNotebook,
  outputItemFromBytes,
  outputItemToBytes,
  parseNotebook,
  serializeNotebook,
  type JsonObject,
  type NotebookCell,
  type NotebookDocument,
  type NotebookOutput,
} from '../core/notebook';

export const NOTEBOOK_TYPE = 'dexposure-notebook';
/** Metadata key carrying the format's unknown properties through the editor. */
export const EXTRA_KEY = 'dexposure.extra';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

function withExtra(metadata: JsonObject, extra: JsonObject | undefined): Record<string, unknown> {
  return extra ? { ...metadata, [EXTRA_KEY]: extra } : { ...metadata };
}

/** Splits editor metadata back into the format's metadata and its `extra`. */
function splitExtra(metadata: Record<string, unknown> | undefined): { metadata: JsonObject; extra?: JsonObject } {
  const { [EXTRA_KEY]: extra, ...rest } = metadata ?? {};
  const out: { metadata: JsonObject; extra?: JsonObject } = { metadata: rest as JsonObject };
  if (extra && typeof extra === 'object') out.extra = extra as JsonObject;
  return out;
}

export function docToNotebookData(doc: NotebookDocument): vscode.NotebookData {
  const cells = doc.cells.map((c) => {
    const markdown = c.kind === 'markdown';
    const cell = new vscode.NotebookCellData(
      markdown ? vscode.NotebookCellKind.Markup : vscode.NotebookCellKind.Code,
      c.source,
      markdown ? 'markdown' : c.language,
    );
    cell.metadata = withExtra(c.metadata, c.extra);
    if (c.outputs.length) cell.outputs = c.outputs.map(outputFromDoc);
    if (c.execution) {
      const e = c.execution;
      cell.executionSummary = {
        executionOrder: e.count,
        success: e.success,
        timing: e.startTime !== undefined && e.endTime !== undefined ? { startTime: e.startTime, endTime: e.endTime } : undefined,
      };
      // Unknown execution properties have no place in executionSummary: keep them in metadata.
      if (e.extra) cell.metadata = { ...cell.metadata, [`${EXTRA_KEY}.execution`]: e.extra };
    }
    return cell;
  });
  const data = new vscode.NotebookData(cells);
  data.metadata = withExtra(doc.metadata, doc.extra);
  return data;
}

function outputFromDoc(o: NotebookOutput): vscode.NotebookCellOutput {
  const items = o.items.map((it) => new vscode.NotebookCellOutputItem(outputItemToBytes(it), it.mime));
  return new vscode.NotebookCellOutput(items, withExtra(o.metadata, o.extra));
}

export function notebookDataToDoc(data: vscode.NotebookData): NotebookDocument {
  const cells: NotebookCell[] = data.cells.map((c) => {
    const markdown = c.kind === vscode.NotebookCellKind.Markup;
    const execKey = `${EXTRA_KEY}.execution`;
    const { [execKey]: execExtra, ...meta } = c.metadata ?? {};
    const { metadata, extra } = splitExtra(meta);
    const cell: NotebookCell = {
      kind: markdown ? 'markdown' : 'code',
      language: markdown ? 'markdown' : c.languageId,
      source: c.value,
      metadata,
      outputs: (c.outputs ?? []).map((o) => {
        const split = splitExtra(o.metadata);
        const out: NotebookOutput = { items: o.items.map((it) => outputItemFromBytes(it.mime, it.data)), metadata: split.metadata };
        if (split.extra) out.extra = split.extra;
        return out;
      }),
    };
    if (extra) cell.extra = extra;
    const s = c.executionSummary;
    if (!markdown && s && (s.executionOrder !== undefined || s.success !== undefined || s.timing)) {
      cell.execution = { count: s.executionOrder, success: s.success, startTime: s.timing?.startTime, endTime: s.timing?.endTime };
      if (execExtra && typeof execExtra === 'object') cell.execution.extra = execExtra as JsonObject;
    }
    return cell;
  });
  const { metadata, extra } = splitExtra(data.metadata);
  const doc: NotebookDocument = { metadata, cells };
  if (extra) doc.extra = extra;
  return doc;
}

export class DexposureSerializer implements vscode.NotebookSerializer {
  deserializeNotebook(content: Uint8Array, _token: vscode.CancellationToken): vscode.NotebookData {
    const text = decoder.decode(content);
    // A brand-new empty file (Explorer > New File) has nothing to lose: open it empty.
    if (text.trim() === '') return docToNotebookData(emptyNotebook());
    // Throwing makes VS Code refuse to open an editor, so a bad file can never be saved
    // over as an empty notebook. VS Code's placeholder only says "unexpected error", so
    // the specific message (file, field, what was expected) is shown as well.
    try {
      return docToNotebookData(parseNotebook(text, 'this .dxnb file'));
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      void vscode.window.showErrorMessage(`DeXposure: cannot open the notebook: ${message}`);
      throw e;
    }
  }

  serializeNotebook(data: vscode.NotebookData, _token: vscode.CancellationToken): Uint8Array {
    return encoder.encode(serializeNotebook(notebookDataToDoc(data)));
  }
}

export const serializerOptions: vscode.NotebookDocumentContentOptions = {
  transientOutputs: false,
  transientCellMetadata: {},
  transientDocumentMetadata: {},
};
