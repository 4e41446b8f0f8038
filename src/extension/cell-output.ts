/**
 * Writes one running cell's kernel outputs into its VS Code execution: streams append
 * to the previous output of the same stream (as they arrive), displays become one
 * NotebookCellOutput with one item per MIME type, `update: true` displays replace the
 * earlier output with the same displayId, and errors use the standard error item.
 * VS Code output edits are async: they are chained so they apply in arrival order.
 */
import * as vscode from 'vscode';
import type { CellError, KernelOutput } from '../kernel/session';
import type { MimeBundle } from '../core/display/protocol';
import { DISPLAY_ID_KEY, EXECUTE_RESULT_KEY, outputItemFromBundleValue, outputItemToBytes } from '../core/notebook';
import { orderBundleMimes, withTextFallback } from './bundle-order';

/** One output, one item per MIME type (core's rules for how each type's data is held). */
export function bundleToOutput(bundle: MimeBundle, metadata?: Record<string, unknown>): vscode.NotebookCellOutput {
  const full = withTextFallback(bundle);
  const items = orderBundleMimes(Object.keys(full)).map(
    (mime) => new vscode.NotebookCellOutputItem(outputItemToBytes(outputItemFromBundleValue(mime, full[mime])), mime),
  );
  return new vscode.NotebookCellOutput(items, metadata);
}

export function errorOutput(err: CellError): vscode.NotebookCellOutput {
  const e = new Error(err.message);
  e.name = err.name;
  e.stack = err.stack || `${err.name}: ${err.message}`;
  return new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error(e)]);
}

export class CellOutputWriter {
  private chain: Promise<unknown> = Promise.resolve();
  private lastStream: { name: 'stdout' | 'stderr'; output: vscode.NotebookCellOutput } | undefined;
  private readonly displays = new Map<string, vscode.NotebookCellOutput>();

  constructor(private readonly execution: vscode.NotebookCellExecution) {}

  /** Handles one kernel output (progress is handled by the caller). */
  write(o: KernelOutput): void {
    if (o.kind === 'stream') this.stream(o.name, o.text);
    else if (o.kind === 'display') this.display(o.bundle, o.displayId, o.update);
  }

  stream(name: 'stdout' | 'stderr', text: string): void {
    const item = name === 'stdout' ? vscode.NotebookCellOutputItem.stdout(text) : vscode.NotebookCellOutputItem.stderr(text);
    const last = this.lastStream;
    if (last && last.name === name) {
      this.enqueue(() => this.execution.appendOutputItems(item, last.output));
    } else {
      const output = new vscode.NotebookCellOutput([item]);
      this.lastStream = { name, output };
      this.enqueue(() => this.execution.appendOutput(output));
    }
  }

  display(bundle: MimeBundle, displayId?: string, update?: boolean): void {
    const previous = displayId !== undefined ? this.displays.get(displayId) : undefined;
    if (update && previous) {
      const replacement = bundleToOutput(bundle);
      this.enqueue(() => this.execution.replaceOutputItems(replacement.items, previous));
      return;
    }
    const output = bundleToOutput(bundle, displayId !== undefined ? { [DISPLAY_ID_KEY]: displayId } : undefined);
    if (displayId !== undefined) this.displays.set(displayId, output);
    this.lastStream = undefined;
    this.enqueue(() => this.execution.appendOutput(output));
  }

  /** The last expression's value (flagged so .ipynb export writes an execute_result). */
  result(bundle: MimeBundle): void {
    this.lastStream = undefined;
    const output = bundleToOutput(bundle, { [EXECUTE_RESULT_KEY]: true });
    this.enqueue(() => this.execution.appendOutput(output));
  }

  error(err: CellError): void {
    this.lastStream = undefined;
    const output = errorOutput(err);
    this.enqueue(() => this.execution.appendOutput(output));
  }

  /** Resolves once every queued edit reached VS Code, including edits queued meanwhile. */
  async flush(): Promise<void> {
    let seen: Promise<unknown>;
    do {
      seen = this.chain;
      await seen;
    } while (seen !== this.chain);
  }

  private enqueue(edit: () => Thenable<void>): void {
    // One failed edit (e.g. the cell was deleted meanwhile) must not block the rest.
    this.chain = this.chain.then(edit).then(undefined, (e: unknown) => {
      console.error('dexposure: output edit failed:', e);
    });
  }
}
