/**
 * Where kernel-side code sends outputs (displays, progress) while a cell runs. The
 * kernel process points the sink at the running execution; outside a kernel (library
 * use in a plain script) outputs fall back to stdout as text.
 */
import type { KernelOutput } from './session';

type Sink = (output: KernelOutput) => void;

const SINK_KEY = Symbol.for('dexposure.outputSink');

function holder(): { sink?: Sink } {
  const g = globalThis as unknown as Record<symbol, { sink?: Sink } | undefined>;
  let h = g[SINK_KEY];
  if (!h) {
    h = {};
    g[SINK_KEY] = h;
  }
  return h;
}

export function setOutputSink(sink: Sink | undefined): void {
  holder().sink = sink;
}

export function emitOutput(output: KernelOutput): void {
  const sink = holder().sink;
  if (sink) {
    sink(output);
    return;
  }
  if (output.kind === 'stream') (output.name === 'stderr' ? process.stderr : process.stdout).write(output.text);
  else if (output.kind === 'display') {
    const b = output.bundle;
    const text = typeof b['text/markdown'] === 'string' ? b['text/markdown'] : typeof b['text/plain'] === 'string' ? b['text/plain'] : '[display]';
    process.stdout.write(`${String(text)}\n`);
  } else process.stderr.write(`${output.message}${output.fraction !== undefined ? ` (${Math.round(output.fraction * 100)}%)` : ''}\n`);
}
