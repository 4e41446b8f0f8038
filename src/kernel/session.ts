/**
 * The contract between a kernel process and its hosts (the VS Code extension and the
 * headless CLI runner). Hosts create a session with `createKernelSession` from
 * ./client; both hosts use the same implementation. The messages themselves (outputs,
 * results, errors) are the wire types of src/core/notebook/kernel-wire.ts.
 */
export type { CellError, CellLanguage, ExecuteResult, ExecuteStatus, KernelOutput, KernelState } from '../core/notebook/kernel-wire';
import type { CellLanguage, ExecuteResult, KernelOutput, KernelState } from '../core/notebook/kernel-wire';

export interface KernelSessionOptions {
  /** Working directory of the kernel process (the notebook's folder). */
  cwd: string;
  /** Extra environment for the kernel process (on top of the host's, which loses
   *  NODE_OPTIONS: the host's Node flags never reach the kernel). */
  env?: Record<string, string>;
  /** Path of the built kernel entry (dist/kernel.js); defaults next to the caller's bundle. */
  kernelPath?: string;
  /** Node.js executable that runs the kernel (a path, or a command found on PATH);
   *  defaults to the host's own runtime. */
  nodePath?: string;
  /** Milliseconds to wait for a cooperative interrupt before killing the process. */
  interruptGraceMs?: number;
}

export interface KernelSession {
  readonly state: KernelState;
  onStateChange(listener: (state: KernelState) => void): { dispose(): void };
  /** Starts the process if needed (lazily on first execute otherwise). */
  start(): Promise<void>;
  /** Runs one cell. Outputs stream through `onOutput` while it runs. Never rejects
   *  for user-code errors: those come back as status 'error'. As in Jupyter, output the
   *  cell's code produces after it finished (timers, callbacks, unhandled rejections)
   *  still reaches its `onOutput` while no other cell runs; once another cell runs, such
   *  output goes to that cell. Hosts must accept `onOutput` calls after the promise
   *  resolved. */
  execute(code: string, language: CellLanguage, onOutput: (o: KernelOutput) => void): Promise<ExecuteResult>;
  /** Stops the running cell (cooperatively, else by restarting the process). */
  interrupt(): Promise<void>;
  /** Kills the process and clears all state; the next execute starts a fresh one. */
  restart(): Promise<void>;
  /** Calls a kernel-side handler registered by earlier cells/outputs (e.g. what-if reruns). */
  invoke(method: string, params: unknown): Promise<unknown>;
  dispose(): void;
}
