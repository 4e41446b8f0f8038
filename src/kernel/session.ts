/**
 * The contract between a kernel process and its hosts (the VS Code extension and the
 * headless CLI runner). Hosts create a session with `createKernelSession` from
 * ./client; both hosts use the same implementation.
 */
import type { MimeBundle } from '../core/display/protocol';

export type CellLanguage = 'typescript' | 'javascript';

export type KernelOutput =
  | { kind: 'stream'; name: 'stdout' | 'stderr'; text: string }
  /** A rich display. `displayId` lets a later output with `update: true` replace it. */
  | { kind: 'display'; bundle: MimeBundle; displayId?: string; update?: boolean }
  /** Progress of long work inside the cell (e.g. cache conversion). */
  | { kind: 'progress'; id: string; message: string; fraction?: number; done?: boolean };

export interface CellError {
  name: string;
  message: string;
  /** Stack with line numbers mapped into the cell (1-based), internal frames removed. */
  stack: string;
}

export type ExecuteStatus = 'ok' | 'error' | 'interrupted' | 'died';

export interface ExecuteResult {
  status: ExecuteStatus;
  /** The last expression's value, as a display bundle; absent when undefined. */
  result?: MimeBundle;
  error?: CellError;
  startTime: number;
  endTime: number;
}

export type KernelState = 'idle' | 'starting' | 'busy' | 'interrupting' | 'restarting' | 'dead' | 'disposed';

export interface KernelSessionOptions {
  /** Working directory of the kernel process (the notebook's folder). */
  cwd: string;
  /** Extra environment for the kernel process. */
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
   *  for user-code errors: those come back as status 'error'. */
  execute(code: string, language: CellLanguage, onOutput: (o: KernelOutput) => void): Promise<ExecuteResult>;
  /** Stops the running cell (cooperatively, else by restarting the process). */
  interrupt(): Promise<void>;
  /** Kills the process and clears all state; the next execute starts a fresh one. */
  restart(): Promise<void>;
  /** Calls a kernel-side handler registered by earlier cells/outputs (e.g. what-if reruns). */
  invoke(method: string, params: unknown): Promise<unknown>;
  dispose(): void;
}
