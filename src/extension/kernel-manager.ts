/**
 * One kernel process per open notebook: created lazily on first run, replaced by a
 * fresh one when the old one died, disposed when the notebook closes. Also fans out
 * kernel state changes (for the status bar) keyed by notebook.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_INTERRUPT_GRACE_MS } from '../kernel/client';
import type { KernelSession, KernelSessionOptions, KernelState } from '../kernel/session';

export type SessionFactory = (opts: KernelSessionOptions) => KernelSession;

export interface KernelStateEvent {
  notebook: vscode.NotebookDocument;
  state: KernelState;
}

export class KernelManager implements vscode.Disposable {
  private readonly sessions = new Map<string, { session: KernelSession; sub: { dispose(): void } }>();
  private readonly stateEmitter = new vscode.EventEmitter<KernelStateEvent>();
  readonly onDidChangeState = this.stateEmitter.event;
  private readonly subs: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly factory: SessionFactory,
  ) {
    this.subs.push(vscode.workspace.onDidCloseNotebookDocument((nb) => this.disposeFor(nb)));
  }

  /** The notebook's live session, if one was started. */
  peek(notebook: vscode.NotebookDocument): KernelSession | undefined {
    return this.sessions.get(notebook.uri.toString())?.session;
  }

  /** The notebook's session, starting a fresh one when none is alive. */
  get(notebook: vscode.NotebookDocument): KernelSession {
    const key = notebook.uri.toString();
    const existing = this.sessions.get(key);
    if (existing && existing.session.state !== 'dead' && existing.session.state !== 'disposed') {
      return existing.session;
    }
    if (existing) this.disposeFor(notebook);
    const session = this.factory(this.sessionOptions(notebook));
    const sub = session.onStateChange((state) => this.stateEmitter.fire({ notebook, state }));
    this.sessions.set(key, { session, sub });
    this.stateEmitter.fire({ notebook, state: session.state });
    return session;
  }

  disposeFor(notebook: vscode.NotebookDocument): void {
    const key = notebook.uri.toString();
    const entry = this.sessions.get(key);
    if (!entry) return;
    this.sessions.delete(key);
    entry.sub.dispose();
    try {
      entry.session.dispose();
    } catch {
      // Already gone: nothing left to clean up.
    }
    this.stateEmitter.fire({ notebook, state: 'disposed' });
  }

  private sessionOptions(notebook: vscode.NotebookDocument): KernelSessionOptions {
    const cfg = vscode.workspace.getConfiguration('dexposure', notebook.uri);
    const folder = vscode.workspace.getWorkspaceFolder(notebook.uri)?.uri.fsPath;
    // Untitled notebooks have no folder of their own: run in the workspace folder.
    const cwd =
      notebook.uri.scheme === 'file'
        ? path.dirname(notebook.uri.fsPath)
        : (folder ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? this.context.extensionPath);
    const resolvePath = (p: string) => (path.isAbsolute(p) ? p : path.resolve(folder ?? cwd, p));
    const env: Record<string, string> = {};
    const setEnv = (key: string, setting: string) => {
      const v = cfg.get<string>(setting);
      if (v) env[key] = resolvePath(v);
    };
    setEnv('DEXPOSURE_DATA_PATH', 'dataPath');
    setEnv('DEXPOSURE_CACHE_PATH', 'cachePath');
    setEnv('DEXPOSURE_MODELS_PATH', 'modelsPath');
    // Empty: the editor's own runtime. A bare name is looked up on PATH, a relative
    // path resolves against the workspace folder (the kernel client checks it exists).
    const nodePath = cfg.get<string>('kernel.nodePath')?.trim();
    return {
      cwd,
      env,
      nodePath: nodePath ? (/[\\/]/.test(nodePath) ? resolvePath(nodePath) : nodePath) : undefined,
      kernelPath: path.join(this.context.extensionPath, 'dist', 'kernel.js'),
      interruptGraceMs: cfg.get<number>('kernel.interruptGraceMs') ?? DEFAULT_INTERRUPT_GRACE_MS,
    };
  }

  dispose(): void {
    for (const { session, sub } of this.sessions.values()) {
      sub.dispose();
      try {
        session.dispose();
      } catch {
        // Best effort at shutdown.
      }
    }
    this.sessions.clear();
    this.stateEmitter.dispose();
    for (const s of this.subs) s.dispose();
  }
}
