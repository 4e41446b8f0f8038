/**
 * Kernel-side registry of what-if reruns behind stress views. A stress view built with
 * a snapshot and scenario registers a rerun here and saves the handle in its payload;
 * the renderer sends `{ handle, shockSize?, shockProtocol? }` back through the
 * extension (`session.invoke('stress.whatIf', ...)`), and `answerWhatIf` reruns the
 * simulator. Each rerun holds its week's snapshot, so the registry keeps only the most
 * recent MAX_WHAT_IF_VIEWS views (re-running a cell makes new ones): an older view, or
 * any view after a kernel restart, still shows its saved output, and a rerun from it
 * says to run its cell again.
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

/** Stress views per kernel whose what-if controls stay live. */
export const MAX_WHAT_IF_VIEWS = 32;

export function registerWhatIf(rerun: WhatIfRerun): string {
  store.counter += 1;
  const handle = `whatif-${Date.now().toString(36)}-${store.counter}`;
  reruns.set(handle, rerun);
  // A Map iterates in insertion order, so the first keys are the oldest views.
  for (const old of reruns.keys()) {
    if (reruns.size <= MAX_WHAT_IF_VIEWS) break;
    reruns.delete(old);
  }
  return handle;
}

/** Validates a request from the renderer (untrusted shape) and runs it. */
export function answerWhatIf(params: unknown): StressPayload {
  if (params === null || typeof params !== 'object') throw new Error('display/what-if: expected { handle, shockSize?, shockProtocol? }');
  const p = params as Record<string, unknown>;
  if (typeof p.handle !== 'string') throw new Error('display/what-if: handle must be a string');
  const rerun = reruns.get(p.handle);
  if (!rerun) throw new Error(`display/what-if: no stress view with handle ${p.handle} in this kernel (the kernel was restarted, or the view is older than the last ${MAX_WHAT_IF_VIEWS}): run its cell again`);
  // A view in use stays among the most recent.
  reruns.delete(p.handle);
  reruns.set(p.handle, rerun);
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
