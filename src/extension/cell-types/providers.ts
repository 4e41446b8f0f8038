/**
 * Completion, hover, signature help and diagnostics for TypeScript and JavaScript cells
 * of the notebooks that run on DeXposure, from ./service (the TypeScript language
 * service over the built `dx` declarations in dist/types): every .dxnb, and a Jupyter
 * .ipynb once the DeXposure kernel is selected for it or when it was written by
 * DeXposure (kernelspec "dexposure"). Other .ipynb notebooks (another kernel's
 * TypeScript) get nothing from here, since `dx` does not exist there. The compiler
 * loads on the first request, not at activation. Diagnostics follow edits (debounced)
 * for every cell of a notebook, since an earlier cell's declarations change what a
 * later one means.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as TS from 'typescript';
import * as vscode from 'vscode';
import { JUPYTER_NOTEBOOK_TYPE, namesDexposureKernel } from '../jupyter';
import { NOTEBOOK_TYPE } from '../serializer';
import { CellTypes, type CellContext, type CellLanguage } from './service';

const LANGUAGES: readonly CellLanguage[] = ['typescript', 'javascript'];
/** Which notebooks' cells see `dx`: set up by the extension with the controller's selection. */
export interface DxNotebooks {
  /** True when the notebook's cells run on DeXposure. */
  handles(nb: vscode.NotebookDocument): boolean;
  /** Fires when the DeXposure kernel is selected for, or taken off, a notebook. */
  onDidChangeSelection: vscode.Event<void>;
}

/** The notebook cell a text document is, with the earlier cells of its language. */
function findCell(doc: vscode.TextDocument, isDx: (nb: vscode.NotebookDocument) => boolean): CellContext | undefined {
  if (doc.uri.scheme !== 'vscode-notebook-cell' || !LANGUAGES.includes(doc.languageId as CellLanguage)) return undefined;
  const key = doc.uri.toString();
  for (const nb of vscode.workspace.notebookDocuments) {
    if (!isDx(nb)) continue;
    const cells = nb.getCells();
    const i = cells.findIndex((c) => c.document.uri.toString() === key);
    if (i < 0) continue;
    const language = doc.languageId as CellLanguage;
    const before = cells.slice(0, i).filter((c) => c.kind === vscode.NotebookCellKind.Code && c.document.languageId === language).map((c) => c.document.getText());
    return { notebookPath: nb.uri.fsPath || nb.uri.path, before, text: doc.getText(), language };
  }
  return undefined;
}

function completionKind(ts: typeof TS, kind: string): vscode.CompletionItemKind {
  const K = ts.ScriptElementKind;
  const map: Record<string, vscode.CompletionItemKind> = {
    [K.memberVariableElement]: vscode.CompletionItemKind.Property,
    [K.memberFunctionElement]: vscode.CompletionItemKind.Method,
    [K.functionElement]: vscode.CompletionItemKind.Function,
    [K.localFunctionElement]: vscode.CompletionItemKind.Function,
    [K.variableElement]: vscode.CompletionItemKind.Variable,
    [K.localVariableElement]: vscode.CompletionItemKind.Variable,
    [K.letElement]: vscode.CompletionItemKind.Variable,
    [K.constElement]: vscode.CompletionItemKind.Constant,
    [K.keyword]: vscode.CompletionItemKind.Keyword,
    [K.classElement]: vscode.CompletionItemKind.Class,
    [K.interfaceElement]: vscode.CompletionItemKind.Interface,
    [K.typeElement]: vscode.CompletionItemKind.TypeParameter,
    [K.enumElement]: vscode.CompletionItemKind.Enum,
    [K.moduleElement]: vscode.CompletionItemKind.Module,
    [K.alias]: vscode.CompletionItemKind.Reference,
  };
  return map[kind] ?? vscode.CompletionItemKind.Field;
}

export function registerCellTypes(context: vscode.ExtensionContext, dxNotebooks: DxNotebooks): vscode.Disposable {
  const isDx = (nb: vscode.NotebookDocument) => nb.notebookType === NOTEBOOK_TYPE || (nb.notebookType === JUPYTER_NOTEBOOK_TYPE && (dxNotebooks.handles(nb) || namesDexposureKernel(nb)));
  const cellContext = (doc: vscode.TextDocument) => findCell(doc, isDx);
  let ts: typeof TS | undefined;
  let svc: CellTypes | undefined;
  const load = (): { ts: typeof TS; svc: CellTypes } => {
    ts ??= createRequire(__filename)('typescript') as typeof TS;
    svc ??= new CellTypes(ts, join(context.extensionPath, 'dist', 'types'), join(context.extensionPath, 'node_modules', '@types'));
    return { ts, svc };
  };
  const selector: vscode.DocumentSelector = [NOTEBOOK_TYPE, JUPYTER_NOTEBOOK_TYPE].flatMap((notebookType) => LANGUAGES.map((language) => ({ notebookType, language })));
  const pending = new WeakMap<vscode.CompletionItem, { doc: vscode.TextDocument; offset: number; entry: TS.CompletionEntry }>();

  const completion = vscode.languages.registerCompletionItemProvider(selector, {
    provideCompletionItems(doc, position) {
      const c = cellContext(doc);
      if (!c) return undefined;
      const { ts: t, svc: s } = load();
      const offset = doc.offsetAt(position);
      const r = s.completions(c, offset);
      if (!r) return undefined;
      const items = r.entries.map((e) => {
        const item = new vscode.CompletionItem(e.name, completionKind(t, e.kind));
        item.sortText = e.sortText;
        if (e.insertText !== undefined) item.insertText = e.insertText;
        if (e.replacementSpan) item.range = new vscode.Range(doc.positionAt(e.replacementSpan.start), doc.positionAt(e.replacementSpan.start + e.replacementSpan.length));
        pending.set(item, { doc, offset, entry: e });
        return item;
      });
      return new vscode.CompletionList(items, false);
    },
    resolveCompletionItem(item) {
      const p = pending.get(item);
      const c = p && cellContext(p.doc);
      if (!p || !c) return item;
      const d = load().svc.completionDetails(c, p.offset, p.entry.name, p.entry.source, p.entry.data);
      if (d) {
        item.detail = d.detail;
        if (d.documentation) item.documentation = new vscode.MarkdownString(d.documentation);
      }
      return item;
    },
  }, '.');

  const hover = vscode.languages.registerHoverProvider(selector, {
    provideHover(doc, position) {
      const c = cellContext(doc);
      if (!c) return undefined;
      const h = load().svc.hover(c, doc.offsetAt(position));
      if (!h) return undefined;
      const md = new vscode.MarkdownString().appendCodeblock(h.signature, 'typescript');
      if (h.documentation) md.appendMarkdown(`\n\n${h.documentation}`);
      return new vscode.Hover(md, new vscode.Range(doc.positionAt(h.start), doc.positionAt(h.start + h.length)));
    },
  });

  const signatures = vscode.languages.registerSignatureHelpProvider(selector, {
    provideSignatureHelp(doc, position) {
      const c = cellContext(doc);
      if (!c) return undefined;
      const { ts: t, svc: s } = load();
      const r = s.signatureHelp(c, doc.offsetAt(position));
      if (!r) return undefined;
      const help = new vscode.SignatureHelp();
      help.signatures = r.items.map((it) => {
        const params = it.parameters.map((p) => t.displayPartsToString(p.displayParts));
        const sig = new vscode.SignatureInformation(`${t.displayPartsToString(it.prefixDisplayParts)}${params.join(t.displayPartsToString(it.separatorDisplayParts))}${t.displayPartsToString(it.suffixDisplayParts)}`, t.displayPartsToString(it.documentation));
        sig.parameters = it.parameters.map((p, k) => new vscode.ParameterInformation(params[k]!, t.displayPartsToString(p.documentation)));
        return sig;
      });
      help.activeSignature = r.selectedItemIndex;
      help.activeParameter = r.argumentIndex;
      return help;
    },
  }, '(', ',');

  // Diagnostics: every code cell of a notebook, a moment after the last edit.
  const diagnostics = vscode.languages.createDiagnosticCollection('dexposure');
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const clearNotebook = (nb: vscode.NotebookDocument) => {
    for (const c of nb.getCells()) diagnostics.delete(c.document.uri);
  };
  const check = (nb: vscode.NotebookDocument) => {
    if (!isDx(nb)) {
      clearNotebook(nb);
      return;
    }
    for (const cell of nb.getCells()) {
      const c = cell.kind === vscode.NotebookCellKind.Code ? cellContext(cell.document) : undefined;
      if (!c) {
        diagnostics.delete(cell.document.uri);
        continue;
      }
      const doc = cell.document;
      diagnostics.set(doc.uri, load().svc.diagnostics(c).map((d) => {
        const range = new vscode.Range(doc.positionAt(d.start), doc.positionAt(d.start + d.length));
        const sev = d.category === 'error' ? vscode.DiagnosticSeverity.Error : d.category === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Hint;
        const diag = new vscode.Diagnostic(range, d.message, sev);
        diag.source = 'dx';
        diag.code = d.code;
        return diag;
      }));
    }
  };
  const schedule = (nb: vscode.NotebookDocument, ms = 400) => {
    if (nb.notebookType !== NOTEBOOK_TYPE && nb.notebookType !== JUPYTER_NOTEBOOK_TYPE) return;
    const key = nb.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(key, setTimeout(() => {
      timers.delete(key);
      try {
        check(nb);
      } catch (e) {
        // A checker failure must never break editing; the cells simply go unchecked.
        console.error(`dexposure: cell diagnostics failed: ${(e as Error).message}`);
      }
    }, ms));
  };
  const notebookOf = (doc: vscode.TextDocument) => vscode.workspace.notebookDocuments.find((nb) => nb.getCells().some((c) => c.document === doc));
  for (const nb of vscode.workspace.notebookDocuments) schedule(nb, 1500);

  return vscode.Disposable.from(
    completion,
    hover,
    signatures,
    diagnostics,
    vscode.workspace.onDidOpenNotebookDocument((nb) => schedule(nb, 1500)),
    vscode.workspace.onDidChangeNotebookDocument((e) => schedule(e.notebook)),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document.uri.scheme !== 'vscode-notebook-cell') return;
      const nb = notebookOf(e.document);
      if (nb) schedule(nb);
    }),
    vscode.workspace.onDidCloseNotebookDocument(clearNotebook),
    // Selecting the DeXposure kernel for an .ipynb (or another one instead) changes what its cells mean.
    dxNotebooks.onDidChangeSelection(() => vscode.workspace.notebookDocuments.forEach((nb) => schedule(nb, 0))),
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
  );
}
