/**
 * NotebookSerializer for `.dxnb` files: wraps the pure parseNotebook/serializeNotebook
 * of the notebook format and maps outputs item by item (JSON MIME types as JSON values,
 * text as strings, binaries as base64; see output-codec.ts).
 *
 * A corrupt or newer-version file must not open as an empty notebook that a later save
 * would write over the user's file: deserializeNotebook throws the format's specific
 * message, and VS Code shows it and refuses to open the editor.
 */
import * as vscode from 'vscode';
import { decodeItemData, encodeItemData } from './output-codec';
import {
  NOTEBOOK_FORMAT,
  NOTEBOOK_VERSION,
  parseNotebook,
  serializeNotebook,
  type NotebookCellDoc,
  type NotebookDoc,
  type NotebookOutputDoc,
} from './notebook-format';

export const NOTEBOOK_TYPE = 'dexposure-notebook';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

export function docToNotebookData(doc: NotebookDoc): vscode.NotebookData {
  const cells = doc.cells.map((c) => {
    const kind = c.kind === 'markdown' ? vscode.NotebookCellKind.Markup : vscode.NotebookCellKind.Code;
    const cell = new vscode.NotebookCellData(kind, c.source, c.kind === 'markdown' ? 'markdown' : c.language);
    if (c.metadata) cell.metadata = c.metadata;
    if (c.outputs?.length) cell.outputs = c.outputs.map(outputFromDoc);
    if (c.execution) {
      cell.executionSummary = {
        executionOrder: c.execution.order,
        success: c.execution.success,
        timing:
          c.execution.startTime !== undefined && c.execution.endTime !== undefined
            ? { startTime: c.execution.startTime, endTime: c.execution.endTime }
            : undefined,
      };
    }
    return cell;
  });
  const data = new vscode.NotebookData(cells);
  data.metadata = doc.metadata ?? {};
  return data;
}

function outputFromDoc(o: NotebookOutputDoc): vscode.NotebookCellOutput {
  const items = o.items.map((it) => new vscode.NotebookCellOutputItem(encodeItemData(it.mime, it.data), it.mime));
  return new vscode.NotebookCellOutput(items, o.metadata);
}

export function notebookDataToDoc(data: vscode.NotebookData): NotebookDoc {
  const cells: NotebookCellDoc[] = data.cells.map((c) => {
    const markdown = c.kind === vscode.NotebookCellKind.Markup;
    const cell: NotebookCellDoc = {
      kind: markdown ? 'markdown' : 'code',
      language: markdown ? 'markdown' : c.languageId,
      source: c.value,
    };
    if (c.metadata && Object.keys(c.metadata).length) cell.metadata = c.metadata;
    if (!markdown) {
      cell.outputs = (c.outputs ?? []).map((o) => {
        const out: NotebookOutputDoc = {
          items: o.items.map((it) => ({ mime: it.mime, data: decodeItemData(it.mime, it.data) })),
        };
        if (o.metadata && Object.keys(o.metadata).length) out.metadata = o.metadata;
        return out;
      });
      const s = c.executionSummary;
      if (s && (s.executionOrder !== undefined || s.success !== undefined || s.timing)) {
        cell.execution = {
          order: s.executionOrder,
          success: s.success,
          startTime: s.timing?.startTime,
          endTime: s.timing?.endTime,
        };
      }
    }
    return cell;
  });
  return { format: NOTEBOOK_FORMAT, version: NOTEBOOK_VERSION, metadata: data.metadata ?? {}, cells };
}

export class DexposureSerializer implements vscode.NotebookSerializer {
  deserializeNotebook(content: Uint8Array, _token: vscode.CancellationToken): vscode.NotebookData {
    // Throws NotebookFormatError with file/field detail; VS Code shows it and does not
    // open an editor, so a bad file can never be saved over as an empty notebook.
    return docToNotebookData(parseNotebook(decoder.decode(content), 'this .dxnb file'));
  }

  serializeNotebook(data: vscode.NotebookData, _token: vscode.CancellationToken): Uint8Array {
    return encoder.encode(serializeNotebook(notebookDataToDoc(data)));
  }
}

/** Options for registerNotebookSerializer: execution state is transient (not a dirty edit). */
export const serializerOptions: vscode.NotebookDocumentContentOptions = {
  transientOutputs: false,
  transientCellMetadata: {},
  transientDocumentMetadata: {},
};
