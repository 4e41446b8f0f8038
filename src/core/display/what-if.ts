/**
 * Kernel-side registry of what-if reruns behind stress views. A stress view built with
 * a snapshot and scenario registers a rerun here and saves the handle in its payload;
 * the renderer sends `{ handle, shockSize?, shockProtocol? }` back through the
 * extension (`session.invoke('stress.whatIf', ...)`), and `answerWhatIf` reruns the
 * simulator. Handles live as long as the kernel process: after a restart the saved
 * output still shows, and a rerun says the handle is gone.
 */
import type { StressPayload } from './protocol';

export interface WhatIfRequest {
  handle: string;
  shockSize?: number;
  shockProtocol?: string;
}

export type WhatIfRerun = (req: { shockSize?: number; shockProtocol?: string }) => StressPayload;

// On globalThis under a Symbol.for key: the kernel bundle and the library bundle a
// user script imports each have their own copy of this module, but must share handles.
const KEY = Symbol.for('dexposure.whatIfReruns');
const store = ((globalThis as unknown as Record<symbol, { reruns: Map<string, WhatIfRerun>; counter: number } | undefined>)[KEY] ??= { reruns: new Map(), counter: 0 });
const reruns = store.reruns;

export function registerWhatIf(rerun: WhatIfRerun): string {
  store.counter += 1;
  const handle = `whatif-${Date.now().toString(36)}-${store.counter}`;
  reruns.set(handle, rerun);
  return handle;
}

export function forgetWhatIf(handle: string): boolean {
  return reruns.delete(handle);
}

/** Validates a request from the renderer (untrusted shape) and runs it. */
export function answerWhatIf(params: unknown): StressPayload {
  if (params === null || typeof params !== 'object') throw new Error('display/what-if: expected { handle, shockSize?, shockProtocol? }');
  const p = params as Record<string, unknown>;
  if (typeof p.handle !== 'string') throw new Error('display/what-if: handle must be a string');
  const rerun = reruns.get(p.handle);
  if (!rerun) throw new Error(`display/what-if: no stress view with handle ${p.handle} in this kernel (was it restarted? run the cell again)`);
  const req: { shockSize?: number; shockProtocol?: string } = {};
  if (p.shockSize !== undefined) {
    if (typeof p.shockSize !== 'number' || !Number.isFinite(p.shockSize) || p.shockSize < 0 || p.shockSize > 1) throw new Error(`display/what-if: shockSize must be a number in [0, 1], got ${JSON.stringify(p.shockSize)}`);
    req.shockSize = p.shockSize;
  }
  if (p.shockProtocol !== undefined) {
    if (typeof p.shockProtocol !== 'string' || p.shockProtocol === '') throw new Error('display/what-if: shockProtocol must be a protocol id');
    req.shockProtocol = p.shockProtocol;
  }
  return rerun(req);
}
