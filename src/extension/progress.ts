/**
 * Kernel progress outputs (long work inside a cell, e.g. cache conversion) shown as
 * VS Code progress notifications, one per progress id. Cancelling the notification
 * interrupts the kernel.
 */
import * as vscode from 'vscode';
import type { KernelOutput } from '../kernel/session';

type ProgressOutput = Extract<KernelOutput, { kind: 'progress' }>;

interface Live {
  report(message: string, fraction?: number): void;
  finish(): void;
}

export class ProgressNotifications {
  private readonly live = new Map<string, Live>();

  constructor(
    private readonly title: string,
    private readonly onCancel: () => void,
  ) {}

  update(p: ProgressOutput): void {
    let entry = this.live.get(p.id);
    if (!entry && !p.done) {
      entry = this.open();
      this.live.set(p.id, entry);
    }
    if (!entry) return;
    entry.report(p.message, p.fraction);
    if (p.done) {
      entry.finish();
      this.live.delete(p.id);
    }
  }

  /** Closes every notification (the cell ended). */
  finishAll(): void {
    for (const e of this.live.values()) e.finish();
    this.live.clear();
  }

  private open(): Live {
    let finish!: () => void;
    const done = new Promise<void>((r) => (finish = r));
    let reporter: vscode.Progress<{ message?: string; increment?: number }> | undefined;
    let pending: { message: string; fraction?: number } | undefined;
    let shown = 0; // percent already reported: VS Code takes increments
    const report = (message: string, fraction?: number) => {
      if (!reporter) {
        pending = { message, fraction };
        return;
      }
      const pct = fraction === undefined ? undefined : Math.max(0, Math.min(100, fraction * 100));
      const increment = pct === undefined || pct <= shown ? undefined : pct - shown;
      if (increment !== undefined) shown = pct!;
      reporter.report({ message, increment });
    };
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: this.title, cancellable: true },
      (progress, token) => {
        reporter = progress;
        if (pending) report(pending.message, pending.fraction);
        token.onCancellationRequested(() => this.onCancel());
        return done;
      },
    );
    return { report, finish };
  }
}
