/**
 * Palette and toolbar commands: restart / interrupt the kernel, run the notebook
 * headless through the CLI runner, create a notebook, open the bundled examples
 * (and, for the walkthrough, one example from an editable copy).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { resolveNodeExecutable } from '../kernel/client';
import type { DexposureController } from './controller';
import { ExampleError, QUICKSTART, writableExampleCopy } from './example-copy';
import { NOTEBOOK_TYPE } from './serializer';
import { allowedByTrust } from './trust';

export const COMMANDS = {
  restartKernel: 'dexposure.restartKernel',
  interruptKernel: 'dexposure.interruptKernel',
  runHeadless: 'dexposure.runHeadless',
  newNotebook: 'dexposure.newNotebook',
  openExamples: 'dexposure.openExamples',
  openQuickstart: 'dexposure.openQuickstart',
  openExample: 'dexposure.openExample',
} as const;

/** Opens examples/NAME from the user's editable copy (see example-copy.ts). */
async function openExampleCopy(context: vscode.ExtensionContext, name: string): Promise<void> {
  let file: string;
  try {
    const version = String((context.extension.packageJSON as { version?: unknown }).version ?? 'dev');
    file = writableExampleCopy(context.extensionPath, context.globalStorageUri.fsPath, version, name);
  } catch (e) {
    void vscode.window.showErrorMessage(`DeXposure: cannot open the example: ${e instanceof ExampleError ? e.message : (e as Error).message}`);
    return;
  }
  const doc = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
  await vscode.window.showNotebookDocument(doc);
}

/** The notebook a command applies to: the one passed by a toolbar, else the active one. */
function targetNotebook(arg: unknown): vscode.NotebookDocument | undefined {
  const fromToolbar = (arg as { notebookEditor?: { notebookUri?: vscode.Uri } } | undefined)?.notebookEditor?.notebookUri;
  if (fromToolbar) return vscode.workspace.notebookDocuments.find((d) => d.uri.toString() === fromToolbar.toString());
  if (arg instanceof vscode.Uri) return vscode.workspace.notebookDocuments.find((d) => d.uri.toString() === arg.toString());
  return vscode.window.activeNotebookEditor?.notebook;
}

function requireNotebook(arg: unknown, controller: DexposureController): vscode.NotebookDocument | undefined {
  const nb = targetNotebook(arg);
  if (!nb || !controller.handles(nb)) {
    void vscode.window.showInformationMessage('DeXposure: open a DeXposure notebook (or pick the DeXposure kernel) first.');
    return undefined;
  }
  return nb;
}

export const NEW_NOTEBOOK_CELLS: { kind: 'markdown' | 'code'; source: string }[] = [
  { kind: 'markdown', source: '# DeXposure notebook\n\nLoad a release, measure it, stress-test it.' },
  { kind: 'code', source: "const snap = await dx.load('examples/data');\nsnap" },
];

export function registerCommands(context: vscode.ExtensionContext, controller: DexposureController): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.restartKernel, async (arg?: unknown) => {
      const nb = requireNotebook(arg, controller);
      // A restart starts a fresh kernel process.
      if (nb && allowedByTrust('Restarting the kernel')) await controller.restart(nb);
    }),
    vscode.commands.registerCommand(COMMANDS.interruptKernel, async (arg?: unknown) => {
      const nb = requireNotebook(arg, controller);
      if (nb) await controller.interrupt(nb);
    }),
    vscode.commands.registerCommand(COMMANDS.runHeadless, async (arg?: unknown) => {
      // Runs every cell, with an executable a workspace setting may name.
      if (!allowedByTrust('Running the notebook headless')) return;
      const nb = targetNotebook(arg);
      if (!nb || nb.uri.scheme !== 'file') {
        void vscode.window.showInformationMessage('DeXposure: save the notebook to a file first, then run it headless.');
        return;
      }
      if (nb.isDirty) await nb.save();
      const cfg = vscode.workspace.getConfiguration('dexposure', nb.uri);
      // The same executable, resolved the same way, as the kernels use.
      const folder = vscode.workspace.getWorkspaceFolder(nb.uri)?.uri.fsPath ?? path.dirname(nb.uri.fsPath);
      let nodePath: string;
      try {
        nodePath = resolveNodeExecutable(cfg.get<string>('kernel.nodePath'), folder);
      } catch (e) {
        void vscode.window.showErrorMessage(`DeXposure: ${(e as Error).message.replace(/^kernel: /, '')}`);
        return;
      }
      const cli = path.join(context.extensionPath, 'dist', 'cli.js');
      const terminal = vscode.window.createTerminal({
        name: `DeXposure: ${path.basename(nb.uri.fsPath)}`,
        shellPath: nodePath,
        shellArgs: [cli, 'run', nb.uri.fsPath],
        cwd: path.dirname(nb.uri.fsPath),
        // The editor's own executable runs as plain Node when no node path is set.
        env: { ELECTRON_RUN_AS_NODE: '1' },
      });
      terminal.show();
    }),
    vscode.commands.registerCommand(COMMANDS.newNotebook, async () => {
      const data = new vscode.NotebookData(
        NEW_NOTEBOOK_CELLS.map((c) =>
          c.kind === 'markdown'
            ? new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, c.source, 'markdown')
            : new vscode.NotebookCellData(vscode.NotebookCellKind.Code, c.source, 'typescript'),
        ),
      );
      const doc = await vscode.workspace.openNotebookDocument(NOTEBOOK_TYPE, data);
      await vscode.window.showNotebookDocument(doc);
    }),
    vscode.commands.registerCommand(COMMANDS.openExamples, async () => {
      const dir = vscode.Uri.joinPath(context.extensionUri, 'examples');
      let names: string[] = [];
      try {
        names = (await vscode.workspace.fs.readDirectory(dir))
          .filter(([n, t]) => t === vscode.FileType.File && n.endsWith('.dxnb'))
          .map(([n]) => n)
          .sort();
      } catch {
        // No examples folder in this install.
      }
      if (!names.length) {
        void vscode.window.showInformationMessage('DeXposure: no example notebooks found in this installation.');
        return;
      }
      const pick = names.length === 1 ? names[0] : await vscode.window.showQuickPick(names, { title: 'Open a DeXposure example' });
      if (!pick) return;
      const doc = await vscode.workspace.openNotebookDocument(vscode.Uri.joinPath(dir, pick));
      await vscode.window.showNotebookDocument(doc);
    }),
    vscode.commands.registerCommand(COMMANDS.openQuickstart, () => openExampleCopy(context, QUICKSTART)),
    // The walkthrough's buttons pass the example's file name (command:dexposure.openExample?["stress-lab.dxnb"]).
    vscode.commands.registerCommand(COMMANDS.openExample, (name?: unknown) => openExampleCopy(context, typeof name === 'string' ? name : QUICKSTART)),
  ];
}
