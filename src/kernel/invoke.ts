/**
 * Kernel-side handlers the host can call through `KernelSession.invoke` (e.g. the
 * stress view's what-if reruns). The registry lives on `globalThis` under a
 * `Symbol.for` key so that every bundle loaded into the kernel process (the kernel
 * itself, the library, user modules) shares one registry.
 */

export type InvokeHandler = (params: unknown) => unknown;

const REGISTRY_KEY = Symbol.for('dexposure.invokeHandlers');

function registry(): Map<string, InvokeHandler> {
  const g = globalThis as unknown as Record<symbol, Map<string, InvokeHandler> | undefined>;
  let map = g[REGISTRY_KEY];
  if (!map) {
    map = new Map();
    g[REGISTRY_KEY] = map;
  }
  return map;
}

/** Registers (or replaces) the handler for `method`; `dispose()` removes it again. */
export function registerInvokeHandler(method: string, fn: InvokeHandler): { dispose(): void } {
  if (typeof method !== 'string' || method === '') throw new TypeError('invoke: method must be a non-empty string');
  if (typeof fn !== 'function') throw new TypeError(`invoke: handler for "${method}" must be a function`);
  registry().set(method, fn);
  return {
    dispose() {
      if (registry().get(method) === fn) registry().delete(method);
    },
  };
}

/** Runs the handler for `method`; rejects with a clear error when none is registered. */
export async function dispatchInvoke(method: string, params: unknown): Promise<unknown> {
  const fn = registry().get(method);
  if (!fn) {
    const known = [...registry().keys()];
    throw new Error(`invoke: no handler registered for "${method}"${known.length ? ` (registered: ${known.join(', ')})` : ''}; was the cell that registers it run in this kernel session?`);
  }
  return await fn(params);
}
