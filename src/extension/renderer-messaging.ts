/**
 * Routes messages from the `dexposure-renderer` notebook renderer (RendererMessage in
 * src/core/display/protocol.ts): what-if reruns go to the notebook's kernel
 * (`stress.whatIf`) and the answer goes back to the same editor; image saves open a
 * save dialog and write the file here, since downloads do not work inside webviews.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionMessage, RendererMessage, StressPayload } from '../core/display/protocol';
import type { KernelManager } from './kernel-manager';
import { isTrusted, UNTRUSTED_MESSAGE } from './trust';
import { writeFileAtomic } from '../core/files/atomic-write';

export const RENDERER_ID = 'dexposure-renderer';

export function isRendererMessage(m: unknown): m is RendererMessage {
  if (typeof m !== 'object' || m === null) return false;
  const t = (m as { type?: unknown }).type;
  if (t === 'whatIf') return typeof (m as { handle?: unknown }).handle === 'string' && typeof (m as { requestId?: unknown }).requestId === 'string';
  if (t === 'saveImage') return typeof (m as { dataUrl?: unknown }).dataUrl === 'string';
  return false;
}

/** Bytes of a `data:<mime>;base64,...` or `data:<mime>,<url-encoded>` URL. */
export function dataUrlBytes(dataUrl: string): Uint8Array {
  const m = /^data:([^;,]*)(;base64)?,(.*)$/s.exec(dataUrl);
  if (!m) throw new Error('renderer-messaging: saveImage dataUrl is not a data: URL');
  return m[2] ? new Uint8Array(Buffer.from(m[3]!, 'base64')) : new TextEncoder().encode(decodeURIComponent(m[3]!));
}

export function registerRendererMessaging(manager: KernelManager): vscode.Disposable {
  const messaging = vscode.notebooks.createRendererMessaging(RENDERER_ID);
  const post = (editor: vscode.NotebookEditor, msg: ExtensionMessage) => void messaging.postMessage(msg, editor);

  return messaging.onDidReceiveMessage(async ({ editor, message }) => {
    if (!isRendererMessage(message)) return;
    if (message.type === 'whatIf') {
      if (!isTrusted()) {
        post(editor, { type: 'whatIfError', requestId: message.requestId, message: UNTRUSTED_MESSAGE });
        return;
      }
      const session = manager.peek(editor.notebook);
      if (!session || session.state === 'dead' || session.state === 'disposed') {
        post(editor, {
          type: 'whatIfError',
          requestId: message.requestId,
          message: 'The kernel that produced this output is not running any more. Run the cell again to explore what-ifs.',
        });
        return;
      }
      try {
        const payload = (await session.invoke('stress.whatIf', message)) as StressPayload;
        post(editor, { type: 'whatIfResult', requestId: message.requestId, payload });
      } catch (e) {
        post(editor, { type: 'whatIfError', requestId: message.requestId, message: (e as Error).message });
      }
      return;
    }
    // saveImage
    try {
      const nbUri = editor.notebook.uri;
      const base = nbUri.scheme === 'file' ? vscode.Uri.file(path.dirname(nbUri.fsPath)) : vscode.workspace.workspaceFolders?.[0]?.uri;
      const name = (message.suggestedName || 'figure').replace(/[\\/:*?"<>|]/g, '_');
      const fileName = name.endsWith(`.${message.format}`) ? name : `${name}.${message.format}`;
      const target = await vscode.window.showSaveDialog({
        defaultUri: base ? vscode.Uri.joinPath(base, fileName) : undefined,
        filters: message.format === 'svg' ? { 'SVG image': ['svg'] } : { 'PNG image': ['png'] },
        title: 'Save figure',
      });
      if (!target) return;
      // A local file goes through the atomic writer (a failed save keeps the old image);
      // other file systems (remote workspaces) only offer VS Code's own write.
      if (target.scheme === 'file') writeFileAtomic(target.fsPath, dataUrlBytes(message.dataUrl));
      else await vscode.workspace.fs.writeFile(target, dataUrlBytes(message.dataUrl));
      void vscode.window.showInformationMessage(`Saved ${path.basename(target.path)}`);
    } catch (e) {
      void vscode.window.showErrorMessage(`DeXposure: could not save the image: ${(e as Error).message}`);
    }
  });
}
