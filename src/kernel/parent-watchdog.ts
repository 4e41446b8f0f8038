/**
 * Ends the kernel when its host goes away. The IPC 'disconnect' event covers an idle
 * kernel, but a cell stuck in a synchronous loop blocks the event loop, so the kernel
 * would spin on, re-parented to init, after its host was killed. A worker thread has
 * its own event loop: it polls the parent pid and kills this process when it changed.
 */
import { Worker } from 'node:worker_threads';

export const WATCHDOG_INTERVAL_MS = 500;

// Plain CommonJS evaluated in the worker (no bundling, no imports of ours).
const WATCHDOG_SOURCE = `
const { workerData } = require('node:worker_threads');
const { parentPid, intervalMs } = workerData;
setInterval(() => {
  // SIGKILL: a cell may have installed SIGTERM handlers, and the main thread may be busy.
  if (process.ppid !== parentPid) process.kill(process.pid, 'SIGKILL');
}, intervalMs);
`;

/** Starts the watchdog for the current parent; a no-op when worker threads are unavailable. */
export function startParentWatchdog(intervalMs = WATCHDOG_INTERVAL_MS): void {
  const parentPid = process.ppid;
  try {
    const worker = new Worker(WATCHDOG_SOURCE, {
      eval: true,
      workerData: { parentPid, intervalMs },
      stdout: false,
      stderr: false,
    });
    // The watchdog alone must not keep the kernel alive.
    worker.unref();
    worker.on('error', () => undefined);
  } catch {
    // Without worker threads the IPC 'disconnect' handler is the only guard.
  }
}
