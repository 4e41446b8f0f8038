/**
 * Status bar item showing the active DeXposure notebook's kernel state
 * (not started / starting / idle / busy / dead ...). Clicking it offers restart.
 */
import * as vscode from 'vscode';
import type { KernelState } from '../kernel/session';
import type { DexposureController } from './controller';
import type { KernelManager } from './kernel-manager';

const LABELS: Record<KernelState | 'none', { icon: string; text: string }> = {
  none: { icon: 'circle-outline', text: 'not started' },
  starting: { icon: 'loading~spin', text: 'starting' },
  idle: { icon: 'circle-outline', text: 'idle' },
  busy: { icon: 'circle-filled', text: 'busy' },
  interrupting: { icon: 'debug-pause', text: 'interrupting' },
  restarting: { icon: 'loading~spin', text: 'restarting' },
  dead: { icon: 'error', text: 'dead' },
  disposed: { icon: 'circle-outline', text: 'not started' },
};

export class KernelStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('dexposure.kernelStatus', vscode.StatusBarAlignment.Left, 100);
  private readonly subs: vscode.Disposable[] = [];

  constructor(
    private readonly manager: KernelManager,
    private readonly controller: DexposureController,
  ) {
    this.item.name = 'DeXposure Kernel';
    this.item.command = 'dexposure.restartKernel';
    this.subs.push(
      vscode.window.onDidChangeActiveNotebookEditor(() => this.refresh()),
      manager.onDidChangeState(() => this.refresh()),
      controller.onDidChangeSelection(() => this.refresh()),
    );
    this.refresh();
  }

  refresh(): void {
    const nb = vscode.window.activeNotebookEditor?.notebook;
    if (!nb || !this.controller.handles(nb)) {
      this.item.hide();
      return;
    }
    const state = this.manager.peek(nb)?.state ?? 'none';
    const { icon, text } = LABELS[state];
    this.item.text = `$(${icon}) DeXposure: ${text}`;
    this.item.tooltip = `DeXposure kernel for ${nb.uri.path.split('/').pop()}: ${text}. Click to restart.`;
    this.item.backgroundColor = state === 'dead' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
    this.subs.forEach((s) => s.dispose());
  }
}
