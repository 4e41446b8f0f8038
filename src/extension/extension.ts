/**
 * Extension entry: registers the `.dxnb` serializer, the DeXposure controllers, kernel
 * status, commands, and the renderer message routing. Activation is cheap; kernels
 * start lazily on a notebook's first run.
 */
import * as vscode from 'vscode';
import { registerCellTypes } from './cell-types/providers';
import { registerCommands } from './commands';
import { DexposureController } from './controller';
import { createKernelSession } from '../kernel/client';
import { KernelManager } from './kernel-manager';
import { registerRendererMessaging } from './renderer-messaging';
import { DexposureSerializer, NOTEBOOK_TYPE, serializerOptions } from './serializer';
import { KernelStatusBar } from './status';

export function activate(context: vscode.ExtensionContext): void {
  const manager = new KernelManager(context, createKernelSession);
  const controller = new DexposureController(manager);
  const status = new KernelStatusBar(manager, controller);
  context.subscriptions.push(
    vscode.workspace.registerNotebookSerializer(NOTEBOOK_TYPE, new DexposureSerializer(), serializerOptions),
    manager,
    controller,
    status,
    registerRendererMessaging(manager),
    registerCellTypes(context, controller),
    ...registerCommands(context, controller),
    // Granting trust needs no reload: runs check trust each time; refresh the status.
    vscode.workspace.onDidGrantWorkspaceTrust(() => status.refresh()),
  );
}

export function deactivate(): void {
  // Kernels are disposed through context.subscriptions.
}
