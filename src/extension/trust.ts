/**
 * Workspace trust: in Restricted Mode notebooks open and saved outputs render, but
 * code does not run. Each run request ends with an output that says why and links to
 * "Manage Workspace Trust"; granting trust enables running without a reload (the
 * controller checks `workspace.isTrusted` on every run). Every command that would
 * start a process (run headless, restart the kernel) and what-if reruns check it too,
 * and `dexposure.kernel.nodePath` is a restricted setting (package.json): a workspace's
 * value of it is ignored until the workspace is trusted.
 */
import * as vscode from 'vscode';

export const MANAGE_TRUST_COMMAND = 'workbench.trust.manage';

export const UNTRUSTED_MESSAGE =
  'DeXposure runs notebook code only in a trusted workspace. This workspace is in Restricted Mode: ' +
  'the notebook and its saved outputs are shown, but cells do not run.';

export function isTrusted(): boolean {
  return vscode.workspace.isTrusted;
}

/** The output a refused cell gets: markdown with a command link, plain-text fallback. */
export function untrustedOutput(): vscode.NotebookCellOutput {
  const md =
    `**Not run: workspace not trusted.** ${UNTRUSTED_MESSAGE}\n\n` +
    `[Manage Workspace Trust](command:${MANAGE_TRUST_COMMAND}) to trust this folder, then run the cell again.`;
  return new vscode.NotebookCellOutput([
    vscode.NotebookCellOutputItem.text(md, 'text/markdown'),
    vscode.NotebookCellOutputItem.text(`Not run: workspace not trusted. ${UNTRUSTED_MESSAGE} Use the command "Workspaces: Manage Workspace Trust" to trust this folder.`, 'text/plain'),
  ]);
}

/** False, after telling the user why, when `action` must not run in Restricted Mode. */
export function allowedByTrust(action: string): boolean {
  if (isTrusted()) return true;
  void vscode.window
    .showWarningMessage(`DeXposure: ${action} runs notebook code, which needs a trusted workspace. This workspace is in Restricted Mode.`, 'Manage Workspace Trust')
    .then((choice) => {
      if (choice) void vscode.commands.executeCommand(MANAGE_TRUST_COMMAND);
    });
  return false;
}

let notified = false;

/** A one-time notification with a button, since output links may be disabled in Restricted Mode. */
export function notifyUntrusted(): void {
  if (notified) return;
  notified = true;
  void vscode.window
    .showWarningMessage(UNTRUSTED_MESSAGE, 'Manage Workspace Trust')
    .then((choice) => {
      notified = false;
      if (choice) void vscode.commands.executeCommand(MANAGE_TRUST_COMMAND);
    });
}
