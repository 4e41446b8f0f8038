/**
 * Kernel outputs (./kernel-wire.ts) -> notebook outputs, as a headless runner
 * stores them: consecutive chunks of one stream merge into one output (as Jupyter does),
 * display updates replace the output with the same display id, the last-expression value
 * is flagged as the execute result, and errors use VS Code's error MIME type.
 */
import type { MimeBundle } from '../display/protocol';
import type { CellError, ExecuteResult, KernelOutput } from './kernel-wire';
import type { JsonObject, NotebookOutput } from './format';
import { EXECUTE_RESULT_KEY } from './ipynb';
import { ERROR_MIME, STDERR_MIME, STDOUT_MIME, outputItemFromBundleValue } from './output-items';

/** Output metadata key holding a display's id (so updates find it). */
export const DISPLAY_ID_KEY = 'displayId';

export function bundleToOutput(bundle: MimeBundle, metadata: JsonObject = {}): NotebookOutput {
  return { items: Object.keys(bundle).map((mime) => outputItemFromBundleValue(mime, bundle[mime])), metadata };
}

export function errorToOutput(error: CellError): NotebookOutput {
  return { items: [{ mime: ERROR_MIME, data: { name: error.name, message: error.message, stack: error.stack } }], metadata: {} };
}

/** Collects one cell's outputs in order. */
export class CellOutputCollector {
  readonly outputs: NotebookOutput[] = [];

  add(o: KernelOutput): void {
    if (o.kind === 'stream') {
      const mime = o.name === 'stdout' ? STDOUT_MIME : STDERR_MIME;
      const last = this.outputs[this.outputs.length - 1];
      if (last && last.items.length === 1 && last.items[0].mime === mime && typeof last.items[0].data === 'string') {
        last.items[0].data += o.text;
      } else this.outputs.push({ items: [{ mime, data: o.text }], metadata: {} });
    } else if (o.kind === 'display') {
      const metadata: JsonObject = o.displayId ? { [DISPLAY_ID_KEY]: o.displayId } : {};
      const out = bundleToOutput(o.bundle, metadata);
      if (o.update && o.displayId) {
        const i = this.outputs.findIndex((x) => x.metadata[DISPLAY_ID_KEY] === o.displayId);
        if (i >= 0) {
          this.outputs[i] = out;
          return;
        }
      }
      this.outputs.push(out);
    }
    // Progress is transient: shown while running, not saved.
  }

  finish(r: ExecuteResult): void {
    if (r.result) this.outputs.push(bundleToOutput(r.result, { [EXECUTE_RESULT_KEY]: true }));
    if (r.error && r.status !== 'ok') this.outputs.push(errorToOutput(r.error));
  }
}
