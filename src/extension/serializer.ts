/**
 * NotebookSerializer for `.dxnb` files: wraps the pure parseNotebook/serializeNotebook
 * of src/core/notebook and core's editor model (editor-model.ts), which maps outputs to
 * editor bytes and back and carries unknown properties and each item's saved form
 * through editor metadata, so open -> save keeps every saved byte. This file only
 * converts that plain model to and from VS Code's classes.
 *
 * A corrupt or newer-version file, or one that is not valid UTF-8, must not open as an
 * empty notebook that a later save would write over the user's file:
 * deserializeNotebook throws, VS Code refuses to open the editor, and the specific
 * message is shown.
 */
import * as vscode from 'vscode';
import {
  docToEditor,
  editorToDoc,
  emptyNotebook,
  parseNotebook,
  serializeNotebook,
  type EditorCell,
  type EditorNotebook,
  type NotebookDocument,
} from '../core/notebook';

export { EXTRA_KEY } from '../core/notebook';
export const NOTEBOOK_TYPE = 'dexposure-notebook';

const encoder = new TextEncoder();

export function docToNotebookData(doc: NotebookDocument): vscode.NotebookData {
  const plain = docToEditor(doc);
  const cells = plain.cells.map((c) => {
    const cell = new vscode.NotebookCellData(c.markup ? vscode.NotebookCellKind.Markup : vscode.NotebookCellKind.Code, c.value, c.languageId);
    cell.metadata = c.metadata;
    if (c.outputs) cell.outputs = c.outputs.map((o) => new vscode.NotebookCellOutput(o.items.map((it) => new vscode.NotebookCellOutputItem(it.data, it.mime)), o.metadata));
    if (c.executionSummary) cell.executionSummary = c.executionSummary;
    return cell;
  });
  const data = new vscode.NotebookData(cells);
  data.metadata = plain.metadata;
  return data;
}

export function notebookDataToDoc(data: vscode.NotebookData): NotebookDocument {
  const plain: EditorNotebook = {
    metadata: data.metadata,
    cells: data.cells.map(
      (c): EditorCell => ({
        markup: c.kind === vscode.NotebookCellKind.Markup,
        value: c.value,
        languageId: c.languageId,
        metadata: c.metadata,
        outputs: (c.outputs ?? []).map((o) => ({ items: o.items.map((it) => ({ mime: it.mime, data: it.data })), metadata: o.metadata })),
        executionSummary: c.executionSummary,
      }),
    ),
  };
  return editorToDoc(plain);
}

export class DexposureSerializer implements vscode.NotebookSerializer {
  deserializeNotebook(content: Uint8Array, _token: vscode.CancellationToken): vscode.NotebookData {
    // A brand-new empty file (Explorer > New File) has nothing to lose: open it empty.
    const bom = content[0] === 0xef && content[1] === 0xbb && content[2] === 0xbf ? 3 : 0;
    if (content.subarray(bom).every((b) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09)) return docToNotebookData(emptyNotebook());
    // Throwing makes VS Code refuse to open an editor, so a bad file can never be saved
    // over as an empty notebook. VS Code's placeholder only says "unexpected error", so
    // the specific message (file, field, what was expected) is shown as well.
    try {
      return docToNotebookData(parseNotebook(content, 'this .dxnb file'));
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
